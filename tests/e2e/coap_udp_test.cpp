// The real program over standard input and output, doing CoAP over UDP against Debian's libcoap
// server (coap-server-notls) and against `atcoap server`, both on 127.0.0.1 (AT_COAP.md).

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "coap_peer.hpp"
#include "e2e_support.hpp"

namespace atcoap::e2e {
namespace {

/// Waits for network events: libcoap's /async answers 4 s after its empty ACK, and the
/// retransmission after a loss comes 2 to 3 s after the request (timeout 2 s).
constexpr Millis kNetworkBound{10'000};

/// The modem on stdio with echo off, beside a CoAP server.
class CoapUdpTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string error;
        modem_ = start_quiet_modem(dir_.path(), error);
        ASSERT_NE(modem_, nullptr) << error;
    }

    void start_server(CoapPeer peer, const std::string& error) {
        ASSERT_NE(peer.process, nullptr) << error;
        server_ = std::move(peer);
    }

    std::string port_text() const { return std::to_string(server_.port); }

    /// Sends `line`; expects exactly `answer` and nothing else so far.
    void expect(const std::string& line, const std::string& answer) {
        EXPECT_EQ(exchange(modem_->in(), modem_->out(), line, answer), answer)
            << line << "\nunread: " << modem_->out().unread();
    }

    /// The next URC: one "\r\n<line>\r\n", and for +QCOAPRECV also the payload of the length
    /// its last field declares (followed by "\r\n"), returned after a '\n'. Empty on timeout.
    std::string next_urc(Millis bound = kNetworkBound) {
        Channel& out = modem_->out();
        if (!out.wait_for_size(2, bound) || !out.unread().starts_with("\r\n")) {
            return "";
        }
        while (out.unread().find("\r\n", 2) == std::string::npos) {
            if (!out.wait_for_size(out.unread().size() + 1, bound)) {
                return "";
            }
        }
        const std::size_t end = out.unread().find("\r\n", 2);
        std::string line = out.unread().substr(2, end - 2);
        out.take_through(line + "\r\n");
        if (!line.starts_with("+QCOAPRECV: ")) {
            return line;
        }
        const std::size_t length = std::stoul(line.substr(line.rfind(',') + 1));
        if (!out.wait_for_size(length + 2, bound)) {
            return "";
        }
        const std::string payload = out.unread().substr(0, length);
        out.take_through(payload + "\r\n");
        return line + "\n" + payload;
    }

    /// Opens client 0 on the server with the note's §5.1 settings.
    void open_client() {
        expect("AT+QCOAPCFG=\"pdpcid\",0,1", "\r\nOK\r\n");
        expect("AT+QCOAPCFG=\"trans\",0,4,5", "\r\nOK\r\n");
        expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + port_text(), "\r\nOK\r\n");
        EXPECT_EQ(next_urc(), "+QCOAPOPEN: 0,0");
    }

    void close_client() {
        expect("AT+QCOAPCLOSE=0", "\r\nOK\r\n");
        EXPECT_EQ(next_urc(), "+QCOAPCLOSE: 0,0");
    }

    /// The note's example §5.1 as it stands, but the server's address.
    void run_note_example() {
        open_client();
        expect("AT+QCOAPOPEN?",
               "\r\n+QCOAPOPEN: 0,\"127.0.0.1\"," + port_text() + ",3\r\n\r\nOK\r\n");
        expect("AT+QCOAPHEADER=0,1234,1", "\r\nOK\r\n");
        expect("AT+QCOAPOPTION=0,0,0,11,\"19\"", "\r\nOK\r\n");
        expect("AT+QCOAPOPTION=0,0,1,12,40", "\r\nOK\r\n");
        expect("AT+QCOAPSEND=0,1,2,1,20", "\r\n> ");
        ASSERT_TRUE(modem_->in().write_all("Hello, CoAP Message!", kAnswerBound));
        EXPECT_EQ(next_urc(), "OK");
        EXPECT_EQ(next_urc(), "+QCOAPACK: 0,1,1234,0");
        // The token is the modem's own (mode 1): six random bytes, as the note shows.
        const std::regex not_found(R"(\+QCOAPRECV: 0,1234,4\.04,6,[0-9A-F]{12},0,9\nNot Found)");
        const std::string received = next_urc();
        EXPECT_TRUE(std::regex_match(received, not_found)) << received;
        close_client();
        EXPECT_EQ(modem_->out().unread(), "");
    }

    /// Sends a CON GET (no payload) with the options in slots `mask`; expects its OK.
    void send_con_get(unsigned mask) {
        expect("AT+QCOAPSEND=0,0,1," + std::to_string(mask) + ",0", "\r\nOK\r\n");
    }

    TempDir dir_;
    std::unique_ptr<ChildProcess> modem_;
    CoapPeer server_;
};

/// "+QCOAPRECV: 0,<msgID>,..." -> msgID.
int message_id_of(const std::string& recv) {
    const std::size_t first = recv.find(',');
    return std::stoi(recv.substr(first + 1, recv.find(',', first + 1) - first - 1));
}

TEST_F(CoapUdpTest, NoteExampleRunsAgainstLibcoapServer) {
    std::string error;
    start_server(start_libcoap_server({}, error), error);
    run_note_example();
}

TEST_F(CoapUdpTest, NoteExampleRunsAgainstAtcoapServer) {
    std::string error;
    start_server(start_atcoap_server({}, error), error);
    run_note_example();
}

TEST_F(CoapUdpTest, ObservingLibcoapTimeReportsEachNotificationWithTheRequestToken) {
    std::string error;
    start_server(start_libcoap_server({}, error), error);
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
    start_server(start_libcoap_server({}, error), error);
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
    start_server(start_libcoap_server({"-l", "1"}, error), error);
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
    start_server(start_atcoap_server({}, error), error);
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
