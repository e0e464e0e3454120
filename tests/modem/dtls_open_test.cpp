// DTLS under the CoAP clients (docs/DIALECT.md §4, note §5.2): the whole modem core against an
// in-memory DTLS server, in virtual time.

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "dtls_harness.hpp"

namespace atcoap::modem::testing {
namespace {

using coap::Message;
using coap::Type;

/// libcoap's answer in the note's example: a NON 4.04 "Not Found" with the request's message
/// ID and token.
std::optional<Message> not_found(const Message& request) {
    Message reply;
    reply.type = Type::Non;
    reply.code = coap::codes::kNotFound;
    reply.message_id = request.message_id;
    reply.token = request.token;
    reply.payload = to_bytes("Not Found");
    return reply;
}

/// A piggybacked 2.05 "ok" for a CON, nothing for anything else.
std::optional<Message> content(const Message& request) {
    if (request.type != Type::Con) {
        return std::nullopt;
    }
    Message reply;
    reply.type = Type::Ack;
    reply.code = coap::codes::kContent;
    reply.message_id = request.message_id;
    reply.token = request.token;
    reply.payload = to_bytes("ok");
    return reply;
}

class DtlsOpenTest : public ::testing::Test {
  protected:
    void open_note_client() {
        modem.configure_note_example();
        modem.send("AT+QCOAPOPEN=0,\"127.0.0.1\",5684");
        ASSERT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QCOAPOPEN: 0,0\r\n");
    }

