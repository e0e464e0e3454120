// The network impairments of the real binary (docs/FAULTS.md): a bad spec refused at start,
// a CON that full loss ends in the give-up result, runs repeated byte for byte by --seed, and
// impairments set and cleared at run time through the control socket (docs/CONTROL.md).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "control_fixture.hpp"
#include "tshark.hpp"

namespace atcoap::e2e {
namespace {

/// The modem's whole CON schedule at ACK timeout 2 s and four retransmissions, the shortest
/// AT+QCOAPCFG="trans" allows (docs/AT_COAP.md): 31 times a first wait of 2 to 3 s, so 62 to
/// 93 s; the bound leaves room for a slow sanitizer build.
constexpr Millis kGiveUpBound{110'000};

class NetemE2eTest : public CoapModemTest {
  public:
    void SetUp() override {}  // each test starts the modem with its own options

    void start_modem(const std::vector<std::string>& arguments) {
        std::string error;
        modem_ = start_quiet_modem(dir_.path(), arguments, error);
        ASSERT_NE(modem_, nullptr) << error;
    }

    /// What the host sees from a CON GET of / on client 0 up to its answer's payload.
    std::string get_root() {
        std::string seen = exchange(modem_->in(), modem_->out(), "AT+QCOAPSEND=0,0,1,0,0");
        EXPECT_TRUE(modem_->out().wait_for("atcoap test server\r\n", kNetworkBound))
            << modem_->out().unread();
        return seen + modem_->out().take_through("atcoap test server\r\n");
    }
};

std::string refusal_of(const std::vector<std::string>& arguments) {
    TempDir dir;
    std::string error;
    auto process = start_atcoap(dir.path(), arguments, error);
    EXPECT_NE(process, nullptr) << error;
    if (!process) {
        return "";
    }
    const auto status = process->wait_exit(kAnswerBound);
    EXPECT_TRUE(status && status->code == 2) << "exit code 2";
    return process->err().take_all();
}

TEST(NetemCommandLine, ABadSpecExitsWithCode2AndOneLineNamingTheClause) {
    EXPECT_EQ(refusal_of({"--netem", "loss 120%"}),
              "atcoap: --netem: \"loss 120%\": a percentage is 0 to 100\n");
    EXPECT_EQ(refusal_of({"--netem-up", "client 9 loss 1%"}),
              "atcoap: --netem-up: \"client 9\": a client ID is 0 to 5\n");
    EXPECT_EQ(refusal_of({"--netem-down", "reorder 5%"}),
              "atcoap: --netem-down: \"reorder\": reordering needs a delay (delay T)\n");
    EXPECT_EQ(refusal_of({"server", "--netem", "delay 5parsecs"}),
              "atcoap server: --netem: \"delay 5parsecs\": expected a time such as 100ms (s, ms "
              "or us; a bare number is us)\n");
}

TEST_F(NetemE2eTest, FullLossEndsAConInTheGiveUpResult) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_atcoap_server({}, error), error));
    // Seed 115 draws a first wait of 2.007 s for this input (found in virtual time with the
    // same commands): the give-up comes at 62.2 s, the shortest the schedule allows.
    ASSERT_NO_FATAL_FAILURE(start_modem({"--netem", "loss 100%", "--seed", "115"}));
    expect("AT+QCOAPCFG=\"trans\",0,2,4", "\r\nOK\r\n");
    expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + port_text(), "\r\nOK\r\n");
    EXPECT_EQ(next_urc(), "+QCOAPOPEN: 0,0");
    expect("AT+QCOAPHEADER=0,300,0,2,012C", "\r\nOK\r\n");
    expect("AT+QCOAPSEND=0,0,1,0,0", "\r\nOK\r\n");
    for (int retry = 1; retry <= 4; ++retry) {
        EXPECT_EQ(next_urc(kGiveUpBound), "+QCOAPIND: 0,0,300," + std::to_string(retry) + ",0");
    }
    EXPECT_EQ(next_urc(kGiveUpBound), "+QCOAPACK: 0,0,300,-11");
}

