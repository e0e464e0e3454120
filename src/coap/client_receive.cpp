// The receiving half of ClientEndpoint: what the server sends, matched, acknowledged,
// deduplicated or rejected (RFC 7252 §4.2-§4.5, §5.3.2, §5.4.1; docs/DIALECT.md §3, §7).

#include <string>
#include <utility>

#include "base/hex.hpp"
#include "coap/client_endpoint.hpp"
#include "coap/message_text.hpp"
#include "coap/options.hpp"

namespace atcoap::coap {

namespace {

std::string mid_text(std::uint16_t message_id) {
    return "MID " + std::to_string(message_id);
}

std::string token_text(const Token& token) {
    return token.empty() ? std::string{"(none)"} : to_hex_upper(token.view());
}

}  // namespace

void ClientEndpoint::on_datagram(ByteView datagram, TimePoint now) {
    if (!link_up_) {
        // docs/DIALECT.md §7: with the radio off nothing is received, nor acknowledged.
        log(LogLevel::Debug, "datagram dropped: the link is down");
        return;
    }
    receiving_at_ = now;
    auto decoded = decode(datagram);
    if (!decoded) {
        on_malformed(decoded.error());
        return;
    }
    dedup_.expire(now);
    expire_expected(now);
    Message message = std::move(decoded).value();
    if (watched()) {
        record_received(message, datagram.size(), now);
    }
    switch (message.type) {
        case Type::Ack:
            on_ack(std::move(message));
            return;
        case Type::Rst:
            on_rst(message);
            return;
        case Type::Con:
        case Type::Non:
            on_con_or_non(std::move(message), now);
            return;
    }
}

void ClientEndpoint::on_malformed(const DecodeFailure& failure) {
    if (failure.reason == DecodeError::UnsupportedVersion) {
        log(LogLevel::Debug, "datagram with an unknown CoAP version ignored (RFC 7252 §3)");
        return;
    }
    std::string text = "malformed datagram (";
    text += describe(failure.reason);
    text += " at offset " + std::to_string(failure.offset) + ")";
    if (failure.header_readable && failure.type == Type::Con) {
        // RFC 7252 §4.2 rejects a CON with RST; docs/DIALECT.md §7 lists the format errors.
        send_empty(Type::Rst, failure.message_id);
        log_network(text + " in CON " + mid_text(failure.message_id) + ": RST");
        return;
    }
    log_network(text + ": dropped");
}

void ClientEndpoint::on_ack(Message message) {
    const auto con = find_pending_by_id(message.message_id);
    if (con == pending_.end()) {
        // RFC 7252 §4.2 and docs/DIALECT.md §7: also a late copy of a piggybacked response.
        log(LogLevel::Debug,
            "ACK " + mid_text(message.message_id) + " matches no outstanding CON: ignored");
        return;
    }
    if (const auto number = first_unrecognized_critical(message)) {
        // docs/DIALECT.md §3: an ACK is rejected by ignoring it, as if it had been lost.
        log_network("ACK " + mid_text(message.message_id) + " with unrecognized critical option " +
                    std::to_string(*number) + " ignored (RFC 7252 §5.4.1)");
        return;
    }
    const Token request_token = con->token;
    const bool was_request = con->code.is_request();
    complete(con, true);
    if (message.code.is_empty()) {
        return;  // the response, if any, comes separately, matched by token (§5.2.2)
    }
    if (!was_request || !message.code.is_response() || message.token != request_token) {
        // RFC 7252 §5.3.2: a piggybacked response matches message ID and token both.
        log_network("ACK " + mid_text(message.message_id) + " acknowledges, but its " +
                    to_string(message.code) + " with token " + token_text(message.token) +
                    " answers no request: dropped");
        return;
    }
    drop_ignored_options(message);
    note_response(message);
    emit(Received{std::move(message)});
}

void ClientEndpoint::on_rst(const Message& message) {
    const auto con = find_pending_by_id(message.message_id);
    if (con == pending_.end()) {
        log(LogLevel::Debug,
            "RST " + mid_text(message.message_id) + " matches no outstanding CON: ignored");
        return;
    }
    if (!message.code.is_empty()) {
        log_network("RST " + mid_text(message.message_id) +
                    " with a code is not a Reset (RFC 7252 §4.2): ignored");
        return;
    }
    // docs/DIALECT.md §7: the RST of a CoAP ping (CON 0.00) proves the peer alive.
    const bool ping = con->code.is_empty();
    expected_.request_reset(con->token);  // a registration the server refused ends
    if (ping) {
        log(LogLevel::Debug, "CON " + mid_text(message.message_id) + " (ping) answered by RST");
    } else {
        log_network("CON " + mid_text(message.message_id) + " rejected by the server's RST");
    }
    complete(con, ping);
}

void ClientEndpoint::on_con_or_non(Message message, TimePoint now) {
    if (message.code.is_empty()) {
        // RFC 7252 §4.3: an empty CON is a ping, answered by RST; an empty NON is meaningless.
        if (message.type == Type::Con) {
            send_empty(Type::Rst, message.message_id);
        }
        log(LogLevel::Debug, "empty " + std::string{message.type == Type::Con ? "CON" : "NON"} +
                                 " " + mid_text(message.message_id) +
                                 (message.type == Type::Con ? ": RST" : ": dropped"));
        return;
    }
    if (reject_unrecognized_critical(message)) {
        return;
    }
    if (dedup_.contains(message.message_id, message.token, now)) {
        acknowledge_again_or_ignore(message);
        return;
    }
    if (message.code.is_response() && !accept_expected(message, now)) {
        return;
    }
    const bool con = message.type == Type::Con;
    if (con) {
        send_empty(Type::Ack, message.message_id);  // docs/DIALECT.md §3 "Receiving"
    }
    if (dedup_.remember(message.message_id, message.token,
                        now + (con ? times_.exchange_lifetime : times_.non_lifetime)) > 0) {
        log_network("more than " + std::to_string(DedupHistory::kDefaultCapacity) +
                    " received messages within their lifetimes: the oldest is forgotten, and a "
                    "late duplicate of it would be reported again");
    }
    drop_ignored_options(message);
    note_response(message);
    emit(Received{std::move(message)});
}

void ClientEndpoint::note_response(const Message& response) {
    if (response.code.is_response() && expected_.response_received(response, receiving_at_)) {
        log(LogLevel::Info, "observation with token " + token_text(response.token) +
                                " ended: the server answered " + to_string(response.code) +
                                " (RFC 7641 §3.2)");
    }
}

void ClientEndpoint::expire_expected(TimePoint now) {
    if (const std::size_t ended = expected_.expire(now); ended > 0) {
        log(LogLevel::Info, std::to_string(ended) +
                                " observation(s) ended: the server was silent past Max-Age plus " +
                                std::to_string(ExpectedTokens::kObservationMargin.count() / 1000) +
                                " s");
    }
}

void ClientEndpoint::drop_ignored_options(Message& message) {
    if (const std::size_t dropped = drop_unusable_electives(message); dropped > 0) {
        log(LogLevel::Debug, mid_text(message.message_id) + ": ignored " + std::to_string(dropped) +
                                 " elective option(s) of a wrong length or repeated (RFC 7252 "
                                 "§5.4.1, §5.4.3, §5.4.5)");
    }
}

bool ClientEndpoint::reject_unrecognized_critical(const Message& message) {
    const auto number = first_unrecognized_critical(message);
    if (number) {
        reject(message,
               "unrecognized critical option " + std::to_string(*number) + " (RFC 7252 §5.4.1)");
    }
    return number.has_value();
}

bool ClientEndpoint::accept_expected(const Message& message, TimePoint now) {
    const auto con = find_pending_request(message.token);
    if (con != pending_.end()) {
        // docs/DIALECT.md §7: a separate response before the empty ACK acknowledges the CON too,
        // and its +QCOAPACK comes first.
        log(LogLevel::Debug, "response " + mid_text(message.message_id) + " acknowledges CON " +
                                 mid_text(con->message_id));
        complete(con, true);
        return true;
    }
    if (expected_.expects(message.token, now)) {
        return true;
    }
    reject(message, "no request or observation of ours has this token");
    return false;
}

void ClientEndpoint::acknowledge_again_or_ignore(const Message& message) {
    // RFC 7252 §4.5: a duplicate CON gets the same ACK again and is processed once.
    if (message.type == Type::Con) {
        send_empty(Type::Ack, message.message_id);
    }
    log(LogLevel::Debug, "duplicate " + summarize(message) +
                             (message.type == Type::Con ? ": ACK again" : ": ignored"));
}

// A warning the network caused: a peer that floods cannot flood the log (base/log_rate_limiter).
void ClientEndpoint::log_network(std::string_view text) {
    const auto held_back = network_log_limit_.admit(receiving_at_);
    if (!held_back) {
        return;
    }
    if (*held_back == 0) {
        log(LogLevel::Warn, text);
        return;
    }
    std::string line(text);
    line += " (" + std::to_string(*held_back) + " such lines held back before this one)";
    log(LogLevel::Warn, line);
}

void ClientEndpoint::reject(const Message& message, std::string_view why) {
    std::string text = summarize(message);
    text += " rejected, ";
    text += why;
    if (message.type == Type::Con) {
        send_empty(Type::Rst, message.message_id);
        text += ": RST";
    } else {
        text += ": dropped";
    }
    log_network(text);
}

}  // namespace atcoap::coap
