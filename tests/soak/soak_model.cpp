#include "soak_model.hpp"

#include <fmt/format.h>

#include <type_traits>
#include <utility>

namespace atcoap::soak {
namespace {

// AT+QCOAPCFG="trans",<id>,2,4 (soak.cpp): RFC 7252 §4.8.2 gives a CON up to 2 s * 1.5 *
// (2^5 - 1) = 93 s before its give-up; past 100 s nothing may still be pending.
constexpr int kMaxRetransmissions = 4;
constexpr Duration kConBound{100'000};
// A NON's +QCOAPACK, and the URCs of OPEN, CLOSE and a PDP drop, come at once (the simulation
// opens sockets at once); a second is generous.
constexpr Duration kAtOnce{1'000};
// A token is checked and forgotten this long after its request (EXCHANGE_LIFETIME is 247 s),
// an observation's this long after its cancel.
constexpr Duration kTokenLife{400'000};
constexpr std::size_t kRecentObserve = 256;

double seconds(TimePoint at) {
    return static_cast<double>(at.time_since_epoch().count()) / 1000.0;
}

}  // namespace

void HostModel::fail(std::string what) {
    if (failure_.empty()) {
        failure_ = std::move(what);
    }
}

void HostModel::sent(int client, int message_id, bool con, const std::string& token,
                     Answers answers, TimePoint now) {
    Client& c = clients_.at(index(client));
    if (c.exchanges.contains(message_id)) {
        fail(fmt::format("client {}: message ID {} reused", client, message_id));
    }
    c.exchanges[message_id] = Exchange{con, now, 0, !path_up(), token};
    c.tokens[token] = Token{answers, now, false, false, 0, {}, {}};
    if (answers == Answers::Observe) {
        c.observations.push_back(token);
        ++tally_.observations;
    }
    ++(con ? tally_.cons : tally_.nons);
}

void HostModel::cancelled(int client, int message_id, const std::string& token, TimePoint now) {
    Client& c = clients_.at(index(client));
    // The cancel is a CON GET with Observe 1 and the registration's token (RFC 7641 §3.6): the
    // token keeps its Observe history, and is forgotten a while after. A cancel that fails at
    // once (the data path down) was never sent: the observation goes on (docs/DIALECT.md §7).
    c.exchanges[message_id] = Exchange{true, now, 0, !path_up(), token};
    if (path_up()) {
        std::erase(c.observations, token);
        Token& entry = c.tokens[token];
        entry.ended = true;
        entry.since = now;
    }
    ++tally_.cancels;
    ++tally_.cons;
}

void HostModel::opening(int client, TimePoint now) {
    Client& c = clients_.at(index(client));
    c.open_owed = now;
    c.open_result = path_up() ? 0 : -3;
    ++tally_.opens;
}

void HostModel::closing(int client, TimePoint now) {
    Client& c = clients_.at(index(client));
    for (const auto& [id, exchange] : c.exchanges) {
        tally_.cons_forgotten += exchange.con ? 1 : 0;
    }
    // CLOSE forgets pending exchanges silently (docs/DIALECT.md §4): nothing of them may come.
    c.exchanges.clear();
    c.tokens.clear();
    c.observations.clear();
    c.open = false;
    c.close_owed = now;
    ++tally_.closes;
}

void HostModel::pdp(bool active, TimePoint now) {
    pdp_active_ = active;
    if (!active) {
        ++pdp_owed_;
        pdp_since_ = now;
        ++tally_.pdp_drops;
    }
}

HostModel::Client* HostModel::client_of(int client, const char* urc) {
    if (client < 0 || client >= kClients || !clients_.at(index(client)).open) {
        fail(fmt::format("{} for client {}, which is not open", urc, client));
        return nullptr;
    }
    return &clients_.at(index(client));
}

void HostModel::on_event(const Event& event, TimePoint now) {
    std::visit(
        [&](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, AckUrc>) {
                on_ack(e, now);
            } else if constexpr (std::is_same_v<E, IndUrc>) {
                on_ind(e);
            } else if constexpr (std::is_same_v<E, RecvUrc>) {
                on_recv(e);
            } else if constexpr (std::is_same_v<E, OpenUrc>) {
                on_open(e);
            } else if constexpr (std::is_same_v<E, CloseUrc>) {
                on_close(e);
            } else if constexpr (std::is_same_v<E, PdpUrc>) {
                if (e.cid != 1 || pdp_owed_ == 0) {
                    fail(fmt::format("+QIURC pdpdeact {} nobody caused", e.cid));
                }
                --pdp_owed_;
            } else {
                fail("a response line outside a command: " + e.text);
            }
        },
        event);
}

void HostModel::on_ack(const AckUrc& ack, TimePoint now) {
    Client* c = client_of(ack.client, "+QCOAPACK");
    if (c == nullptr) {
        return;
    }
    const auto found = c->exchanges.find(ack.message_id);
    if (found == c->exchanges.end()) {
        fail(fmt::format("+QCOAPACK for no pending exchange: client {} message ID {} (doubled?)",
                         ack.client, ack.message_id));
        return;
    }
    const Exchange exchange = found->second;
    c->exchanges.erase(found);
    const auto where = fmt::format("client {} message ID {}", ack.client, ack.message_id);
    if (ack.type != (exchange.con ? 0 : 1) || (ack.result != 0 && ack.result != -11)) {
        fail(fmt::format("+QCOAPACK of the wrong type or result for {}: {},{}", where, ack.type,
                         ack.result));
    } else if (exchange.down_at_send && (ack.result != -11 || now != exchange.sent)) {
        fail("a send with the data path down did not end in -11 at once: " + where);
    } else if (!exchange.con && !exchange.down_at_send && ack.result != 0) {
        fail("a NON sent with the path up reported -11: " + where);
    } else if (exchange.con && !exchange.down_at_send && ack.result == -11 &&
               exchange.retries != kMaxRetransmissions) {
        fail(fmt::format("{} gave up after {} retransmissions", where, exchange.retries));
    }
    if (!exchange.con) {
        return;
    }
    if (ack.result == 0) {
        ++tally_.cons_acknowledged;
        c->tokens[exchange.token].acknowledged = true;
    } else {
        ++tally_.cons_given_up;
    }
}

void HostModel::on_ind(const IndUrc& ind) {
    Client* c = client_of(ind.client, "+QCOAPIND");
    if (c == nullptr) {
        return;
    }
    const auto found = c->exchanges.find(ind.message_id);
    if (found == c->exchanges.end() || !found->second.con) {
        fail(fmt::format("+QCOAPIND for no pending CON: client {} message ID {}", ind.client,
                         ind.message_id));
        return;
    }
    Exchange& exchange = found->second;
    const int result = path_up() ? 0 : -11;
    if (ind.retry != exchange.retries + 1 || ind.retry > kMaxRetransmissions ||
        ind.result != result) {
        fail(fmt::format(
            "+QCOAPIND {} (result {}) after {} for client {} message ID {}; {} "
            "expected",
            ind.retry, ind.result, exchange.retries, ind.client, ind.message_id, result));
    }
    exchange.retries = ind.retry;
    ++tally_.retransmissions;
}

void HostModel::on_recv(const RecvUrc& recv) {
    Client* c = client_of(recv.client, "+QCOAPRECV");
    if (c == nullptr) {
        return;
    }
    const auto found = c->tokens.find(recv.token);
    if (found == c->tokens.end()) {
        fail(fmt::format("+QCOAPRECV with a token client {} does not expect: {}", recv.client,
                         recv.token));
        return;
    }
    Token& token = found->second;
    ++token.recvs;
    ++tally_.recvs;
    if (token.answers != Answers::Observe) {
        if (token.recvs > 1) {
            fail(fmt::format("a second +QCOAPRECV for token {} of client {}", recv.token,
                             recv.client));
        }
        return;
    }
    if (!recv.observe) {
        return;  // the answer to the cancel (RFC 7641 §3.2: without Observe)
    }
    ++tally_.notifications;
    if (!token.seen.insert(*recv.observe).second) {
        fail(fmt::format("notification {} of token {} reported twice", *recv.observe, recv.token));
    }
    token.order.push_back(*recv.observe);
    if (token.order.size() > kRecentObserve) {
        token.seen.erase(token.order.front());
        token.order.pop_front();
    }
}

void HostModel::on_open(const OpenUrc& open) {
    Client& c = clients_.at(index(open.client < 0 || open.client >= kClients ? 0 : open.client));
    if (open.client < 0 || open.client >= kClients || !c.open_owed) {
        fail(fmt::format("+QCOAPOPEN for client {} nobody asked for", open.client));
        return;
    }
    if (open.result != c.open_result) {
        fail(
            fmt::format("+QCOAPOPEN: {},{}; {} expected", open.client, open.result, c.open_result));
    }
    c.open_owed.reset();
    c.open = open.result == 0;
    tally_.opens_refused += open.result == -3 ? 1 : 0;
}

void HostModel::on_close(const CloseUrc& close) {
    Client& c = clients_.at(index(close.client < 0 || close.client >= kClients ? 0 : close.client));
    if (close.client < 0 || close.client >= kClients || !c.close_owed || close.result != 0) {
        fail(fmt::format("+QCOAPCLOSE: {},{} nobody asked for", close.client, close.result));
        return;
    }
    c.close_owed.reset();
}

void HostModel::forget_token(int client, const std::string& key, const Token& token) {
    if (token.answers == Answers::One && token.recvs != (token.acknowledged ? 1 : 0)) {
        fail(fmt::format("token {} of client {}: {} answers reported, its CON {}", key, client,
                         token.recvs, token.acknowledged ? "acknowledged" : "not acknowledged"));
    }
}

void HostModel::check(TimePoint now) {
    for (int client = 0; client < kClients; ++client) {
        Client& c = clients_.at(index(client));
        for (const auto& [id, exchange] : c.exchanges) {
            if (now - exchange.sent > (exchange.con ? kConBound : kAtOnce)) {
                fail(fmt::format("client {} message ID {} sent at {:.3f} s never ended", client, id,
                                 seconds(exchange.sent)));
            }
        }
        if ((c.open_owed && now - *c.open_owed > kAtOnce) ||
            (c.close_owed && now - *c.close_owed > kAtOnce)) {
            fail(fmt::format("client {}: no +QCOAPOPEN or +QCOAPCLOSE", client));
        }
        std::erase_if(c.tokens, [&](auto& entry) {
            const Token& token = entry.second;
            const bool observing = token.answers == Answers::Observe && !token.ended;
            if (observing || now - token.since <= kTokenLife) {
                return false;
            }
            forget_token(client, entry.first, token);
            return true;
        });
    }
    if (pdp_owed_ > 0 && now - *pdp_since_ > kAtOnce) {
        fail("no +QIURC for a PDP drop");
    }
}

void HostModel::finish(TimePoint now) {
    check(now);
    for (int client = 0; client < kClients; ++client) {
        Client& c = clients_.at(index(client));
        if (!c.exchanges.empty()) {
            fail(fmt::format("client {}: {} exchanges still pending at the end", client,
                             c.exchanges.size()));
        }
        for (auto& [key, token] : c.tokens) {
            forget_token(client, key, token);
        }
    }
}

}  // namespace atcoap::soak
