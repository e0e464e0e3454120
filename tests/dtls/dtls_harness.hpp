#pragma once
// A client and a server session wired together in memory and run in virtual time: every
// datagram either side sends is recorded with its time and delivered to the other side,
// unless the test chose to drop it.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
#include "dtls/session.hpp"
#include "support/capturing_logger.hpp"

namespace atcoap::dtls::testing_support {

class LineKeyLog final : public KeyLog {
  public:
    void write_line(std::string_view line) override { lines.emplace_back(line); }
    std::vector<std::string> lines;
};

enum class From { Client, Server };

struct Sent {
    TimePoint at;
    From from;
    Bytes bytes;
    bool dropped;
};

inline const Bytes kIdentity = to_bytes("Client_identity");
inline const Bytes kKey = to_bytes("secretPSK");

inline ClientSettings client_settings(std::vector<std::uint16_t> suites = {}) {
    ClientSettings settings;
    settings.identity = kIdentity;
    settings.key = kKey;
    settings.cipher_suites = std::move(suites);
    return settings;
}

inline ServerSettings server_settings(std::vector<std::uint16_t> suites = {},
                                      std::string hint = {}) {
    ServerSettings settings;
    settings.key_for_identity = [](ByteView identity) -> std::optional<Bytes> {
        if (Bytes(identity.begin(), identity.end()) == kIdentity) {
            return kKey;
        }
        return std::nullopt;
    };
    settings.identity_hint = std::move(hint);
    settings.cipher_suites = std::move(suites);
    return settings;
}

/// The handshake message types (RFC 5246 §7.4) of the plaintext handshake records in one
/// datagram: 1 ClientHello, 2 ServerHello, 3 HelloVerifyRequest, 12 ServerKeyExchange, ...
inline std::vector<int> handshake_types(const Bytes& datagram) {
    std::vector<int> types;
    std::size_t at = 0;
    while (at + 13 <= datagram.size()) {
        const std::size_t length = std::size_t{datagram[at + 11]} << 8 | datagram[at + 12];
        const bool epoch_zero = datagram[at + 3] == 0 && datagram[at + 4] == 0;
        if (datagram[at] == 22 && epoch_zero && length > 0 && at + 13 < datagram.size()) {
            types.push_back(datagram[at + 13]);
        }
        at += 13 + length;
    }
    return types;
}

class SessionPair {
  public:
    SessionPair(const ClientSettings& client, const ServerSettings& server, std::uint64_t seed = 7)
        : client_random_(seed),
          server_random_(seed + 1),
          cookies_(server_random_),
          client_(Session::client(client, client_random_, client_log, &client_keys)),
          server_(Session::server(server, cookies_, as_bytes("127.0.0.1:40000"), server_random_,
                                  server_log, &server_keys)) {}

    Session& client() { return *client_; }
    Session& server() { return *server_; }
    TimePoint now() const { return now_; }

    /// Drops the `index`-th datagram (from 0) that `from` sends.
    void drop(From from, std::size_t index) { drops_.insert({from, index}); }
    /// Drops everything `from` sends.
    void drop_all(From from) { drop_from(from, 0); }
    /// Drops the `first`-th datagram that `from` sends and every later one.
    void drop_from(From from, std::size_t first) {
        (from == From::Client ? client_drop_from_ : server_drop_from_) = first;
    }

    void start() {
        client_->start(now_);
        flush();
    }

    /// Runs until neither side is handshaking or `limit` passes; true when both are settled.
    bool run_handshake(TimePoint limit = at_ms(400'000)) {
        flush();
        while (client_->state() == State::Handshaking || server_->state() == State::Handshaking) {
            const std::optional<TimePoint> next = earliest_deadline();
            if (!next || *next > limit) {
                return false;
            }
            fire(*next);
        }
        return true;
    }

    /// Fires every deadline up to `until`, then sets the clock to it.
    void advance_to(TimePoint until) {
        for (auto next = earliest_deadline(); next && *next <= until; next = earliest_deadline()) {
            fire(*next);
        }
        now_ = until;
    }

    /// Moves datagrams both ways until neither side has anything more to say.
    void flush() {
        for (int round = 0; round < 100; ++round) {
            auto from_client = client_->take_datagrams();
            auto from_server = server_->take_datagrams();
            if (from_client.empty() && from_server.empty()) {
                return;
            }
            deliver(From::Client, std::move(from_client), *server_);
            deliver(From::Server, std::move(from_server), *client_);
        }
        ADD_FAILURE() << "the sessions kept talking for 100 rounds";
    }

    void establish() {
        start();
        ASSERT_TRUE(run_handshake());
        ASSERT_EQ(client_->state(), State::Established) << client_->failure();
        ASSERT_EQ(server_->state(), State::Established) << server_->failure();
    }

    std::vector<TimePoint> times_sent(From from) const {
        std::vector<TimePoint> times;
        for (const Sent& sent : wire) {
            if (sent.from == from) {
                times.push_back(sent.at);
            }
        }
        return times;
    }
    std::vector<Bytes> datagrams(From from) const {
        std::vector<Bytes> out;
        for (const Sent& sent : wire) {
            if (sent.from == from) {
                out.push_back(sent.bytes);
            }
        }
        return out;
    }

    test::CapturingLogger client_log;
    test::CapturingLogger server_log;
    LineKeyLog client_keys;
    LineKeyLog server_keys;
    std::vector<Sent> wire;

  private:
    std::optional<TimePoint> earliest_deadline() const {
        const auto a = client_->next_deadline();
        const auto b = server_->next_deadline();
        if (a && b) {
            return std::min(*a, *b);
        }
        return a ? a : b;
    }

    void fire(TimePoint at) {
        now_ = at;
        if (const auto due = client_->next_deadline(); due && *due <= at) {
            client_->on_timeout(at);
        }
        if (const auto due = server_->next_deadline(); due && *due <= at) {
            server_->on_timeout(at);
        }
        flush();
    }

    void deliver(From from, std::vector<Bytes> datagrams, Session& to) {
        std::size_t& count = from == From::Client ? client_sent_ : server_sent_;
        const std::size_t drop_from = from == From::Client ? client_drop_from_ : server_drop_from_;
        for (Bytes& datagram : datagrams) {
            const bool dropped = count >= drop_from || drops_.count({from, count}) > 0;
            ++count;
            if (!dropped) {
                to.on_datagram(datagram, now_);
            }
            wire.push_back({now_, from, std::move(datagram), dropped});
        }
    }

    SeededRandom client_random_;
    SeededRandom server_random_;
    CookieKeeper cookies_;
    std::unique_ptr<Session> client_;
    std::unique_ptr<Session> server_;
    TimePoint now_ = at_ms(0);
    std::set<std::pair<From, std::size_t>> drops_;
    std::size_t client_drop_from_ = SIZE_MAX;
    std::size_t server_drop_from_ = SIZE_MAX;
    std::size_t client_sent_ = 0;
    std::size_t server_sent_ = 0;
};

}  // namespace atcoap::dtls::testing_support
