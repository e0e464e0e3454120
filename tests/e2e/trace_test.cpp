// Traces Wireshark opens (docs/TRACES.md): `atcoap --pcap` and `atcoap server --pcap` during the
// note's examples (§5.1 over UDP, §5.2 over DTLS), decoded by tshark; with SSLKEYLOGFILE the
// DTLS records decrypt to the CoAP inside. tshark is a dependency (scripts/install-deps.sh): in
// CI (CI=true) a missing tshark fails these tests instead of skipping them.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "coap_fixture.hpp"
#include "tshark.hpp"

namespace atcoap::e2e {
namespace {

/// tshark's CoAP code (decimal: 2 POST, 1 GET, 132 4.04, 69 2.05) and Uri-Path per message.
std::vector<std::string> coap_rows(const std::filesystem::path& trace,
                                   const std::vector<std::string>& decode_options) {
    std::vector<std::string> arguments{"-r", trace.string()};
    arguments.insert(arguments.end(), decode_options.begin(), decode_options.end());
    for (const std::string word :
         {"-Y", "coap", "-T", "fields", "-e", "coap.code", "-e", "coap.opt.uri_path"}) {
        arguments.push_back(word);
    }
    return tshark_rows(arguments);
}

class TraceTest : public CoapModemTest {
  public:
    void SetUp() override {
        ATCOAP_REQUIRE_TSHARK();
        CoapModemTest::SetUp();
    }

    /// Replaces the fixture's modem by one started with `arguments` (and, when `key_log` is
    /// given, SSLKEYLOGFILE set to it).
    void restart_modem(const std::vector<std::string>& arguments,
                       const std::filesystem::path& key_log = {}) {
        if (!key_log.empty()) {
            ::setenv("SSLKEYLOGFILE", key_log.c_str(), 1);
        }
        std::string error;
        modem_.reset();  // one atcoap per --ufs directory (docs/RUNNING.md)
        auto modem = start_quiet_modem(dir_.path(), arguments, error);
        ::unsetenv("SSLKEYLOGFILE");
        ASSERT_NE(modem, nullptr) << error;
        modem_.swap(modem);
    }

    /// Ends the modem (its input closes) so that its trace is complete.
    void end_modem() {
        modem_->in().close();
        const auto ended = modem_->wait_exit(kAnswerBound);
        ASSERT_TRUE(ended.has_value());
        EXPECT_EQ(ended->code, 0) << modem_->err().unread();
    }

    TempDir traces_;
};

TEST_F(TraceTest, APlainUdpSessionOfTheNotesExampleIsDecodedByTshark) {
    const auto modem_trace = traces_.path() / "modem.pcap";
    const auto server_trace = traces_.path() / "server.pcap";
    std::string error;
    ASSERT_NO_FATAL_FAILURE(
        start_server(start_atcoap_server({"--pcap", server_trace.string()}, error), error));
    ASSERT_NO_FATAL_FAILURE(restart_modem({"--pcap", modem_trace.string(), "--log-level", "info"}));
    run_note_example();
    // The per-message lines of the log (docs/TRACES.md).
    Channel& log = modem_->err();
    EXPECT_TRUE(log.wait_for("client 0 <- NON 4.04 mid=", kAnswerBound)) << log.unread();
    EXPECT_NE(log.unread().find("client 0 -> NON POST /19 mid=1234 token="), std::string::npos)
        << log.unread();
    ASSERT_NO_FATAL_FAILURE(end_modem());

    // §5.1: NON POST /19, answered 4.04; the same two messages in both traces.
    const std::vector<std::string> expected{"2\t19", "132\t"};
    const std::vector<std::string> decode{"-d", "udp.port==" + port_text() + ",coap"};
    EXPECT_EQ(coap_rows(modem_trace, decode), expected);
    // The server's trace starts with the CoAP ping (CON 0.00, RST) that told the test it was up.
    std::vector<std::string> with_ping{"0\t", "0\t"};
    with_ping.insert(with_ping.end(), expected.begin(), expected.end());
    EXPECT_EQ(coap_rows(server_trace, decode), with_ping);
    // The addresses and ports are the sockets' own, and the checksums hold.
    const auto ends =
        tshark_rows({"-r", modem_trace.string(), "-o", "udp.check_checksum:TRUE", "-o",
                     "ip.check_checksum:TRUE", "-T", "fields", "-e", "ip.src", "-e", "ip.dst", "-e",
                     "udp.dstport", "-e", "udp.checksum.status", "-e", "ip.checksum.status"});
    ASSERT_EQ(ends.size(), 2U);
    EXPECT_EQ(ends[0], "127.0.0.1\t127.0.0.1\t" + port_text() + "\t1\t1");
}

TEST_F(TraceTest, ADtlsSessionDecryptsWithTheKeyLogAndShowsTheCoapInside) {
    const auto modem_trace = traces_.path() / "modem.pcap";
    const auto server_trace = traces_.path() / "server.pcap";
    const auto keys = traces_.path() / "keys.log";
    const std::uint16_t dtls_port = free_udp_port();
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(
        start_atcoap_server({"--dtls", "127.0.0.1:" + std::to_string(dtls_port), "--psk",
                             "864508030012428:313233343446473839", "--pcap", server_trace.string()},
                            error),
        error));
    ASSERT_NO_FATAL_FAILURE(restart_modem({"--pcap", modem_trace.string()}, keys));
    run_note_example_dtls(dtls_port);
    // Then a CON GET the server answers 2.05, on a new session with the same settings.
    expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + std::to_string(dtls_port), "\r\nOK\r\n");
    EXPECT_EQ(next_urc(), "+QCOAPOPEN: 0,0");
    expect("AT+QCOAPHEADER=0,77,0,1,01", "\r\nOK\r\n");
    expect("AT+QCOAPOPTION=0,0,0,11,\"test\"", "\r\nOK\r\n");
    send_con_get(1);
    EXPECT_EQ(next_urc(), "+QCOAPACK: 0,0,77,0");
    EXPECT_TRUE(next_urc().starts_with("+QCOAPRECV: 0,77,2.05,1,01,"));
    close_client();
    ASSERT_NO_FATAL_FAILURE(end_modem());

