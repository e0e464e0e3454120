// The real program doing CoAP over DTLS 1.2 with a pre-shared key (AT_COAP.md, "DTLS") against
// Debian's libcoap servers built on OpenSSL and on GnuTLS, and against `atcoap server --dtls`.

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "coap_fixture.hpp"

namespace atcoap::e2e {
namespace {

using CoapDtlsTest = CoapModemTest;

/// The key of the note's PSK file, as libcoap's `-k` takes it (text).
const std::vector<std::string> kNoteKeyArguments{"-k", std::string(kNotePskKey)};

std::uint16_t dtls_port_of(const CoapPeer& peer) {
    return static_cast<std::uint16_t>(peer.port + 1);
}

TEST_F(CoapDtlsTest, NoteExampleRunsAgainstLibcoapOnOpenssl) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(
        start_server(start_libcoap_server(kNoteKeyArguments, error, "openssl"), error));
    run_note_example_dtls(dtls_port_of(server_));
}

TEST_F(CoapDtlsTest, NoteExampleRunsAgainstLibcoapOnGnutls) {
    std::string error;
    ASSERT_NO_FATAL_FAILURE(
        start_server(start_libcoap_server(kNoteKeyArguments, error, "gnutls"), error));
    run_note_example_dtls(dtls_port_of(server_));
}

TEST_F(CoapDtlsTest, NoteExampleRunsAgainstAtcoapServerWithDtls) {
    const std::uint16_t dtls_port = free_udp_port();
    std::string error;
    ASSERT_NO_FATAL_FAILURE(
        start_server(start_atcoap_server({"--dtls", "127.0.0.1:" + std::to_string(dtls_port),
                                          "--psk", "864508030012428:313233343446473839"},
                                         error),
                     error));
    run_note_example_dtls(dtls_port);
}

void prepare_dtls(CoapModemTest& test, const std::string& extra_setting = "");

TEST_F(CoapDtlsTest, ASessionThatIsUpSendsCloseNotifyWhenAtcoapIsTerminated) {
    const std::uint16_t dtls_port = free_udp_port();
    std::string error;
    ASSERT_NO_FATAL_FAILURE(
        start_server(start_atcoap_server({"--dtls", "127.0.0.1:" + std::to_string(dtls_port),
                                          "--psk", "864508030012428:313233343446473839"},
                                         error),
                     error));
    prepare_dtls(*this);
    expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + std::to_string(dtls_port), "\r\nOK\r\n");
    ASSERT_EQ(next_urc(), "+QCOAPOPEN: 0,0");

    modem_->send_signal(SIGTERM);
    const auto ended = modem_->wait_exit(kAnswerBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 0);
    // The server hears the close_notify at once (RFC 5246 §7.2.1), not after its idle timeout.
    EXPECT_TRUE(server_.process->err().wait_for("closed: peer sent close_notify", kAnswerBound))
        << server_.process->err().unread();
}

/// Client 0 set up for DTLS with the note's PSK file (uploaded by its exact size).
void prepare_dtls(CoapModemTest& test, const std::string& extra_setting) {
    test.expect("AT+QCOAPCFG=\"dtls\",0,1,0", "\r\nOK\r\n");
    test.expect("AT+QSSLCFG=\"dtls\",0,1", "\r\nOK\r\n");
    test.expect("AT+QSSLCFG=\"negotiatetime\",0,10", "\r\nOK\r\n");
    if (!extra_setting.empty()) {
        test.expect(extra_setting, "\r\nOK\r\n");
    }
    test.expect("AT+QFUPL=\"0_server.psk\",34", "\r\nCONNECT\r\n");
    test.expect_upload_of(kNotePskFile);
}

TEST_F(CoapDtlsTest, AWrongKeyFailsTheOpenWithMinus9AgainstBothLibcoapBuilds) {
    // OpenSSL's server stays silent (the 10 s negotiate time ends it); GnuTLS's closes the
    // handshake after about 5 s (docs/AT_COAP.md, "DTLS").
    for (const std::string flavour : {"gnutls", "openssl"}) {
        SCOPED_TRACE(flavour);
        std::string error;
        ASSERT_NO_FATAL_FAILURE(
            start_server(start_libcoap_server({"-k", "not the key"}, error, flavour), error));
        prepare_dtls(*this);
        expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + std::to_string(dtls_port_of(server_)),
               "\r\nOK\r\n");
        EXPECT_EQ(next_urc(Millis{15'000}), "+QCOAPOPEN: 0,-9");
        expect("AT+QFDEL=\"0_server.psk\"", "\r\nOK\r\n");
    }
}

TEST_F(CoapDtlsTest, OpensslRefusesTheCbcSuiteWhichGnutlsAccepts) {
    const std::string cbc_only = "AT+QSSLCFG=\"ciphersuite\",0,0X00AE";
    for (const auto& [flavour, result] :
         std::vector<std::pair<std::string, std::string>>{{"openssl", "-9"}, {"gnutls", "0"}}) {
        SCOPED_TRACE(flavour);
        std::string error;
        ASSERT_NO_FATAL_FAILURE(
            start_server(start_libcoap_server(kNoteKeyArguments, error, flavour), error));
        prepare_dtls(*this, cbc_only);
        expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + std::to_string(dtls_port_of(server_)),
               "\r\nOK\r\n");
        EXPECT_EQ(next_urc(), "+QCOAPOPEN: 0," + result);
        if (result == "0") {
            close_client();
        }
        expect("AT+QFDEL=\"0_server.psk\"", "\r\nOK\r\n");
    }
}

TEST_F(CoapDtlsTest, SslKeyLogFileReceivesTheSessionKeysInNssFormat) {
    const TempDir keys;
    const std::filesystem::path key_log = keys.path() / "keys.log";
    ::setenv("SSLKEYLOGFILE", key_log.c_str(), 1);
    std::string error;
    modem_.reset();  // the fixture's modem: one atcoap per --ufs directory (docs/RUNNING.md)
    auto modem = start_quiet_modem(dir_.path(), {}, error);
    ::unsetenv("SSLKEYLOGFILE");
    ASSERT_NE(modem, nullptr) << error;
    modem_.swap(modem);
    ASSERT_NO_FATAL_FAILURE(
        start_server(start_libcoap_server(kNoteKeyArguments, error, "openssl"), error));
    prepare_dtls(*this);
    expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + std::to_string(dtls_port_of(server_)), "\r\nOK\r\n");
    ASSERT_EQ(next_urc(), "+QCOAPOPEN: 0,0");
    close_client();

    std::ifstream file(key_log);
    std::stringstream text;
    text << file.rdbuf();
    // NSS key log format: CLIENT_RANDOM, 32 bytes of client random, 48 of master secret.
    const std::regex line(R"(CLIENT_RANDOM [0-9a-fA-F]{64} [0-9a-fA-F]{96}\n)");
    EXPECT_TRUE(std::regex_match(text.str(), line)) << text.str();
}

}  // namespace
}  // namespace atcoap::e2e
