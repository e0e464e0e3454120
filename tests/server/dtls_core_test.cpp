// The DTLS side of the test server in virtual time: client sessions in memory talk to a
// DtlsCore, which serves a ServerCore; sessions per peer, their limits, and the options.

#include "server/dtls_core.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "coap/codec.hpp"
#include "server/dtls_server.hpp"
#include "server_harness.hpp"
#include "support/temp_dir.hpp"

namespace atcoap::server {
namespace {

const Bytes kKey = to_bytes("1234DFG89");

DtlsOptions options_with_one_key() {
    DtlsOptions options;
    options.keys.push_back(PskEntry{"864508030012428", kKey});
    return options;
}

dtls::ClientSettings client_settings(Bytes key = kKey) {
    dtls::ClientSettings settings;
    settings.identity = to_bytes("864508030012428");
    settings.key = std::move(key);
    return settings;
}

Endpoint peer(std::uint16_t port) {
    return Endpoint{"127.0.0.1", port};
}

/// A DtlsCore and any number of client sessions, one per port, wired in memory.
class DtlsWorld {
  public:
    explicit DtlsWorld(DtlsOptions options = options_with_one_key())
        : random_(11), core_(random_, log_), dtls_(options, core_, random_, log_) {}

    dtls::Session& add_client(std::uint16_t port, const dtls::ClientSettings& settings) {
        randoms_[port] = std::make_unique<SeededRandom>(port);
        clients_[port] = dtls::Session::client(settings, *randoms_[port], client_log_);
        clients_[port]->start(now_);
        return *clients_[port];
    }