TEST_F(NetemE2eTest, TheSameSeedGivesByteIdenticalOutput) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_atcoap_server({"--seed", "3"}, error), error));
    // Tokens and message IDs come from the modem's seed; copies and delays from the
    // impairment's streams, seeded from it too.
    const auto run = [&](const std::string& seed) {
        start_modem({"--seed", seed, "--netem", "delay 20ms 10ms duplicate 30%"});
        std::string seen = exchange(modem_->in(), modem_->out(),
                                    "AT+QCOAPOPEN=0,\"127.0.0.1\"," + port_text(), "+QCOAPOPEN");
        for (int i = 0; i < 3; ++i) {
            seen += get_root();
        }
        seen += exchange(modem_->in(), modem_->out(), "AT+QCOAPCLOSE=0", "+QCOAPCLOSE: 0,0\r\n");
        modem_.reset();
        return seen;
    };
    const std::string first = run("42");
    EXPECT_NE(first.find("+QCOAPRECV: 0,"), std::string::npos) << first;
    EXPECT_EQ(run("42"), first);
    EXPECT_NE(run("43"), first) << "another seed draws other message IDs and tokens";
}

TEST_F(NetemE2eTest, TheSameSeedGivesTheSameTrace) {
    ATCOAP_REQUIRE_TSHARK();
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_atcoap_server({"--seed", "3"}, error), error));
    const TempDir traces;
    constexpr int kExchanges = 8;
    struct Run {
        std::string output;
        std::vector<std::string> payloads;  // the UDP payloads in hex, in the trace's order
    };
    // The server's answers are copied at random down (both copies reach the modem, and the
    // trace, at once) and the requests delayed with jitter up (one in flight at a time): the
    // order of the datagrams is the host's, so the trace's bytes depend only on the seed. The
    // kernel picks another local port each run: only the payloads are compared.
    const auto run = [&](const std::string& seed, const std::string& name) {
        const auto trace = traces.path() / name;
        start_modem({"--seed", seed, "--netem-down", "duplicate 50%", "--netem-up",
                     "delay 10ms 5ms", "--pcap", trace.string()});
        Run result;
        result.output = exchange(modem_->in(), modem_->out(),
                                 "AT+QCOAPOPEN=0,\"127.0.0.1\"," + port_text(), "+QCOAPOPEN");
        for (int i = 0; i < kExchanges; ++i) {
            result.output += get_root();
        }
        modem_->in().close();  // the trace is complete once atcoap has exited
        const auto ended = modem_->wait_exit(kAnswerBound);
        EXPECT_TRUE(ended && ended->exited_zero()) << modem_->err().unread();
        modem_.reset();
        result.payloads = tshark_rows({"-r", trace.string(), "-T", "fields", "-e", "udp.payload"});
        return result;
    };
    const Run first = run("42", "first.pcap");
    EXPECT_GT(first.payloads.size(), 2U * kExchanges) << "some answers were duplicated";
    EXPECT_LT(first.payloads.size(), 4U * kExchanges);
    const Run second = run("42", "second.pcap");
    EXPECT_EQ(second.output, first.output);
    EXPECT_EQ(second.payloads.size(), first.payloads.size());
    EXPECT_EQ(second.payloads, first.payloads);
    const Run other = run("43", "other.pcap");
    EXPECT_NE(other.payloads, first.payloads) << "another seed: other message IDs, tokens, copies";
}

TEST_F(NetemE2eTest, AServerThatHearsNothingMakesTheModemRetransmit) {
    // Not started as the others are: a silent server never answers the ping that tells it is up.
    server_.port = free_udp_port();
    std::string error;
    server_.process = test::ChildProcess::start(
        ATCOAP_BINARY,
        {"server", "--listen", "127.0.0.1:" + port_text(), "--netem-up", "blackhole"}, error);
    ASSERT_NE(server_.process, nullptr) << error;
    ASSERT_TRUE(server_.process->err().wait_for("netem up (received): blackhole", kAnswerBound));
    ASSERT_TRUE(server_.process->err().wait_for("listening on", kAnswerBound));
    ASSERT_NO_FATAL_FAILURE(start_modem({}));
    expect("AT+QCOAPCFG=\"trans\",0,2,4", "\r\nOK\r\n");
    expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + port_text(), "\r\nOK\r\n");
    EXPECT_EQ(next_urc(), "+QCOAPOPEN: 0,0");
    expect("AT+QCOAPHEADER=0,310,0,2,0136", "\r\nOK\r\n");
    expect("AT+QCOAPSEND=0,0,1,0,0", "\r\nOK\r\n");
    EXPECT_EQ(next_urc(), "+QCOAPIND: 0,0,310,1,0") << "after 2 to 3 s, unanswered";
}

