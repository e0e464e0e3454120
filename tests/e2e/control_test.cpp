// The control socket end to end (docs/CONTROL.md): `atcoap --control` and `atcoap ctl` change
// the radio, the PDP context, the module's life and its latency while a client talks to
// `atcoap server`, and the host sees what docs/DIALECT.md says; bad requests and bad clients
// change nothing.

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "control_fixture.hpp"

namespace atcoap::e2e {
namespace {

using ControlTest = ControlModemTest;

const std::regex kAckOk(R"(\+QCOAPACK: 0,0,\d+,0)");
const std::regex kAckFailed(R"(\+QCOAPACK: 0,0,\d+,-11)");

TEST_F(ControlTest, TheSocketIsPrivateAndGoneAtExit) {
    struct stat info {};
    ASSERT_EQ(::stat(socket_path().c_str(), &info), 0);
    EXPECT_TRUE(S_ISSOCK(info.st_mode));
    EXPECT_EQ(info.st_mode & 0777, 0600U);
    modem_->in().close();
    const auto status = modem_->wait_exit(kAnswerBound);
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->exited_zero());
    EXPECT_NE(::stat(socket_path().c_str(), &info), 0);
}

TEST_F(ControlTest, AnExistingFileThatIsNotASocketIsNotReplaced) {
    const std::string path = (socket_dir_.path() / "file").string();
    ASSERT_TRUE(socket_dir_.write_file("file", "keep"));
    std::string error;
    const TempDir ufs;  // its own: one atcoap per --ufs directory
    auto other = start_atcoap(ufs.path(), {"--control", path}, error);
    ASSERT_NE(other, nullptr) << error;
    const auto status = other->wait_exit(kAnswerBound);
    ASSERT_TRUE(status);
    EXPECT_EQ(status->code, 2);
    EXPECT_NE(other->err().unread().find("not a socket"), std::string::npos);
    std::ifstream kept(path);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), "keep");
}

TEST_F(ControlTest, RadioOffFailsASendAndRadioOnRestoresIt) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_atcoap_server({}, error), error));
    open_client();
    const CtlRun off = ctl({"radio", "off"});
    ASSERT_EQ(off.code, 0) << off.err;
    EXPECT_EQ(off.out, "");
    expect("AT+CEREG?", "\r\n+CEREG: 0,0\r\n\r\nOK\r\n");
    expect("AT+CFUN?", "\r\n+CFUN: 1\r\n\r\nOK\r\n");
    send_con_get(0);
    const std::string failed = next_urc();
    EXPECT_TRUE(std::regex_match(failed, kAckFailed)) << failed;

    ASSERT_EQ(ctl({"radio", "on"}).code, 0);
    send_con_get(0);
    const std::string acked = next_urc();
    EXPECT_TRUE(std::regex_match(acked, kAckOk)) << acked;
    EXPECT_TRUE(next_urc().starts_with("+QCOAPRECV: 0,"));
    const CtlRun status = ctl({"status"});
    ASSERT_EQ(status.code, 0) << status.err;
    const auto json = nlohmann::json::parse(status.out);
    EXPECT_EQ(json.at("clients").at(0).at("status"), "connected");
    EXPECT_EQ(json.at("clients").at(0).at("datagrams_sent"), 1);
}

TEST_F(ControlTest, PdpDropPrintsTheUrcAndFailsASend) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_atcoap_server({}, error), error));
    open_client();
    ASSERT_EQ(ctl({"pdp", "drop", "1"}).code, 0);
    EXPECT_EQ(next_urc(), "+QIURC: \"pdpdeact\",1");
    expect("AT+QIACT?", "\r\nOK\r\n");
    send_con_get(0);
    const std::string failed = next_urc();
    EXPECT_TRUE(std::regex_match(failed, kAckFailed)) << failed;
    const CtlRun again = ctl({"pdp", "drop", "1"});
    EXPECT_EQ(again.code, 1);
    EXPECT_NE(again.err.find("already inactive"), std::string::npos) << again.err;
    ASSERT_EQ(ctl({"pdp", "restore", "1"}).code, 0);
    send_con_get(0);
    const std::string acked = next_urc();
    EXPECT_TRUE(std::regex_match(acked, kAckOk)) << acked;
}

TEST_F(ControlTest, RebootSaysRdyAgainAndKeepsTheFiles) {
    expect("AT+QFUPL=\"kept.txt\",5", "\r\nCONNECT\r\n");
    expect_upload_of("hello");
    ASSERT_EQ(ctl({"reboot"}).code, 0);
    ASSERT_TRUE(modem_->out().wait_for("\r\nRDY\r\n\r\nAPP RDY\r\n", kAnswerBound));
    EXPECT_EQ(modem_->out().take_all(), "\r\nRDY\r\n\r\nAPP RDY\r\n");
    // Echo is back on: the restart lost ATE0.
    EXPECT_EQ(exchange(modem_->in(), modem_->out(), "ATE0"), "ATE0\r\r\nOK\r\n");
    expect("AT+QFLST", "\r\n+QFLST: \"UFS:kept.txt\",5\r\n\r\nOK\r\n");
}

