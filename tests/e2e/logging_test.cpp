// Every error on the AT port is explained by one log line naming the command (RUNNING.md).

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "e2e_support.hpp"

namespace atcoap::e2e {
namespace {

TEST(LoggingTest, ExplainsABadCommandOnStandardError) {
    TempDir dir;
    std::string error;
    auto modem = start_quiet_modem(dir.path(), error);
    ASSERT_NE(modem, nullptr) << error;

    EXPECT_EQ(exchange(modem->in(), modem->out(), "AT+CFUN=3", "ERROR: 50\r\n"),
              "\r\n+CME ERROR: 50\r\n");
    EXPECT_TRUE(modem->err().wait_for("AT+CFUN=3", kAnswerBound)) << modem->err().unread();
}

TEST(LoggingTest, WritesTheExplanationToTheLogFileAndNotToTheAtPort) {
    TempDir dir;
    TempDir logs;
    const std::string log_file = (logs.path() / "atcoap.log").string();
    std::string error;
    auto modem = start_atcoap(dir.path(), {"--log", log_file}, error);
    ASSERT_NE(modem, nullptr) << error;

    ASSERT_TRUE(modem->in().write_all("ATE0\r\nAT+CFUN=3\r\n", kAnswerBound));
    modem->in().close();
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 0);

    EXPECT_EQ(modem->out().unread(),
              "\r\nRDY\r\n\r\nAPP RDY\r\nATE0\r\r\nOK\r\n\r\n+CME ERROR: 50\r\n");
    std::ifstream file(log_file);
    std::stringstream text;
    text << file.rdbuf();
    EXPECT_NE(text.str().find("AT+CFUN=3"), std::string::npos) << text.str();
    EXPECT_EQ(modem->err().unread().find("AT+CFUN=3"), std::string::npos);
}

TEST(LoggingTest, LogLinesOnTheRawTerminalOfTheAtPortEndInCrLf) {
    // atcoap on a terminal, as a person runs it: the AT port puts it in raw mode, where a bare
    // LF moves down without returning the cursor, so every log line must end in CR LF.
    TempDir dir;
    const std::uint16_t port = free_udp_port();
    std::string error;
    auto modem = ChildProcess::start_on_terminal(
        ATCOAP_BINARY,
        {"--ufs", (dir.path() / "ufs").string(), "--log-level", "info", "--with-server",
         "127.0.0.1:" + std::to_string(port)},
        error);
    ASSERT_NE(modem, nullptr) << error;
    Channel& tty = modem->out();
    ASSERT_TRUE(tty.wait_for("APP RDY\r\n", kAnswerBound)) << tty.unread();
    tty.take_through("APP RDY\r\n");
    ASSERT_TRUE(modem->in().write_all("AT+QCOAPOPEN=0,\"127.0.0.1\"," + std::to_string(port) + "\r",
                                      kAnswerBound));
    ASSERT_TRUE(tty.wait_for("+QCOAPOPEN: 0,0\r\n", kAnswerBound)) << tty.unread();
    ASSERT_TRUE(modem->in().write_all("AT+QCOAPSEND=0,0,1,0,0\r", kAnswerBound));
    ASSERT_TRUE(tty.wait_for("+QCOAPRECV: ", kAnswerBound)) << tty.unread();
    ASSERT_TRUE(tty.wait_for(" <- ACK 2.05 ", kAnswerBound)) << tty.unread();
    ASSERT_TRUE(tty.wait_for("ms\r\n", kAnswerBound)) << tty.unread();

    const std::string& seen = tty.unread();
    EXPECT_NE(seen.find("client 0: UDP to 127.0.0.1:"), std::string::npos) << seen;
    EXPECT_NE(seen.find("client 0 -> CON GET mid="), std::string::npos) << seen;
    for (std::size_t at = seen.find('\n'); at != std::string::npos; at = seen.find('\n', at + 1)) {
        EXPECT_TRUE(at > 0 && seen[at - 1] == '\r') << "a bare LF at " << at << " in: " << seen;
    }
    modem->send_signal(SIGTERM);
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 0);
}

}  // namespace
}  // namespace atcoap::e2e
