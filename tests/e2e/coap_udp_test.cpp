// The real program over standard input and output, doing CoAP over UDP against Debian's libcoap
// server (coap-server-notls) and against `atcoap server`, both on 127.0.0.1 (AT_COAP.md).

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "coap_fixture.hpp"

namespace atcoap::e2e {
namespace {

using CoapUdpTest = CoapModemTest;

TEST_F(CoapUdpTest, NoteExampleRunsAgainstLibcoapServer) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_libcoap_server({}, error), error));
    run_note_example();
}

TEST_F(CoapUdpTest, NoteExampleRunsAgainstAtcoapServer) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_atcoap_server({}, error), error));
    run_note_example();
}

TEST_F(CoapUdpTest, ObservingLibcoapTimeReportsEachNotificationWithTheRequestToken) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_libcoap_server({}, error), error));
    open_client();
    expect("AT+QCOAPHEADER=0,100,0,4,0a0b0c0d", "\r\nOK\r\n");
    expect("AT+QCOAPOPTION=0,0,0,6,0", "\r\nOK\r\n");
    expect("AT+QCOAPOPTION=0,0,1,11,\"time\"", "\r\nOK\r\n");
    send_con_get(3);
    EXPECT_EQ(next_urc(), "+QCOAPACK: 0,0,100,0");
    // libcoap sends its notifications as CON: unless the modem acknowledges them, it stops
    // after the first one, so three distinct reports show that they are acknowledged.
    const std::regex report(R"re(\+QCOAPRECV: 0,(\d+),2\.05,4,0A0B0C0D,\d+,6,"(\d+)",.*)re");
    std::set<std::string> sequence_numbers;
    for (int i = 0; i < 3; ++i) {
        const std::string received = next_urc();
        std::smatch parts;
        ASSERT_TRUE(std::regex_search(received, parts, report)) << received;
        sequence_numbers.insert(parts[2]);
    }
    EXPECT_EQ(sequence_numbers.size(), 3U);
    close_client();
}

TEST_F(CoapUdpTest, WithServerRunsTheTestServerBesideTheModemAndPrintsTheReplayLines) {
    // README's main command: `atcoap --with-server` (here on a free port, not 5683).
    const std::uint16_t port = free_udp_port();
    std::string error;
    modem_.reset();  // the fixture's modem: one atcoap per --ufs directory (docs/RUNNING.md)
    auto modem = start_quiet_modem(dir_.path(),
                                   {"--with-server", "127.0.0.1:" + std::to_string(port)}, error);
    ASSERT_NE(modem, nullptr) << error;
    modem_.swap(modem);
    server_.port = port;
    const std::string open_line = "AT+QCOAPOPEN=0,\"127.0.0.1\"," + port_text() + "\n";
    EXPECT_TRUE(modem_->err().wait_for(open_line, kAnswerBound)) << modem_->err().unread();
    EXPECT_TRUE(answers_coap_ping(port, kAnswerBound));
    run_note_example();
}

TEST_F(CoapUdpTest, LibcoapAsyncAnswersSeparatelyAfterItsEmptyAck) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_libcoap_server({}, error), error));
    open_client();
    expect("AT+QCOAPHEADER=0,200,0,2,abcd", "\r\nOK\r\n");
    expect("AT+QCOAPOPTION=0,0,0,11,\"async\"", "\r\nOK\r\n");
    // Debian's libcoap 4.3.1 mistakes `?delay=N` for an absolute time and never answers; without
    // the query it answers 4 s later (TESTING.md).
    send_con_get(1);
    EXPECT_EQ(next_urc(), "+QCOAPACK: 0,0,200,0");
    const std::string received = next_urc();
    EXPECT_TRUE(received.starts_with("+QCOAPRECV: ")) << received;
    EXPECT_NE(received.find(",2.05,2,ABCD,"), std::string::npos) << received;
    // The separate response is the server's own CON, with the server's message ID.
    EXPECT_NE(message_id_of(received), 200) << received;
    close_client();
}

TEST_F(CoapUdpTest, ALostAnswerIsRecoveredByRetransmissionAndReported) {
    std::string error;
    // libcoap drops the first datagram it sends: the piggybacked answer to the first request.
    ASSERT_NO_FATAL_FAILURE(start_server(start_libcoap_server({"-l", "1"}, error), error));
    expect("AT+QCOAPCFG=\"trans\",0,2,4", "\r\nOK\r\n");
    expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + port_text(), "\r\nOK\r\n");
    EXPECT_EQ(next_urc(), "+QCOAPOPEN: 0,0");
    expect("AT+QCOAPHEADER=0,300,0,1,77", "\r\nOK\r\n");
    send_con_get(0);
    EXPECT_EQ(next_urc(), "+QCOAPIND: 0,0,300,1,0");
    EXPECT_EQ(next_urc(), "+QCOAPACK: 0,0,300,0");
    const std::string received = next_urc();
    EXPECT_TRUE(received.starts_with("+QCOAPRECV: 0,300,2.05,1,77,")) << received;
    close_client();
}

TEST_F(CoapUdpTest, AtcoapServerSeparateAndObserveResourcesReachTheHost) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(start_server(start_atcoap_server({}, error), error));
    open_client();
    expect("AT+QCOAPHEADER=0,400,0,1,01", "\r\nOK\r\n");
    expect("AT+QCOAPOPTION=0,0,0,11,\"separate\"", "\r\nOK\r\n");
    send_con_get(1);
    EXPECT_EQ(next_urc(), "+QCOAPACK: 0,0,400,0");
    std::string received = next_urc();
    EXPECT_TRUE(received.starts_with("+QCOAPRECV: ")) << received;
    EXPECT_NE(received.find(",2.05,1,01,"), std::string::npos) << received;

    expect("AT+QCOAPHEADER=0,500,0,1,02", "\r\nOK\r\n");
    expect("AT+QCOAPOPTION=0,0,0,11,\"obs\"", "\r\nOK\r\n");
    expect("AT+QCOAPOPTION=0,0,1,6,0", "\r\nOK\r\n");
    send_con_get(3);
    EXPECT_EQ(next_urc(), "+QCOAPACK: 0,0,500,0");
    for (int i = 0; i < 2; ++i) {
        received = next_urc();
        EXPECT_TRUE(received.starts_with("+QCOAPRECV: ")) << received;
        EXPECT_NE(received.find(",2.05,1,02,"), std::string::npos) << received;
    }
    close_client();
}

}  // namespace
}  // namespace atcoap::e2e