    /// Moves datagrams both ways until nobody has anything to send.
    void flush() {
        for (int round = 0; round < 100; ++round) {
            bool moved = false;
            for (auto& [port, client] : clients_) {
                for (const Bytes& datagram : client->take_datagrams()) {
                    dtls_.on_datagram(peer(port), datagram, now_);
                    moved = true;
                }
            }
            for (const Datagram& datagram : dtls_.take_datagrams()) {
                if (const auto found = clients_.find(datagram.peer.port); found != clients_.end()) {
                    found->second->on_datagram(datagram.bytes, now_);
                }
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        ADD_FAILURE() << "the peers kept talking for 100 rounds";
    }

    /// Sends `plaintext` from the client at `port` and returns the decoded replies it got.
    std::vector<coap::Message> request(std::uint16_t port, const coap::Message& message) {
        const auto bytes = coap::encode(message);
        EXPECT_TRUE(bytes.ok());
        EXPECT_TRUE(clients_.at(port)->send(*bytes, now_).ok());
        flush();
        std::vector<coap::Message> replies;
        for (const Bytes& plaintext : clients_.at(port)->take_plaintext()) {
            auto decoded = coap::decode(plaintext);
            EXPECT_TRUE(decoded.ok());
            if (decoded) {
                replies.push_back(std::move(decoded).value());
            }
        }
        return replies;
    }

    /// Fires the core's deadlines up to `until`.
    void advance_to(TimePoint until) {
        for (auto next = dtls_.next_deadline(); next && *next <= until;
             next = dtls_.next_deadline()) {
            now_ = std::max(now_, *next);
            dtls_.on_timeout(now_);
            flush();
        }
        now_ = until;
    }

    DtlsCore& dtls() { return dtls_; }
    TimePoint now() const { return now_; }
    bool logged(std::string_view part) const {
        return std::any_of(log_.lines.begin(), log_.lines.end(), [&](const std::string& line) {
            return line.find(part) != std::string::npos;
        });
    }

  private:
    SeededRandom random_;
    testing::CapturingLogger log_;
    NullLogger client_log_;
    ServerCore core_;
    DtlsCore dtls_;
    std::map<std::uint16_t, std::unique_ptr<SeededRandom>> randoms_;
    std::map<std::uint16_t, std::unique_ptr<dtls::Session>> clients_;
    TimePoint now_ = at_ms(1'000);
};

coap::Message get_test(std::uint16_t message_id) {
    return testing::request(coap::Type::Con, coap::codes::kGet, message_id, {"test"});
}

TEST(DtlsCore, ServesAGetThroughAnEstablishedSession) {
    DtlsWorld world;
    dtls::Session& client = world.add_client(40000, client_settings());
    world.flush();
    ASSERT_EQ(client.state(), dtls::State::Established) << client.failure();
    EXPECT_TRUE(world.logged("DTLS session with 127.0.0.1:40000: TLS-PSK-WITH-AES-128-CCM-8"));
    const auto replies = world.request(40000, get_test(0x1234));
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_EQ(replies[0].type, coap::Type::Ack);
    EXPECT_EQ(replies[0].message_id, 0x1234);
    EXPECT_EQ(replies[0].code, coap::codes::kContent);
}

TEST(DtlsCore, DropsASessionThatFailsAndLogsWhy) {
    DtlsWorld world;
    dtls::Session& client = world.add_client(40000, client_settings(to_bytes("wrong key")));
    world.flush();
    EXPECT_EQ(client.state(), dtls::State::Failed);
    EXPECT_EQ(world.dtls().session_count(), 0u);
    EXPECT_TRUE(world.logged("DTLS session with 127.0.0.1:40000: failed: "));
}

TEST(DtlsCore, StartsAFreshSessionForAHelloAfterAFailedOne) {
    DtlsWorld world;
    world.add_client(40000, client_settings(to_bytes("wrong key")));
    world.flush();
    ASSERT_EQ(world.dtls().session_count(), 0u);
    dtls::Session& again = world.add_client(40000, client_settings());
    world.flush();
    EXPECT_EQ(again.state(), dtls::State::Established) << again.failure();
    EXPECT_EQ(world.dtls().session_state(peer(40000)), dtls::State::Established);
}

TEST(DtlsCore, IgnoresADatagramFromAStrangerThatIsNoClientHello) {
    DtlsWorld world;
    const auto get = coap::encode(get_test(1));
    ASSERT_TRUE(get.ok());
    world.dtls().on_datagram(peer(40000), *get, world.now());
    EXPECT_EQ(world.dtls().session_count(), 0u);
    EXPECT_TRUE(world.dtls().take_datagrams().empty());
}

TEST(DtlsCore, DropsASessionThatHearsNothingForTheIdleLimit) {
    DtlsWorld world;
    world.add_client(40000, client_settings());
    world.flush();
    ASSERT_EQ(world.dtls().session_count(), 1u);
    const TimePoint heard = world.now();
    world.advance_to(heard + Duration{59'999});
    EXPECT_EQ(world.dtls().session_count(), 1u);
    world.advance_to(heard + Duration{60'000});
    EXPECT_EQ(world.dtls().session_count(), 0u);
    EXPECT_TRUE(world.logged("DTLS session with 127.0.0.1:40000: dropped after 60 s"));
}

TEST(DtlsCore, KeepsAtMostTheCapAndEvictsHalfOpenSessionsFirst) {
    DtlsOptions options = options_with_one_key();
    options.max_sessions = 4;
    DtlsWorld world(options);
    dtls::Session& working = world.add_client(40000, client_settings());
    world.flush();
    ASSERT_EQ(working.state(), dtls::State::Established);
    // Clients that send a hello and never answer the HelloVerifyRequest.
    for (std::uint16_t port = 41000; port < 41010; ++port) {
        dtls::Session& half_open = world.add_client(port, client_settings());
        for (const Bytes& hello : half_open.take_datagrams()) {
            world.dtls().on_datagram(peer(port), hello, world.now());
        }
        (void)world.dtls().take_datagrams();
        EXPECT_LE(world.dtls().session_count(), 4u);
    }
    EXPECT_EQ(world.dtls().session_count(), 4u);
    EXPECT_EQ(world.dtls().session_state(peer(40000)), dtls::State::Established);
    EXPECT_EQ(world.dtls().session_state(peer(41000)), std::nullopt);
    EXPECT_EQ(world.request(40000, get_test(7)).size(), 1u);
}

TEST(DtlsCore, SaysCloseNotifyToEstablishedPeersWhenClosingAll) {
    DtlsWorld world;
    dtls::Session& client = world.add_client(40000, client_settings());
    world.flush();
    ASSERT_EQ(client.state(), dtls::State::Established);
    world.dtls().close_all(world.now());
    world.flush();
    EXPECT_EQ(world.dtls().session_count(), 0u);
    EXPECT_EQ(client.state(), dtls::State::Closed);
    EXPECT_EQ(client.failure(), "peer sent close_notify");
}

TEST(DtlsCore, NamesTheDefaultSuitesAsMbedTlsDoes) {
    EXPECT_EQ(cipher_suite_name(dtls::kPskAes128Ccm8), "TLS-PSK-WITH-AES-128-CCM-8");
    EXPECT_EQ(cipher_suite_name(dtls::kPskAes128CbcSha256), "TLS-PSK-WITH-AES-128-CBC-SHA256");
    EXPECT_EQ(cipher_suite_name(dtls::kPskAes128GcmSha256), "TLS-PSK-WITH-AES-128-GCM-SHA256");
    EXPECT_EQ(cipher_suite_name(0x1234), "suite 0x1234");
}

TEST(PskOption, TakesTheNotesPskFileAsIdentityAndHexKey) {
    const auto entry = parse_psk("864508030012428:313233343446473839");
    ASSERT_TRUE(entry.ok()) << entry.error();
    EXPECT_EQ(entry->identity, "864508030012428");
    EXPECT_EQ(entry->key, to_bytes("12344FG89"));
}

TEST(PskOption, SplitsAtTheLastColonSoTheIdentityMayHoldColons) {
    const auto entry = parse_psk("urn:dev:ops:1:aBcD");
    ASSERT_TRUE(entry.ok()) << entry.error();
    EXPECT_EQ(entry->identity, "urn:dev:ops:1");
    EXPECT_EQ(entry->key, (Bytes{0xAB, 0xCD}));
}

TEST(PskOption, RejectsAMissingIdentityOrABadKey) {
    const std::string too_long(66, 'A');
    const std::vector<std::string> texts{
        "nocolon", ":0102", "id:", "id:123", "id:zz", "id:" + too_long};
    for (const std::string& text : texts) {
        EXPECT_FALSE(parse_psk(text).ok()) << text;
    }
    EXPECT_TRUE(parse_psk("id:" + std::string(64, 'a')).ok());
}

TEST(PskOption, NoRefusalQuotesTheKey) {
    const std::vector<std::string> secrets{"id:5EC2E", "id:5EC2E7Z", "5EC2E7",
                                           "id:" + std::string(66, '5')};
    for (const std::string& text : secrets) {
        const auto entry = parse_psk(text);
        ASSERT_FALSE(entry.ok()) << text;
        EXPECT_EQ(entry.error().find("5EC2E"), std::string::npos) << entry.error();
        EXPECT_EQ(entry.error().find("555555"), std::string::npos) << entry.error();
    }
}

TEST(DtlsListenerPlan, TakesKeysFromAPskFileAndNamesTheBadLineWithoutItsContent) {
    const test::TempDir dir;
    const std::string path = (dir.path() / "keys").string();
    std::ofstream(path) << "# devices\n\ndev-1:0102\r\ndev-2:A1B2\n";
    ServerOptions options;
    options.dtls = "127.0.0.1:5684";
    options.psk_file = path;
    options.psks = {"cli:03"};
    const auto plan = plan_dtls_listener(options);
    ASSERT_TRUE(plan.ok()) << plan.error();
    ASSERT_EQ((*plan)->options.keys.size(), 3u);
    EXPECT_EQ((*plan)->options.keys[1].identity, "dev-1");
    EXPECT_EQ((*plan)->options.keys[2].key, (Bytes{0xA1, 0xB2}));

    std::ofstream(path) << "dev-1:0102\ndev-2:5EC2E7Z\n";
    const auto bad = plan_dtls_listener(options);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error(), "--psk-file " + path +
                               " line 2: the key of identity \"dev-2\" must be even-length hex");
    options.psk_file = (dir.path() / "missing").string();
    EXPECT_FALSE(plan_dtls_listener(options).ok());
}

TEST(DtlsListenerPlan, TakesAtMostTenThousandKeysFromAFileAndRefusesAHugeFile) {
    const test::TempDir dir;
    const std::string path = (dir.path() / "keys").string();
    {
        std::ofstream file(path);
        for (std::size_t i = 0; i < kMaxPskFileEntries; ++i) {
            file << "dev-" << i << ":0102\n";
        }
    }
    ServerOptions options;
    options.dtls = "127.0.0.1:5684";
    options.psk_file = path;
    const auto full = plan_dtls_listener(options);
    ASSERT_TRUE(full.ok()) << full.error();
    EXPECT_EQ((*full)->options.keys.size(), kMaxPskFileEntries);

    std::ofstream(path, std::ios::app) << "dev-last:0102\n";
    const auto over = plan_dtls_listener(options);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error(), "--psk-file " + path + ": more than 10000 keys");

    std::filesystem::resize_file(path, kMaxPskFileBytes + 1);
    const auto huge = plan_dtls_listener(options);
    ASSERT_FALSE(huge.ok());
    EXPECT_EQ(huge.error(), "--psk-file " + path + ": larger than 4194304 bytes");
}

TEST(DtlsListenerPlan, IsEmptyWithoutDtls) {
    const auto plan = plan_dtls_listener(ServerOptions{});
    ASSERT_TRUE(plan.ok()) << plan.error();
    EXPECT_FALSE(plan->has_value());
}

TEST(DtlsListenerPlan, RefusesDtlsWithoutAnyPskWithAClearMessage) {
    ServerOptions options;
    options.dtls = "127.0.0.1:5684";
    const auto plan = plan_dtls_listener(options);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error(), "--dtls needs at least one --psk IDENTITY:HEXKEY or --psk-file");
}

TEST(DtlsListenerPlan, RefusesAnIdentityGivenTwiceAndPskWithoutDtls) {
    ServerOptions options;
    options.dtls = "127.0.0.1:5684";
    options.psks = {"a:01", "a:02"};
    EXPECT_FALSE(plan_dtls_listener(options).ok());
    options.dtls.clear();
    options.psks = {"a:01"};
    EXPECT_FALSE(plan_dtls_listener(options).ok());
}

TEST(DtlsListenerPlan, CarriesTheKeysTheHintAndTheAddress) {
    ServerOptions options;
    options.dtls = "127.0.0.1:5684";
    options.psks = {"864508030012428:313233343446473839", "other:00"};
    options.hint = "CoAP";
    const auto plan = plan_dtls_listener(options);
    ASSERT_TRUE(plan.ok()) << plan.error();
    ASSERT_TRUE(plan->has_value());
    EXPECT_EQ((*plan)->where.port, 5684);
    EXPECT_EQ((*plan)->options.keys.size(), 2u);
    EXPECT_EQ((*plan)->options.hint, "CoAP");
}

TEST(RunServer, ExitsWithTwoForDtlsWithoutPsk) {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.dtls = "127.0.0.1:0";
    EXPECT_EQ(run_server(options), 2);
}

}  // namespace
}  // namespace atcoap::server
