// The client endpoint against a simulated lossy, reordering, duplicating network and a simple
// server, in virtual time with seeded randomness: over many exchanges the message-layer
// invariants of RFC 7252 §4 must hold whatever is lost.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "client_harness.hpp"
#include "coap/client_endpoint.hpp"

namespace atcoap::coap {
namespace {

using testing_support::CapturingLogger;
using testing_support::empty_message;
using testing_support::encoded;
using testing_support::make;

constexpr int kRequests = 300;
constexpr std::int64_t kRequestIntervalMs = 3000;
constexpr std::int64_t kMaxTransmitWaitMs = 93000;  // 2 s, 4 retries (RFC 7252 §4.8.2)

Token token_of(int i) {
    return Token{0x70, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
}

/// Per CON the host sent: what the endpoint reported about it.
struct ConRecord {
    std::int64_t sent_at = 0;
    Bytes datagram;
    unsigned retransmissions = 0;
    int delivered = 0;
};

class LossSimulation {
  public:
    explicit LossSimulation(std::uint64_t seed)
        : net_(seed), client_random_(seed + 1), endpoint_(client_random_, logger_, "client 0") {
        endpoint_.configure(TransmissionSettings{Duration{2000}, 4});
    }

    void run() {
        for (int i = 0; i < kRequests; ++i) {
            at(i * kRequestIntervalMs, [this, i] { host_sends(i); });
        }
        while (step()) {
        }
        EXPECT_EQ(endpoint_.outstanding(), 0u);
        EXPECT_FALSE(endpoint_.next_deadline());
        for (const auto& [id, con] : cons_) {
            EXPECT_EQ(con.delivered, 1) << "MID " << id;
        }
        EXPECT_EQ(non_pending_, 0);
    }

    int received_responses() const { return static_cast<int>(reported_.size()); }
    int separate_responses() const { return separate_; }

  private:
    using Action = std::function<void()>;

    void at(std::int64_t ms, Action action) {
        agenda_.emplace(std::make_pair(ms, sequence_++), std::move(action));
    }

    /// Runs the earliest of the agenda and the endpoint's deadline; false when both are empty.
    bool step() {
        const auto deadline = endpoint_.next_deadline();
        const bool agenda_first =
            !agenda_.empty() &&
            (!deadline || agenda_.begin()->first.first <= deadline->time_since_epoch().count());
        if (agenda_first) {
            auto node = agenda_.extract(agenda_.begin());
            now_ = node.key().first;
            node.mapped()();
        } else if (deadline) {
            now_ = deadline->time_since_epoch().count();
            endpoint_.on_timeout(*deadline);
        } else {
            return false;
        }
        drain();
        return true;
    }

    void host_sends(int i) {
        const bool con = i % 5 != 0;
        Message m = make(con ? Type::Con : Type::Non, codes::kGet,
                         static_cast<std::uint16_t>(1000 + i), token_of(i));
        ASSERT_TRUE(endpoint_.send(m, at_ms(now_)).ok());
        tokens_sent_.insert(token_of(i).view()[2] | token_of(i).view()[1] << 8);
        if (con) {
            cons_[m.message_id] = ConRecord{now_, encoded(m)};
        }
        non_pending_ += con ? 0 : 1;
    }

    /// Takes the endpoint's output after every call and checks it.
    void drain() {
        for (Bytes& d : endpoint_.take_datagrams()) {
            check_outgoing(d);
            transmit(std::move(d), true);
        }
        for (const ClientEvent& e : endpoint_.take_events()) {
            std::visit([this](const auto& event) { check(event); }, e);
        }
        EXPECT_EQ(endpoint_.outstanding(), open_cons());
    }

    std::size_t open_cons() const {
        std::size_t n = 0;
        for (const auto& entry : cons_) {
            n += entry.second.delivered == 0 ? 1u : 0u;
        }
        return n;
    }

    void check_outgoing(const Bytes& d) {
        const auto m = decode(d);
        ASSERT_TRUE(m.ok());
        EXPECT_NE(m->type, Type::Rst) << "the simulated server sends nothing to reject";
        if (m->type == Type::Con) {
            ASSERT_TRUE(cons_.count(m->message_id));
            EXPECT_EQ(d, cons_[m->message_id].datagram);  // the same bytes every time
            EXPECT_EQ(cons_[m->message_id].delivered, 0);
        } else if (m->type == Type::Ack) {
            EXPECT_TRUE(m->code.is_empty());
        }
    }

    void check(const Delivered& d) {
        if (d.type == Type::Non) {
            EXPECT_TRUE(d.ok);
            --non_pending_;
            return;
        }
        ConRecord& con = cons_[d.message_id];
        EXPECT_EQ(con.delivered, 0);
        ++con.delivered;
        EXPECT_LE(now_ - con.sent_at, kMaxTransmitWaitMs);
        EXPECT_TRUE(d.ok || con.retransmissions == 4) << "gave up early";
    }

    void check(const Retransmitted& r) {
        ConRecord& con = cons_[r.message_id];
        EXPECT_EQ(con.delivered, 0);
        EXPECT_EQ(r.retry_times, ++con.retransmissions);
        EXPECT_LE(r.retry_times, 4u);
        EXPECT_TRUE(r.sent);
    }

    void check(const Received& r) {
        const Message& m = r.message;
        EXPECT_TRUE(m.code.is_response());
        const int request = m.token.view()[1] << 8 | m.token.view()[2];
        EXPECT_TRUE(tokens_sent_.count(request));
        const auto con = cons_.find(static_cast<std::uint16_t>(1000 + request));
        if (con != cons_.end()) {
            EXPECT_EQ(con->second.delivered, 1) << "a response before its +QCOAPACK";
        }
        EXPECT_TRUE(reported_.insert(request).second) << "response reported twice";
    }

    /// Loss 20 %, duplication 5 %, latency 10-400 ms (so datagrams overtake each other).
    void transmit(Bytes d, bool to_server) {
        if (net_.uniform(0, 99) < 20) {
            return;
        }
        const int copies = net_.uniform(0, 99) < 5 ? 2 : 1;
        for (int c = 0; c < copies; ++c) {
            const std::int64_t when = now_ + net_.uniform(10, 400);
            at(when, [this, d, to_server] {
                if (to_server) {
                    server_receives(d);
                } else {
                    endpoint_.on_datagram(d, at_ms(now_));
                }
            });
        }
    }

    // The server: piggybacks or answers separately with a CON it retransmits (fixed 2 s) until
    // ACKed; answers a duplicate request with its first reply; NON requests get a NON answer.
    void server_receives(const Bytes& d) {
        const auto m = decode(d);
        ASSERT_TRUE(m.ok());
        if (m->type == Type::Ack || m->type == Type::Rst) {
            server_pending_.erase(m->message_id);
            return;
        }
        if (auto seen = server_replies_.find(m->message_id); seen != server_replies_.end()) {
            transmit(seen->second, false);
            return;
        }
        Message response = make(m->type == Type::Con ? Type::Ack : Type::Non, codes::kContent,
                                m->message_id, m->token);
        if (m->type == Type::Con && net_.uniform(0, 1) == 0) {
            server_separate(*m);
            return;
        }
        server_replies_[m->message_id] = encoded(response);
        transmit(encoded(response), false);
    }

    void server_separate(const Message& request) {
        ++separate_;
        server_replies_[request.message_id] = encoded(empty_message(Type::Ack, request.message_id));
        transmit(server_replies_[request.message_id], false);
        const auto id = static_cast<std::uint16_t>(40000 + request.message_id);
        server_pending_.insert(id);
        const Bytes response = encoded(make(Type::Con, codes::kContent, id, request.token));
        for (int attempt = 0; attempt < 5; ++attempt) {
            at(now_ + 300 + 2000 * attempt, [this, id, response] {
                if (server_pending_.count(id)) {
                    transmit(response, false);
                }
            });
        }
    }

    SeededRandom net_;
    SeededRandom client_random_;
    CapturingLogger logger_;
    ClientEndpoint endpoint_;
    std::int64_t now_ = 0;
    std::uint64_t sequence_ = 0;
    std::map<std::pair<std::int64_t, std::uint64_t>, Action> agenda_;
    std::map<std::uint16_t, ConRecord> cons_;
    std::set<int> tokens_sent_;
    std::set<int> reported_;
    int non_pending_ = 0;
    int separate_ = 0;
    std::map<std::uint16_t, Bytes> server_replies_;
    std::set<std::uint16_t> server_pending_;
};

TEST(ClientEndpointUnderLoss, ManyExchangesOverALossyNetworkKeepEveryInvariant) {
    for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
        SCOPED_TRACE(seed);
        LossSimulation simulation(seed);
        simulation.run();
        // Not vacuous: most answers get through and both answer styles occur.
        EXPECT_GT(simulation.received_responses(), kRequests / 2);
        EXPECT_GT(simulation.separate_responses(), kRequests / 5);
    }
}

}  // namespace
}  // namespace atcoap::coap
