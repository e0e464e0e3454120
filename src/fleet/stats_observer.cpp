#include "fleet/stats_observer.hpp"

#include <charconv>
#include <string_view>
#include <utility>
#include <vector>

#include "coap/message.hpp"
#include "modem/coap_clients.hpp"

namespace atcoap::fleet {

namespace {

static_assert(modem::kClientCount == 6);

constexpr int kResultSendFailed = -11;  // docs/DIALECT.md §3: +QCOAPACK's give-up
constexpr int kResultDtlsFailed = -9;   // docs/DIALECT.md §3: +QCOAPOPEN's handshake failure

std::uint64_t micros(Duration d) {
    return d.count() <= 0 ? 0 : static_cast<std::uint64_t>(d.count()) * 1000;
}

/// The integers of "<int>,<int>,...", exactly `n` of them; empty when the text is anything else
/// (AT+QCOAPOPEN?'s answer has a quoted server and is not counted).
std::vector<int> integers(std::string_view text, std::size_t n) {
    std::vector<int> out;
    const char* p = text.data();
    const char* end = text.data() + text.size();
    while (out.size() < n) {
        int value = 0;
        const auto [next, ec] = std::from_chars(p, end, value);
        if (ec != std::errc{}) {
            return {};
        }
        out.push_back(value);
        p = next;
        if (out.size() < n) {
            if (p == end || *p != ',') {
                return {};
            }
            ++p;
        }
    }
    return p == end ? out : std::vector<int>{};
}

bool strip(std::string_view& line, std::string_view prefix) {
    if (!line.starts_with(prefix)) {
        return false;
    }
    line.remove_prefix(prefix.size());
    return true;
}

}  // namespace

StatsObserver::StatsObserver(FleetStats& stats, std::function<TimePoint()> now)
    : stats_(stats), now_(std::move(now)) {}

// A request is a class-0 message that is not empty (RFC 7252 §12.1.1); its retransmissions are
// counted apart. The latency is the round trip of the response that answers it: piggybacked in
// the ACK, or separate (the client matches it by token once, so a request counts once; an empty
// ACK has no code and is not a response).
void StatsObserver::on_message(const modem::MessageTrace& m) {
    if (m.direction == modem::Direction::Sent) {
        if (m.retransmission > 0) {
            ++stats_.retransmissions;
        } else if (m.code.is_request()) {
            ++stats_.requests;
        }
        return;
    }
    if (!m.code.is_response()) {
        return;
    }
    ++stats_.responses[coap::to_string(m.code)];
    if (m.round_trip) {
        stats_.latency.record(micros(*m.round_trip));
    }
}

// docs/DIALECT.md §3: +QCOAPOPEN: <id>,<result> ends an OPEN, +QCOAPACK: <id>,<type>,<msgID>,
// <result> an exchange. +QCOAPRECV carries no result (its response is counted from the message)
// and +QCOAPIND's -11 (a retransmission not sent) ends in +QCOAPACK's own result.
void StatsObserver::on_urc(std::string_view line) {
    if (strip(line, "+QCOAPOPEN: ")) {
        if (const auto v = integers(line, 2); !v.empty()) {
            on_open_result(v[1]);
        }
    } else if (strip(line, "+QCOAPACK: ")) {
        if (const auto v = integers(line, 4); !v.empty()) {
            on_ack_result(v[1], v[3]);
        }
    }
}

void StatsObserver::on_open_result(int result) {
    if (result == 0) {
        return;
    }
    ++stats_.at_failures[result];
    if (result == kResultDtlsFailed) {
        ++stats_.handshake_failures;
    }
}

// A CON's -11 is its give-up: no ACK after the last retransmission, an RST, or a CON that could
// not be sent (the URC does not tell them apart, docs/DIALECT.md §3 and §7).
void StatsObserver::on_ack_result(int type, int result) {
    if (result == 0) {
        return;
    }
    ++stats_.at_failures[result];
    if (type == 0 && result == kResultSendFailed) {
        ++stats_.give_ups;
    }
}

// The handshake time runs from the OPEN (status 1, opening) to the client's connected status,
// for clients that went through the DTLS handshake (status 2); plain clients are not counted.
void StatsObserver::on_state(const modem::StateChange& change) {
    const auto* status = std::get_if<modem::ClientStatusChange>(&change);
    if (status == nullptr || status->client < 0 || status->client >= kClients) {
        return;
    }
    Opening& o = opening_[static_cast<std::size_t>(status->client)];
    switch (status->to) {
        case modem::ClientStatus::Opening:
            o = Opening{now_(), false};
            return;
        case modem::ClientStatus::Connecting:
            o.handshaking = o.since.has_value();
            return;
        case modem::ClientStatus::Connected:
            if (o.handshaking) {
                ++stats_.handshakes;
                stats_.handshake.record(micros(now_() - *o.since));
            }
            o = Opening{};
            return;
        case modem::ClientStatus::Idle:
        case modem::ClientStatus::Disconnecting:
            o = Opening{};
            return;
    }
}

}  // namespace atcoap::fleet
