// The fleet's per-device keys against libcoap's `coap-server -i` (docs/FLEET.md, "Devices"): the
// file server_identity_file writes lets a device in with its own identity and key, and only with
// its own key; the modem itself opens a DTLS session with a PSK file made of the same identity.

#include <gtest/gtest.h>

#include "coap_fixture.hpp"
#include "fleet/identity.hpp"

namespace atcoap::e2e {
namespace {

constexpr std::uint64_t kDevices = 5;

/// Writes the key file for kDevices devices and starts coap-server-openssl with it; its default
/// key (`-k`) is no device's.
class FleetKeysTest : public CoapModemTest {
  public:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(CoapModemTest::SetUp());
        auto source = fleet::IdentitySource::make({}, kDevices);
        ASSERT_TRUE(source.ok()) << source.error();
        source_.emplace(std::move(source).value());
        ASSERT_TRUE(keys_.write_file("keys.txt", fleet::server_identity_file(*source_, kDevices)));
        std::string error;
        ASSERT_NO_FATAL_FAILURE(
            start_server(start_libcoap_server(
                             {"-k", "no device's key", "-i", (keys_.path() / "keys.txt").string()},
                             error, "openssl"),
                         error));
    }

    std::uint16_t dtls_port() const { return static_cast<std::uint16_t>(server_.port + 1); }

    /// coap-client-openssl's GET of the server's root with this identity and key (as text, the
    /// way libcoap takes keys), given up after `seconds`; what it printed. OpenSSL's server
    /// stays silent after a handshake with a wrong key, so that client ends at its bound.
    std::string get_root(const std::string& identity, const std::string& key, int seconds) {
        std::string error;
        auto client =
            ChildProcess::start("/usr/bin/coap-client-openssl",
                                {"-B", std::to_string(seconds), "-u", identity, "-k", key,
                                 "coaps://127.0.0.1:" + std::to_string(dtls_port()) + "/"},
                                error);
        EXPECT_NE(client, nullptr) << error;
        if (client == nullptr) {
            return "";
        }
        const auto ended = client->wait_exit(kNetworkBound);
        EXPECT_TRUE(ended.has_value()) << "coap-client did not end";
        return client->out().unread();
    }

    std::string key_text(std::uint64_t device) const {
        return fleet::psk_key_text(source_->identity(device).psk_key_hex).value_or("");
    }

    TempDir keys_;
    std::optional<fleet::IdentitySource> source_;
};

constexpr std::string_view kRootText = "This is a test server made with libcoap";

TEST_F(FleetKeysTest, ADeviceGetsInWithItsOwnKeyOnly) {
    const fleet::DeviceIdentity device = source_->identity(3);
    EXPECT_NE(get_root(device.psk_identity, key_text(3), 5).find(kRootText), std::string::npos);
    // Device 2's key under device 3's identity, and device 3's key under device 2's identity.
    EXPECT_EQ(get_root(device.psk_identity, key_text(2), 2).find(kRootText), std::string::npos);
    EXPECT_EQ(get_root(source_->identity(2).psk_identity, key_text(3), 2).find(kRootText),
              std::string::npos);
}

TEST_F(FleetKeysTest, TheModemOpensWithThePskFileOfADevice) {
    const fleet::DeviceIdentity device = source_->identity(4);
    const std::string psk_file = device.psk_identity + "&" + device.psk_key_hex;
    expect("AT+QCOAPCFG=\"dtls\",0,1,0", "\r\nOK\r\n");
    expect("AT+QSSLCFG=\"dtls\",0,1", "\r\nOK\r\n");
    expect("AT+QSSLCFG=\"negotiatetime\",0,10", "\r\nOK\r\n");
    expect("AT+QFUPL=\"0_server.psk\"," + std::to_string(psk_file.size()), "\r\nCONNECT\r\n");
    expect_upload_of(psk_file);
    expect("AT+QCOAPOPEN=0,\"127.0.0.1\"," + std::to_string(dtls_port()), "\r\nOK\r\n");
    EXPECT_EQ(next_urc(), "+QCOAPOPEN: 0,0");
    close_client();
}

}  // namespace
}  // namespace atcoap::e2e
