// atcoap on TCP: one host at a time, a second one refused with one line (RUNNING.md).

#include <gtest/gtest.h>

#include <csignal>

#include "e2e_support.hpp"

namespace atcoap::e2e {
namespace {

TEST(TcpTest, ServesOneHostAndRefusesASecondWithTheBusyLine) {
    TempDir dir;
    const std::uint16_t port = free_tcp_port();
    ASSERT_NE(port, 0);
    const std::string address = "127.0.0.1:" + std::to_string(port);
    std::string error;
    auto modem = start_atcoap(dir.path(), {"--tcp", address}, error);
    ASSERT_NE(modem, nullptr) << error;
    ASSERT_TRUE(modem->err().wait_for("atcoap: AT port on " + address + "\n", kAnswerBound))
        << modem->err().unread();

    Channel first = connect_tcp(port);
    ASSERT_GE(first.fd(), 0);
    const std::string answer = exchange(first, first, "AT");
    EXPECT_NE(answer.find("AT\r\r\nOK\r\n"), std::string::npos) << answer;

    Channel second = connect_tcp(port);
    ASSERT_GE(second.fd(), 0);
    EXPECT_TRUE(second.wait_for_end(kAnswerBound)) << second.unread();
    EXPECT_EQ(second.unread(), "atcoap: AT port busy\r\n");

    // The first host keeps its port.
    EXPECT_EQ(exchange(first, first, "ATE0"), "ATE0\r\r\nOK\r\n");
    EXPECT_EQ(exchange(first, first, "AT+CGMI"), "\r\nQuectel\r\n\r\nOK\r\n");

    modem->send_signal(SIGTERM);
    const auto ended = modem->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 0);
}

TEST(TcpTest, TheNextHostFindsNoneOfThePreviousHostsHalfLineOrUpload) {
    TempDir dir;
    const std::uint16_t port = free_tcp_port();
    ASSERT_NE(port, 0);
    const std::string address = "127.0.0.1:" + std::to_string(port);
    std::string error;
    auto modem = start_atcoap(dir.path(), {"--tcp", address, "--log-level", "info"}, error);
    ASSERT_NE(modem, nullptr) << error;
    ASSERT_TRUE(modem->err().wait_for("AT port on " + address, kAnswerBound));

    {
        Channel first = connect_tcp(port);
        ASSERT_GE(first.fd(), 0);
        EXPECT_EQ(exchange(first, first, "ATE0"), "ATE0\r\r\nOK\r\n");
        EXPECT_EQ(exchange(first, first, "AT+QFUPL=\"left.txt\",100", "CONNECT\r\n"),
                  "\r\nCONNECT\r\n");
        ASSERT_TRUE(first.write_all("half of the", kAnswerBound));
    }
    ASSERT_TRUE(modem->err().wait_for("host disconnected", kAnswerBound)) << modem->err().unread();
    modem->err().take_through("host disconnected");

    Channel second = connect_tcp(port);
    ASSERT_GE(second.fd(), 0);
    // Echo is still off (a setting, not the line's state); the upload is gone, nothing stored.
    EXPECT_EQ(exchange(second, second, "AT+QFLST", "OK\r\n"), "\r\nOK\r\n");
    EXPECT_TRUE(modem->err().wait_for("data phase is dropped", kAnswerBound));
    ASSERT_TRUE(second.write_all("AT+QFL", kAnswerBound));
    second.close();
    ASSERT_TRUE(modem->err().wait_for("host disconnected", kAnswerBound));
    modem->err().take_through("host disconnected");

    Channel third = connect_tcp(port);
    ASSERT_GE(third.fd(), 0);
    EXPECT_EQ(exchange(third, third, "AT", "OK\r\n"), "\r\nOK\r\n");  // not AT+QFLAT
}

}  // namespace
}  // namespace atcoap::e2e
