// A new host on the AT port (a TCP connection, a terminal opened again) finds a modem waiting
// for a command line: nothing of the previous host's half-typed line, data phase or output.

#include <gtest/gtest.h>

#include <string>

#include "quiet_modem.hpp"

namespace atcoap::modem {
namespace {

class HostAttachTest : public ::testing::Test, protected test_support::QuietModem {};

TEST_F(HostAttachTest, AHalfTypedLineIsNotJoinedToTheNextHostsLine) {
    run("AT+QFL");
    modem.on_host_attached(at_ms(1));
    EXPECT_EQ(run("AT\r\n"), "\r\nOK\r\n");  // not AT+QFLAT
}

TEST_F(HostAttachTest, AnOpenUploadEndsAndStoresNothing) {
    EXPECT_EQ(run("AT+QFUPL=\"a.txt\",10\r\n"), "\r\nCONNECT\r\n");
    run("12345");
    modem.on_host_attached(at_ms(1));
    EXPECT_EQ(run("AT\r\n"), "\r\nOK\r\n");  // a command, not upload data
    EXPECT_TRUE(storage.list()->empty());
    EXPECT_EQ(logger.count("data phase is dropped"), 1U);
}

TEST_F(HostAttachTest, AnOpenPromptEndsAndSendsNothing) {
    run("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n");
    for (net::Request& request : modem.take_network_requests()) {
        if (const auto* open = std::get_if<net::OpenSocket>(&request)) {
            modem.on_socket_opened(open->id, net::OpenResult::Opened, at_ms(0));
        }
    }
    modem.take_host_output();
    EXPECT_EQ(run("AT+QCOAPSEND=0,1,1,0,5\r\n"), "\r\n> ");
    run("ab");
    modem.on_host_attached(at_ms(1));
    EXPECT_EQ(run("AT\r\n"), "\r\nOK\r\n");
    EXPECT_TRUE(modem.take_network_requests().empty());
}

TEST_F(HostAttachTest, OutputTheEarlierHostDidNotTakeIsDropped) {
    modem.on_host_bytes(as_bytes("ATI\r\n"), at_ms(0));  // its answer is never taken
    modem.on_host_attached(at_ms(1));
    EXPECT_EQ(run("AT\r\n"), "\r\nOK\r\n");
}

}  // namespace
}  // namespace atcoap::modem