TEST_F(ControlTest, SignalAndUrcReachTheHost) {
    ASSERT_EQ(ctl({"signal", "20", "0"}).code, 0);
    expect("AT+CSQ", "\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
    ASSERT_EQ(ctl({"urc", "+QIURC: \"recv\",0"}).code, 0);
    EXPECT_EQ(next_urc(), "+QIURC: \"recv\",0");
    const CtlRun bad = ctl({"signal", "40", "0"});
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.err.find("rssi"), std::string::npos) << bad.err;
    EXPECT_EQ(ctl({"signal", "x"}).code, 2);
    EXPECT_EQ(ctl({"teleport"}).code, 2);
    expect("AT+CSQ", "\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
}

TEST_F(ControlTest, LatencyDelaysTheAnswer) {
    ASSERT_EQ(ctl({"latency", "400ms"}).code, 0);
    const auto start = std::chrono::steady_clock::now();
    expect_at_answers();
    // The core's clock counts whole milliseconds: the deadline may fall up to 1 ms early.
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(399));
    ASSERT_EQ(ctl({"latency", "0"}).code, 0);
    expect_at_answers();
}

TEST_F(ControlTest, BadRequestsGetErrorsAndTheModemStillAnswers) {
    Channel client = greeted_client();
    EXPECT_TRUE(request(client, "{nope").starts_with("{\"error\":{\"class\":\"GenericError\""));
    EXPECT_TRUE(request(client, R"({"execute":"warp","id":4})")
                    .starts_with("{\"error\":{\"class\":\"CommandNotFound\""));
    const std::string bad_args =
        request(client, R"({"execute":"pdp","arguments":{"action":"drop","cid":99},"id":5})");
    EXPECT_TRUE(bad_args.starts_with("{\"error\":{\"class\":\"GenericError\"")) << bad_args;
    EXPECT_NE(bad_args.find("\"id\":5"), std::string::npos);
    expect("AT+QIACT?", "\r\n+QIACT: 1,1,1,\"10.64.0.1\"\r\n\r\nOK\r\n");
    EXPECT_EQ(request(client, R"({"execute":"radio","arguments":{"state":"off"}})"),
              "{\"return\":{}}\n");
}

TEST_F(ControlTest, AClientGoneMidLineOrFloodingDoesNotStallTheAtPort) {
    {
        Channel half = greeted_client();
        ASSERT_TRUE(half.write_all(R"({"execute":"rad)", kAnswerBound));
    }  // closed mid-line
    expect_at_answers();
    // A client that sends requests and never reads: its replies pile up past the bound and it
    // is cut off, while the AT port keeps answering.
    Channel flood = greeted_client();
    std::string requests;
    for (int i = 0; i < 2000; ++i) {
        requests += R"({"execute":"status"})"
                    "\n";
    }
    ASSERT_TRUE(flood.write_all(requests, kAnswerBound));
    expect_at_answers();
    EXPECT_TRUE(flood.wait_for_end(kAnswerBound));
    EXPECT_TRUE(modem_->err().wait_for("bytes unread: disconnected", kAnswerBound))
        << modem_->err().unread();
    expect_at_answers();
    // A line past 64 KiB gets one error; the connection goes on.
    Channel long_line = greeted_client();
    EXPECT_TRUE(request(long_line, std::string(70'000, ' ') + "x").find("at most 65536 bytes") !=
                std::string::npos);
    EXPECT_EQ(request(long_line, R"({"execute":"signal","arguments":{"rssi":1,"ber":1}})"),
              "{\"return\":{}}\n");
}

TEST_F(ControlTest, ANinthClientIsRefusedWithAnErrorLine) {
    std::vector<Channel> clients;
    for (int i = 0; i < 8; ++i) {
        clients.push_back(greeted_client());
    }
    Channel ninth = connect_unix(socket_path());
    ASSERT_TRUE(ninth.wait_for_end(kAnswerBound));
    EXPECT_NE(ninth.unread().find("too many control clients"), std::string::npos) << ninth.unread();
    EXPECT_TRUE(modem_->err().wait_for("was refused", kAnswerBound)) << modem_->err().unread();
    clients.pop_back();
    // A place is free again once a client left.
    Channel again = connect_unix(socket_path());
    EXPECT_TRUE(again.wait_for("\"atcoap\"", kAnswerBound));
}

TEST_F(ControlTest, EventsShowAUrc) {
    std::string error;
    auto events = test::ChildProcess::start(ATCOAP_BINARY,
                                            {"ctl", "--socket", socket_path(), "events"}, error);
    ASSERT_NE(events, nullptr) << error;
    // The stream starts once it is connected: mark URCs until one shows there.
    bool seen = false;
    for (int i = 0; i < 50 && !seen; ++i) {
        const std::string line = "+MARK: " + std::to_string(i);
        ASSERT_EQ(ctl({"urc", line}).code, 0);
        EXPECT_EQ(next_urc(), line);
        seen = events->out().wait_for("\"line\":\"" + line + "\"", Millis{100});
    }
    ASSERT_TRUE(seen) << events->out().unread();
    EXPECT_TRUE(events->out().unread().starts_with("{\"event\":\"URC\",\"data\":{\"line\":"));
    EXPECT_NE(events->out().unread().find("\"timestamp\":{\"seconds\":"), std::string::npos);
}

TEST_F(ControlTest, CtlQuitEndsTheProgramCleanly) {
    const CtlRun quit = ctl({"quit"});
    EXPECT_EQ(quit.code, 0) << quit.err;
    const auto status = modem_->wait_exit(kAnswerBound);
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->exited_zero());
}

TEST_F(ControlTest, QuitEndsTheProgramCleanly) {
    // The reply reaches the client before the program ends.
    Channel client = greeted_client();
    EXPECT_EQ(request(client, R"({"execute":"quit","id":"q"})"), "{\"return\":{},\"id\":\"q\"}\n");
    const auto status = modem_->wait_exit(kAnswerBound);
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->exited_zero());
    struct stat info {};
    EXPECT_NE(::stat(socket_path().c_str(), &info), 0);
}

}  // namespace
}  // namespace atcoap::e2e