    // Wireshark's DTLS port is 5684: another port is named as DTLS, and CoAP inside it.
    const std::string port = std::to_string(dtls_port);
    const std::vector<std::string> decode{"-o", "tls.keylog_file:" + keys.string(),
                                          "-d", "udp.port==" + port + ",dtls",
                                          "-d", "dtls.port==" + port + ",coap"};
    // §5.2: NON POST /19 answered 4.04; then GET /test answered 2.05.
    const std::vector<std::string> expected{"2\t19", "132\t", "1\ttest", "69\t"};
    EXPECT_EQ(coap_rows(modem_trace, decode), expected);
    EXPECT_EQ(coap_rows(server_trace, decode), expected);
    // Without the keys, nothing inside is readable.
    EXPECT_TRUE(coap_rows(modem_trace, {"-d", "udp.port==" + port + ",dtls", "-d",
                                        "dtls.port==" + port + ",coap"})
                    .empty());
}

using JsonLogTest = CoapModemTest;

TEST_F(JsonLogTest, EveryLineIsOneJsonObjectAndAMessageLineCarriesItsFields) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_atcoap_server({}, error), error));
    modem_.reset();  // one atcoap per --ufs directory (docs/RUNNING.md)
    auto modem =
        start_quiet_modem(dir_.path(), {"--log-format", "json", "--log-level", "info"}, error);
    ASSERT_NE(modem, nullptr) << error;
    modem_.swap(modem);
    open_client();
    expect("AT+QCOAPHEADER=0,4660,0,2,0a0b", "\r\nOK\r\n");
    expect("AT+QCOAPOPTION=0,0,0,11,\"test\"", "\r\nOK\r\n");
    send_con_get(1);
    EXPECT_EQ(next_urc(), "+QCOAPACK: 0,0,4660,0");
    EXPECT_TRUE(next_urc().starts_with("+QCOAPRECV: 0,4660,2.05,2,0A0B,"));
    Channel& log = modem_->err();
    ASSERT_TRUE(log.wait_for("\"rtt_ms\"", kAnswerBound)) << log.unread();
    ASSERT_TRUE(log.wait_for("}\n", kAnswerBound));
    close_client();

    std::stringstream lines(log.unread());
    std::vector<nlohmann::json> objects;
    for (std::string line; std::getline(lines, line);) {
        ASSERT_TRUE(nlohmann::json::accept(line)) << line;
        objects.push_back(nlohmann::json::parse(line));
        EXPECT_TRUE(objects.back().contains("time") && objects.back().contains("level") &&
                    objects.back().contains("message"))
            << line;
    }
    const auto sent = std::find_if(objects.begin(), objects.end(), [](const auto& o) {
        return o.contains("direction") && o["direction"] == "sent";
    });
    ASSERT_NE(sent, objects.end());
    EXPECT_EQ((*sent)["message"], "client 0 -> CON GET /test mid=4660 token=0A0B size=11");
    EXPECT_EQ((*sent)["level"], "info");
    EXPECT_EQ((*sent)["client"], 0);
    EXPECT_EQ((*sent)["type"], "CON");
    EXPECT_EQ((*sent)["code"], "GET");
    EXPECT_EQ((*sent)["path"], "/test");
    EXPECT_EQ((*sent)["mid"], 4660);
    EXPECT_EQ((*sent)["token"], "0A0B");
    EXPECT_EQ((*sent)["size"], 11);
    EXPECT_EQ((*sent)["retransmission"], 0);
    EXPECT_FALSE(sent->contains("rtt_ms"));
    const auto answer = std::find_if(objects.begin(), objects.end(),
                                     [](const auto& o) { return o.contains("rtt_ms"); });
    ASSERT_NE(answer, objects.end());
    EXPECT_EQ((*answer)["direction"], "received");
    EXPECT_EQ((*answer)["type"], "ACK");
    EXPECT_EQ((*answer)["code"], "2.05");
    EXPECT_GE((*answer)["rtt_ms"].get<int>(), 0);
}

