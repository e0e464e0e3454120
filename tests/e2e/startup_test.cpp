// What atcoap refuses at start, before the AT port opens: a second instance on one file system
// directory, and an IMEI that is not one (docs/RUNNING.md).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "e2e_support.hpp"

namespace atcoap::e2e {
namespace {

TEST(StartupTest, ASecondInstanceOnOneUfsDirectoryRefusesToStartAndNamesTheFirst) {
    TempDir dir;
    std::string error;
    auto first = start_quiet_modem(dir.path(), error);
    ASSERT_NE(first, nullptr) << error;

    auto second = start_atcoap(dir.path(), {}, error);
    ASSERT_NE(second, nullptr) << error;
    const auto ended = second->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 1);
    EXPECT_TRUE(second->err().wait_for(
        dir.path().string() + " is in use by atcoap process " + std::to_string(first->pid()),
        kAnswerBound))
        << second->err().unread();
    EXPECT_EQ(second->out().unread(), "");  // no RDY: it never served an AT port

    // The first goes on serving its host.
    EXPECT_EQ(exchange(first->in(), first->out(), "AT", "OK\r\n"), "\r\nOK\r\n");
}

TEST(StartupTest, AnImeiThatIsNotFifteenDigitsIsRefused) {
    const std::vector<std::string> bad{"12345", "8645080300124289", "86450803001242x",
                                       "864508030012\r\nOK"};
    for (const std::string& imei : bad) {
        TempDir dir;
        std::string error;
        auto modem = start_atcoap(dir.path(), {"--imei", imei}, error);
        ASSERT_NE(modem, nullptr) << error;
        const auto ended = modem->wait_exit(kAnswerBound);
        ASSERT_TRUE(ended.has_value());
        EXPECT_EQ(ended->code, 2);
        EXPECT_TRUE(modem->err().wait_for("--imei wants 15 decimal digits", kAnswerBound));
        EXPECT_EQ(modem->out().unread(), "");
    }
}

TEST(StartupTest, TcpOnAnAddressOtherThanLoopbackNeedsAllowRemote) {
    // Nothing is bound: the refusal comes before the port opens.
    for (const std::string address : {"0.0.0.0:0", "[::]:0", "192.0.2.1:7000"}) {
        TempDir dir;
        std::string error;
        auto modem = start_atcoap(dir.path(), {"--tcp", address}, error);
        ASSERT_NE(modem, nullptr) << error;
        const auto ended = modem->wait_exit(kAnswerBound);
        ASSERT_TRUE(ended.has_value());
        EXPECT_EQ(ended->code, 2);
        EXPECT_TRUE(
            modem->err().wait_for("is not a loopback address; add --allow-remote", kAnswerBound))
            << modem->err().unread();
    }
}

TEST(StartupTest, AFifteenDigitImeiIsWhatAtCgsnReports) {
    TempDir dir;
    std::string error;
    auto modem = start_quiet_modem(dir.path(), {"--imei", "490154203237518"}, error);
    ASSERT_NE(modem, nullptr) << error;
    EXPECT_EQ(exchange(modem->in(), modem->out(), "AT+CGSN", "OK\r\n"),
              "\r\n490154203237518\r\n\r\nOK\r\n");
}

}  // namespace
}  // namespace atcoap::e2e