TEST_F(NetemE2eTest, TheNoteDtlsExampleRunsThroughAnImpairedServer) {
    // The server's DTLS listener delays and duplicates DTLS records both ways: the handshake
    // and the exchange still complete (DTLS and CoAP each drop the duplicates).
    const std::uint16_t dtls_port = free_udp_port();
    std::string error;
    ASSERT_NO_FATAL_FAILURE(
        start_server(start_atcoap_server({"--dtls", "127.0.0.1:" + std::to_string(dtls_port),
                                          "--psk", "864508030012428:313233343446473839", "--netem",
                                          "delay 30ms 10ms duplicate 50%", "--seed", "5"},
                                         error),
                     error));
    ASSERT_NO_FATAL_FAILURE(start_modem({"--seed", "5"}));
    run_note_example_dtls(dtls_port);
}

using NetemControlTest = ControlModemTest;

TEST_F(NetemControlTest, CtlNetemLossMakesAConRetransmitAndClearLetsItThrough) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_atcoap_server({}, error), error));
    expect("AT+QCOAPCFG=\"trans\",0,2,4", "\r\nOK\r\n");
    expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + port_text(), "\r\nOK\r\n");
    EXPECT_EQ(next_urc(), "+QCOAPOPEN: 0,0");
    // Without loss: answered at once, no +QCOAPIND.
    expect("AT+QCOAPHEADER=0,400,0,2,0190", "\r\nOK\r\n");
    send_con_get(0);
    EXPECT_EQ(next_urc(), "+QCOAPACK: 0,0,400,0");
    EXPECT_TRUE(next_urc().starts_with("+QCOAPRECV: 0,400,2.05,"));

    const CtlRun bad = ctl({"netem", "up", "loss 120%"});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find("\"loss 120%\": a percentage is 0 to 100"), std::string::npos)
        << bad.err;
    const CtlRun loss = ctl({"netem", "up", "loss 100%"});
    ASSERT_EQ(loss.code, 0) << loss.err;
    EXPECT_EQ(loss.out, "");
    expect("AT+QCOAPHEADER=0,401,0,2,0191", "\r\nOK\r\n");
    send_con_get(0);
    // The CON is lost: its first retransmission comes 2 to 3 s later, and is lost too.
    EXPECT_EQ(next_urc(), "+QCOAPIND: 0,0,401,1,0");
    ASSERT_EQ(ctl({"netem", "up", "clear"}).code, 0);
    // The second retransmission (4 to 6 s after the first) goes through and is answered.
    EXPECT_EQ(next_urc(), "+QCOAPIND: 0,0,401,2,0");
    EXPECT_EQ(next_urc(), "+QCOAPACK: 0,0,401,0");
    EXPECT_TRUE(next_urc().starts_with("+QCOAPRECV: 0,401,2.05,"));

    const CtlRun status = ctl({"status"});
    ASSERT_EQ(status.code, 0) << status.err;
    const auto json = nlohmann::json::parse(status.out);
    const auto& up = json.at("netem").at("up").at("all");
    EXPECT_TRUE(up.at("spec").is_null()) << up;
    EXPECT_EQ(up.at("received"), 2) << up;
    EXPECT_EQ(up.at("lost"), 2) << up;
    EXPECT_EQ(json.at("netem").at("down"), nlohmann::json::object());
    const auto& client = json.at("clients").at(0);
    EXPECT_EQ(client.at("retransmissions"), 2) << client;
    EXPECT_EQ(client.at("datagrams_sent"), 2) << "the lost two never crossed the air: " << client;
}

}  // namespace
}  // namespace atcoap::e2e