using FullDiskTest = CoapModemTest;

TEST_F(FullDiskTest, AFullDiskStopsTheTraceWithOneLineAndTheModemGoesOn) {
    // A file size limit of 300 bytes stands in for a full disk: the pcap header and a few
    // packets fit, then writes fail (EFBIG; SIGXFSZ ignored). The modem inherits both; this
    // process puts its own back at once.
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_atcoap_server({}, error), error));
    const TempDir traces;
    const auto trace = traces.path() / "modem.pcap";
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    rlimit small = saved;
    small.rlim_cur = 300;
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    ::setrlimit(RLIMIT_FSIZE, &small);
    modem_.reset();  // one atcoap per --ufs directory (docs/RUNNING.md)
    auto modem = start_quiet_modem(dir_.path(), {"--pcap", trace.string()}, error);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, old_handler);
    ASSERT_NE(modem, nullptr) << error;
    modem_.swap(modem);

    open_client();
    expect("AT+QCOAPHEADER=0,100,0,1,01", "\r\nOK\r\n");
    for (int i = 0; i < 6; ++i) {
        send_con_get(0);
        EXPECT_EQ(next_urc(), "+QCOAPACK: 0,0," + std::to_string(100 + i) + ",0");
        EXPECT_TRUE(next_urc().starts_with("+QCOAPRECV: 0,")) << i;
    }
    close_client();
    Channel& log = modem_->err();
    EXPECT_TRUE(log.wait_for("the trace stops here", kAnswerBound)) << log.unread();
    const std::string first = log.unread();
    EXPECT_NE(first.find("error --pcap " + trace.string() + ": cannot write (File too large)"),
              std::string::npos)
        << first;
    modem_->in().close();
    ASSERT_TRUE(modem_->wait_exit(kAnswerBound).has_value());
    log.wait_for_end(kAnswerBound);
    const std::string all = log.unread();
    EXPECT_EQ(all.find("--pcap"), all.rfind("--pcap")) << "one line only: " << all;
    EXPECT_LE(std::filesystem::file_size(trace), 300U);
}

TEST(TraceFileTest, AnUncreatableTraceEndsTheModemAndTheServerAtStartWithOneLine) {
    TempDir dir;
    const std::string nowhere = (dir.path() / "no" / "trace.pcap").string();
    std::string error;
    auto modem = start_atcoap(dir.path() / "ufs", {"--pcap", nowhere}, error);
    ASSERT_NE(modem, nullptr) << error;
    auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 2);
    EXPECT_TRUE(modem->err().wait_for_end(kAnswerBound));
    EXPECT_EQ(modem->err().unread(),
              "atcoap: --pcap: " + nowhere + ": No such file or directory\n");
    EXPECT_EQ(modem->out().unread(), "");  // not even RDY

    auto server = test::ChildProcess::start(
        ATCOAP_BINARY, {"server", "--listen", "127.0.0.1:0", "--pcap", nowhere}, error);
    ASSERT_NE(server, nullptr) << error;
    ended = server->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 2);
    EXPECT_TRUE(server->err().wait_for_end(kAnswerBound));
    EXPECT_EQ(server->err().unread(),
              "atcoap server: --pcap: " + nowhere + ": No such file or directory\n");
}

TEST(TraceFileTest, AnUnknownLogFormatIsRefusedAtStartWithOneLine) {
    TempDir dir;
    std::string error;
    auto modem = start_atcoap(dir.path() / "ufs", {"--log-format", "xml"}, error);
    ASSERT_NE(modem, nullptr) << error;
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 2);
    EXPECT_TRUE(modem->err().wait_for_end(kAnswerBound));
    EXPECT_EQ(modem->err().unread(), "atcoap: --log-format wants text or json, got 'xml'\n");
}

}  // namespace
}  // namespace atcoap::e2e
