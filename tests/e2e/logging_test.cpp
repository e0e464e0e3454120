// Every error on the AT port is explained by one log line naming the command (RUNNING.md).

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace atcoap::e2e
