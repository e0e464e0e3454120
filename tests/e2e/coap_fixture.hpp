#pragma once
// The fixture of the CoAP end-to-end tests: atcoap on stdio with echo off, beside a CoAP
// server, and the steps of the note's examples (§5.1, §5.2) with every wait bounded.

#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <string>

#include "coap_peer.hpp"
#include "e2e_support.hpp"

namespace atcoap::e2e {

/// The PSK file of the note's §5.2: identity, '&', the key in hexadecimal ("12344FG89").
inline constexpr std::string_view kNotePskFile = "864508030012428&313233343446473839";
inline constexpr std::string_view kNotePskIdentity = "864508030012428";
inline constexpr std::string_view kNotePskKey = "12344FG89";

/// Waits for network events: libcoap's /async answers 4 s after its empty ACK, and the
/// retransmission after a loss comes 2 to 3 s after the request (timeout 2 s).
constexpr Millis kNetworkBound{10'000};

/// The modem on stdio with echo off, beside a CoAP server.
class CoapModemTest : public ::testing::Test {
  public:
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

    /// Writes `data` to an upload the modem opened with CONNECT; expects its +QFUPL and OK.
    void expect_upload_of(std::string_view data) {
        ASSERT_TRUE(modem_->in().write_all(data, kAnswerBound));
        EXPECT_EQ(next_urc(), "+QFUPL: " + std::to_string(data.size()) + "," + ufs_checksum(data));
        EXPECT_EQ(next_urc(), "OK");
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
        send_note_message();
        close_client();
        EXPECT_EQ(modem_->out().unread(), "");
    }

    /// The note's example §5.2 as it stands, but the server's address: the PSK file upload
    /// (39 announced, 34 sent: the upload ends at its 5 s timeout), the DTLS settings, OPEN
    /// with the handshake, the NON POST answered 4.04, CLOSE with close_notify.
    void run_note_example_dtls(std::uint16_t dtls_port) {
        expect("AT+QCOAPCFG=\"pdpcid\",0,1", "\r\nOK\r\n");
        expect("AT+QCOAPCFG=\"trans\",0,4,5", "\r\nOK\r\n");
        expect("AT+QCOAPCFG=\"dtls\",0,1,0", "\r\nOK\r\n");
        expect("AT+QSSLCFG=\"dtls\",0,1", "\r\nOK\r\n");
        expect("AT+QSSLCFG=\"dtlsversion\",0,1", "\r\nOK\r\n");
        expect("AT+QFUPL=\"UFS:0_server.psk\",39", "\r\nCONNECT\r\n");
        ASSERT_TRUE(modem_->in().write_all(kNotePskFile, kAnswerBound));
        // docs/DIALECT.md §5: the note prints 2802, which its own 34 bytes cannot give.
        EXPECT_EQ(next_urc(kNetworkBound), "+QFUPL: 34,322e");
        EXPECT_EQ(next_urc(), "OK");
        expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + std::to_string(dtls_port), "\r\nOK\r\n");
        EXPECT_EQ(next_urc(), "+QCOAPOPEN: 0,0");
        send_note_message();
        close_client();
        EXPECT_EQ(modem_->out().unread(), "");
    }

    /// The note's header, options and NON POST of 20 bytes, answered NON 4.04 "Not Found".
    void send_note_message() {
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
inline int message_id_of(const std::string& recv) {
    const std::size_t first = recv.find(',');
    return std::stoi(recv.substr(first + 1, recv.find(',', first + 1) - first - 1));
}

}  // namespace atcoap::e2e