    DtlsModemHarness modem;
};

TEST_F(DtlsOpenTest, TheNoteExampleOpensSendsReceivesAndClosesOverDtls) {
    modem.answer = not_found;
    open_note_client();
    ASSERT_NE(modem.server_session(), nullptr);
    EXPECT_EQ(modem.server_session()->state(), dtls::State::Established);

    modem.send("AT+QCOAPHEADER=0,1234,1");
    modem.send("AT+QCOAPOPTION=0,0,0,11,\"19\"");
    modem.send("AT+QCOAPOPTION=0,0,1,12,40");
    modem.send("AT+QCOAPSEND=0,1,2,1,20");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\nOK\r\n\r\nOK\r\n\r\n> ");
    modem.send_bytes("Hello, CoAP Message!");

    ASSERT_EQ(modem.received.size(), 1U);
    const Message& request = modem.received[0];
    EXPECT_EQ(as_text(request.payload), "Hello, CoAP Message!");
    EXPECT_EQ(request.token.size(), 6U);
    EXPECT_EQ(modem.take_output(),
              "\r\nOK\r\n\r\n+QCOAPACK: 0,1,1234,0\r\n\r\n+QCOAPRECV: 0,1234,4.04,6," +
                  to_hex_upper(request.token.view()) + ",0,9\r\nNot Found\r\n");

    modem.send("AT+QCOAPCLOSE=0");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QCOAPCLOSE: 0,0\r\n");
    EXPECT_TRUE(modem.socket_closed);
    EXPECT_EQ(modem.server_session()->state(), dtls::State::Closed);
    EXPECT_EQ(modem.server_session()->failure(), "peer sent close_notify");
}

TEST_F(DtlsOpenTest, AWrongKeyAnsweredWithAnAlertFailsTheOpenWithMinus9) {
    modem.server_key = to_bytes("another key");
    modem.configure_note_example();
    modem.send("AT+QCOAPOPEN=0,\"127.0.0.1\",5684");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QCOAPOPEN: 0,-9\r\n");
    EXPECT_TRUE(modem.socket_closed);
    EXPECT_TRUE(modem.log().contains("DTLS handshake with 127.0.0.1:5684 failed"));
    modem.send("AT+QCOAPOPEN?");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n");
}

TEST_F(DtlsOpenTest, ASilentServerFailsTheOpenWithMinus9ExactlyAtTheNegotiateTime) {
    modem.drop_server_output = true;
    modem.configure_note_example();
    modem.send("AT+QSSLCFG=\"negotiatetime\",0,10");
    modem.send("AT+QCOAPOPEN=0,\"127.0.0.1\",5684");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\nOK\r\n");
    modem.send("AT+QCOAPOPEN?");
    EXPECT_EQ(modem.take_output(), "\r\n+QCOAPOPEN: 0,\"127.0.0.1\",5684,2\r\n\r\nOK\r\n");
    modem.advance(std::chrono::milliseconds(9999));
    EXPECT_EQ(modem.take_output(), "");
    modem.advance(std::chrono::milliseconds(1));
    EXPECT_EQ(modem.take_output(), "\r\n+QCOAPOPEN: 0,-9\r\n");
    EXPECT_TRUE(modem.log().contains("timed out"));
}

TEST_F(DtlsOpenTest, AMissingPskFileFailsTheOpenWithMinus1) {
    modem.send("ATE0");
    modem.send("AT+QCOAPCFG=\"dtls\",0,1,2");
    modem.send("AT+QSSLCFG=\"dtls\",2,1");
    modem.send("AT+QCOAPOPEN=0,\"127.0.0.1\",5684");
    EXPECT_EQ(modem.take_output(),
              "\r\nRDY\r\n\r\nAPP "
              "RDY\r\nATE0\r\r\nOK\r\n\r\nOK\r\n\r\nOK\r\n\r\nOK\r\n\r\n+QCOAPOPEN: 0,-1\r\n");
    EXPECT_TRUE(modem.log().contains("2_server.psk cannot be read"));
    EXPECT_EQ(modem.records_to_server, 0);
}

TEST_F(DtlsOpenTest, AMalformedPskFileFailsTheOpenWithMinus1) {
    modem.send("ATE0");
    modem.send("AT+QCOAPCFG=\"dtls\",0,1,0");
    modem.send("AT+QSSLCFG=\"dtls\",0,1");
    modem.send("AT+QFUPL=\"0_server.psk\",10");
    modem.send_bytes("identity&x");
    modem.take_output();
    modem.send("AT+QCOAPOPEN=0,\"127.0.0.1\",5684");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QCOAPOPEN: 0,-1\r\n");
    EXPECT_TRUE(modem.log().contains("0_server.psk is malformed"));
}

TEST_F(DtlsOpenTest, AnSslContextWithDtlsOffOrDtls10FailsTheOpenWithMinus9) {
    modem.configure_note_example();
    modem.send("AT+QSSLCFG=\"dtls\",0,0");
    modem.send("AT+QCOAPOPEN=0,\"127.0.0.1\",5684");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\nOK\r\n\r\n+QCOAPOPEN: 0,-9\r\n");
    EXPECT_TRUE(modem.log().contains("has DTLS off"));

    modem.send("AT+QSSLCFG=\"dtls\",0,1");
    modem.send("AT+QSSLCFG=\"dtlsversion\",0,0");
    modem.send("AT+QCOAPOPEN=0,\"127.0.0.1\",5684");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\nOK\r\n\r\nOK\r\n\r\n+QCOAPOPEN: 0,-9\r\n");
    EXPECT_TRUE(modem.log().contains("DTLS 1.0"));
    EXPECT_EQ(modem.records_to_server, 0);
}

TEST_F(DtlsOpenTest, TheCiphersuiteSettingNarrowsTheOffer) {
    for (const auto& [setting, suite] :
         std::vector<std::pair<std::string, std::uint16_t>>{{"0X00AE", dtls::kPskAes128CbcSha256},
                                                            {"0x00a8", dtls::kPskAes128GcmSha256},
                                                            {"0XC0A8", dtls::kPskAes128Ccm8}}) {
        SCOPED_TRACE(setting);
        DtlsModemHarness fresh;
        fresh.configure_note_example();
        fresh.send("AT+QSSLCFG=\"ciphersuite\",0," + setting);
        fresh.send("AT+QCOAPOPEN=0,\"127.0.0.1\",5684");
        EXPECT_EQ(fresh.take_output(), "\r\nOK\r\n\r\nOK\r\n\r\n+QCOAPOPEN: 0,0\r\n");
        ASSERT_NE(fresh.server_session(), nullptr);
        EXPECT_EQ(fresh.server_session()->cipher_suite(), suite);
    }
}

TEST_F(DtlsOpenTest, AConIsRetransmittedAboveDtlsInAFreshRecord) {
    open_note_client();
    int seen = 0;
    modem.answer = [&seen](const Message& request) {
        return ++seen == 1 ? std::nullopt : content(request);  // the first copy goes unanswered
    };
    modem.send("AT+QCOAPHEADER=0,7,0,1,aa");
    modem.send("AT+QCOAPSEND=0,0,1,0,0");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\nOK\r\n");
    const int records_before = modem.records_to_server;
    // The first wait is random in [4, 6] s (RFC 7252 §4.2 with ACK_TIMEOUT 4 s).
    modem.advance(std::chrono::seconds(6));
    EXPECT_EQ(modem.take_output(),
              "\r\n+QCOAPIND: 0,0,7,1,0\r\n\r\n+QCOAPACK: 0,0,7,0\r\n"
              "\r\n+QCOAPRECV: 0,7,2.05,1,AA,0,2\r\nok\r\n");
    EXPECT_EQ(modem.records_to_server, records_before + 1);
    ASSERT_EQ(modem.received.size(), 2U);
    EXPECT_EQ(modem.received[0], modem.received[1]);
}

TEST_F(DtlsOpenTest, AfterTheServerClosesTheSessionSendsFailWithMinus11) {
    open_note_client();
    modem.server_session()->close(modem.now());
    modem.advance(std::chrono::milliseconds(1));
    EXPECT_TRUE(modem.log().contains("DTLS session ended: peer sent close_notify"));
    EXPECT_EQ(modem.take_output(), "");

    modem.send("AT+QCOAPHEADER=0,9,0,0");
    modem.send("AT+QCOAPSEND=0,0,1,0,0");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\nOK\r\n\r\n+QCOAPACK: 0,0,9,-11\r\n");
    modem.send("AT+QCOAPCLOSE=0");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\n+QCOAPCLOSE: 0,0\r\n");
}

TEST_F(DtlsOpenTest, CloseDuringTheHandshakeCancelsItWithoutAnOpenUrc) {
    modem.drop_server_output = true;
    modem.configure_note_example();
    modem.send("AT+QCOAPOPEN=0,\"127.0.0.1\",5684");
    modem.send("AT+QCOAPCLOSE=0");
    EXPECT_EQ(modem.take_output(), "\r\nOK\r\n\r\nOK\r\n\r\n+QCOAPCLOSE: 0,0\r\n");
    modem.advance(std::chrono::seconds(400));
    EXPECT_EQ(modem.take_output(), "");
}

}  // namespace
}  // namespace atcoap::modem::testing
