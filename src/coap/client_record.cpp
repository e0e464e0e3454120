// The records ClientEndpoint gives its watcher (coap/message_record.hpp): every message sent or
// received, with the round-trip time of answers, and the give-up of a CON. Built only while
// watched, from what the endpoint already holds; nothing is decoded again.

#include <string>

#include "coap/client_endpoint.hpp"

namespace atcoap::coap {

void ClientEndpoint::record_sent(const Message& message, std::size_t size, TimePoint now) {
    record_ = MessageRecord{Flow::Sent,
                            message.type,
                            message.code,
                            message.message_id,
                            message.token,
                            uri_path(message),
                            size,
                            std::nullopt,
                            0,
                            std::nullopt};
    if (message.code.is_request()) {
        // The oldest entry gives way: the memory is bounded by kRoundTripMemory.
        sent_requests_[next_sent_request_] = SentRequest{message.token, now, false};
        next_sent_request_ = (next_sent_request_ + 1) % sent_requests_.size();
    }
    watcher_->on_message(record_);
}

void ClientEndpoint::record_sent_empty(Type type, std::uint16_t message_id) {
    record_ = MessageRecord{};
    record_.type = type;
    record_.message_id = message_id;
    record_.size = 4;  // an empty message is its header (RFC 7252 §3)
    watcher_->on_message(record_);
}

void ClientEndpoint::record_retransmission(const PendingCon& con, TimePoint now) {
    record_ = MessageRecord{Flow::Sent,          Type::Con,    con.code,
                            con.message_id,      con.token,    con.path,
                            con.datagram.size(), std::nullopt, con.timer.retransmissions(),
                            now - con.first_sent};
    watcher_->on_message(record_);
}

void ClientEndpoint::give_up(PendingList::iterator con, TimePoint now) {
    const unsigned count = con->timer.retransmissions();
    const Duration waited = now - con->first_sent;
    if (watcher_ != nullptr) {
        record_ = MessageRecord{
            Flow::Sent,           Type::Con,    con->code, con->message_id, con->token, con->path,
            con->datagram.size(), std::nullopt, count,     waited};
        watcher_->on_give_up(record_);
    } else {
        log(LogLevel::Warn, "CON MID " + std::to_string(con->message_id) +
                                " unacknowledged after " + std::to_string(count) +
                                " retransmissions and " + std::to_string(waited.count()) +
                                " ms: giving up (RFC 7252 §4.2)");
    }
    complete(con, false);
}

void ClientEndpoint::record_received(const Message& message, std::size_t size, TimePoint now) {
    record_ = MessageRecord{Flow::Received,
                            message.type,
                            message.code,
                            message.message_id,
                            message.token,
                            uri_path(message),
                            size,
                            round_trip_of(message, now),
                            0,
                            std::nullopt};
    watcher_->on_message(record_);
}

// Measured from the request's first transmission, as the host waits for it; not from its last
// retransmission, which would make the time depend on which copy the answer answers.
std::optional<Duration> ClientEndpoint::round_trip_of(const Message& message, TimePoint now) {
    std::optional<Duration> round_trip;
    if (message.type == Type::Ack || message.type == Type::Rst) {
        const auto con = find_pending_by_id(message.message_id);
        if (con != pending_.end()) {
            round_trip = now - con->first_sent;
        }
    }
    if (!message.code.is_response()) {
        return round_trip;
    }
    // The first response with a request's token answers it; later ones (notifications,
    // duplicates) have no round trip.
    const std::optional<TimePoint> sent = take_request_time(message.token);
    if (!round_trip && sent) {
        round_trip = now - *sent;
    }
    return round_trip;
}

// Newest first: with a fixed token (AT+QCOAPHEADER mode 0) an older request that was never
// answered must not lend its time to the answer of a newer one.
std::optional<TimePoint> ClientEndpoint::take_request_time(const Token& token) {
    const std::size_t size = sent_requests_.size();
    for (std::size_t back = 1; back <= size; ++back) {
        SentRequest& entry = sent_requests_[(next_sent_request_ + size - back) % size];
        if (!entry.answered && entry.token == token) {
            entry.answered = true;
            return entry.sent;
        }
    }
    return std::nullopt;
}

}  // namespace atcoap::coap
