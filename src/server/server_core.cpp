#include "server/server_core.hpp"

#include <string>

#include "base/printable.hpp"
#include "coap/codec.hpp"
#include "coap/options.hpp"
#include "server/transmission.hpp"

namespace atcoap::server {

namespace {

using coap::Message;
using coap::Type;

/// Our messages are well formed by construction; an encode failure would be a bug here, and
/// an empty result makes send() skip it rather than put garbage on the wire.
Bytes encoded(const Message& message) {
    auto result = coap::encode(message);
    return result ? std::move(result).value() : Bytes{};
}

/// RFC 7252 §5.4.1 and RFC 7959 §2.3: options this server does not implement are unrecognized,
/// even when registered, because ignoring a critical option would change the meaning.
std::optional<std::uint16_t> first_unsupported_critical(const Message& request) {
    if (const auto number = coap::first_unrecognized_critical(request)) {
        return number;
    }
    for (const coap::Option& o : request.options) {
        if (o.number == coap::option::kBlock1 || o.number == coap::option::kQBlock1 ||
            o.number == coap::option::kQBlock2 || o.number == coap::option::kOscore) {
            return o.number;
        }
    }
    return std::nullopt;
}

}  // namespace

ServerCore::ServerCore(Random& random, Logger& log, CoreOptions options)
    : random_(random),
      log_(log),
      options_(options),
      // RFC 7252 §4.4: message IDs count up from a random start.
      message_id_(static_cast<std::uint16_t>(random.next_u32())),
      times_(coap::derive_times(kTransmission)),
      retransmit_(kTransmission) {}

void ServerCore::on_datagram(const Endpoint& peer, ByteView datagram, TimePoint now) {
    auto decoded = coap::decode(datagram);
    if (!decoded) {
        const coap::DecodeFailure& failure = decoded.error();
        if (const auto held_back = malformed_log_limit_.admit(now)) {
            log_.log(LogLevel::Info,
                     "malformed datagram from " + to_string(peer) + ": " +
                         std::string(coap::describe(failure.reason)) +
                         (*held_back > 0 ? " (" + std::to_string(*held_back) +
                                               " such lines held back before this one)"
                                         : std::string()));
        }
        // RFC 7252 §4.2: a CON that cannot be processed is rejected with RST; another version
        // is silently ignored (§3), and so is a malformed NON (§4.3).
        if (failure.header_readable && failure.type == Type::Con &&
            failure.reason != coap::DecodeError::UnsupportedVersion) {
            send_rst(peer, failure.message_id);
        }
        return;
    }
    const Message& message = *decoded;
    if (message.type == Type::Ack || message.type == Type::Rst) {
        on_ack_or_reset(peer, message);
        return;
    }
    if (message.code.is_request()) {
        on_request(peer, message, now);
        return;
    }
    // A CoAP ping (empty CON) or a CON response the server never asked for (§4.2, §4.3).
    if (message.type == Type::Con) {
        log_.log(LogLevel::Debug, "RST to " + to_string(peer) + " for message ID " +
                                      std::to_string(message.message_id));
        send_rst(peer, message.message_id);
    }
}

void ServerCore::on_ack_or_reset(const Endpoint& peer, const Message& message) {
    (void)retransmit_.settle(peer, message.message_id);
    if (message.type != Type::Rst) {
        return;
    }
    // RFC 7641 §3.6: an RST to a notification, CON or NON, ends the observation.
    if (const auto id = observers_.find_by_message_id(peer, message.message_id)) {
        observers_.remove(*id);
        retransmit_.forget_observer(*id);
        log_.log(LogLevel::Info, to_string(peer) + " stops observing /obs (RST)");
    }
}

void ServerCore::on_request(const Endpoint& peer, const Message& request, TimePoint now) {
    if (repeat_if_duplicate(peer, request, now)) {
        return;
    }
    if (first_unsupported_critical(request)) {
        reject_bad_option(peer, request, now);
        return;
    }
    Reply reply = handle_request(request);
    if (reply.delivery == Delivery::Separate && pending_separate_count() >= kMaxPendingSeparate) {
        // RFC 7252 §5.9.3.4: busy for now, ask again after Max-Age seconds.
        warn_past_bound(separate_log_limit_, now,
                        std::to_string(kMaxPendingSeparate) +
                            " separate responses pending: /separate answers 5.03 until some "
                            "are delivered");
        reply = error_reply(coap::codes::kServiceUnavailable, "Service Unavailable");
        reply.options.push_back(uint_option(coap::option::kMaxAge, 1));
    }
    apply_observe(peer, request, reply, now);
    if (reply.delivery == Delivery::Separate) {
        answer_separately(peer, request, std::move(reply), now);
    } else {
        answer(peer, request, std::move(reply), now);
    }
}

bool ServerCore::repeat_if_duplicate(const Endpoint& peer, const Message& request, TimePoint now) {
    dedup_.expire(now);
    const Bytes* stored = dedup_.find({peer, request.message_id}, now);
    if (stored == nullptr) {
        return false;
    }
    log_.log(LogLevel::Debug, "duplicate " + method_name(request.code) + " " +
                                  printable(path_of(request)) + " from " + to_string(peer) +
                                  ", message ID " + std::to_string(request.message_id));
    if (request.type == Type::Con && !stored->empty()) {
        send(peer, *stored);
    }
    return true;
}

void ServerCore::reject_bad_option(const Endpoint& peer, const Message& request, TimePoint now) {
    if (request.type == Type::Non) {
        remember_reply(peer, request, {}, now);
        log_request(peer, request, "rejected (unrecognized critical option)");
        return;
    }
    answer(peer, request, Reply{coap::codes::kBadOption, {}, to_bytes("Bad Option")}, now);
}

void ServerCore::apply_observe(const Endpoint& peer, const Message& request, Reply& reply,
                               TimePoint now) {
    if (reply.observe == ObserveAction::None) {
        return;
    }
    if (const auto old = observers_.remove(peer, request.token)) {
        retransmit_.forget_observer(*old);
    }
    if (reply.observe == ObserveAction::Register && observers_full(peer)) {
        // RFC 7641 §4.1: a response without Observe tells the client it is not registered.
        warn_past_bound(observers_log_limit_, now,
                        to_string(peer) + " may not observe: " + std::to_string(kMaxObservers) +
                            " observers in all, or " + std::to_string(kMaxObserversPerPeer) +
                            " of one peer; registrations are answered without Observe");
        reply.observe = ObserveAction::None;
        return;
    }
    if (reply.observe == ObserveAction::Register) {
        const std::uint64_t id = observers_.add(peer, request.token, now);
        const std::uint32_t sequence = observers_.find(id)->sequence;
        Reply state = observe_state(sequence);
        state.options.push_back(uint_option(coap::option::kObserve, sequence));
        state.observe = reply.observe;
        reply = std::move(state);
    }
}

void ServerCore::answer(const Endpoint& peer, const Message& request, Reply reply, TimePoint now) {
    const bool con = request.type == Type::Con;
    // Piggybacked in the ACK for a CON; for a NON, a NON with the request's message ID.
    const Message response{con ? Type::Ack : Type::Non, reply.code,
                           request.message_id,          request.token,
                           std::move(reply.options),    std::move(reply.payload)};
    Bytes bytes = encoded(response);
    remember_reply(peer, request, con ? bytes : Bytes{}, now);
    std::string outcome = "-> " + coap::to_string(response.code);
    if (reply.observe == ObserveAction::Register) {
        outcome += " (observing)";
    } else if (reply.observe == ObserveAction::Deregister) {
        outcome += " (observation ended)";
    }
    log_request(peer, request, outcome);
    send(peer, std::move(bytes));
}

void ServerCore::answer_separately(const Endpoint& peer, const Message& request, Reply reply,
                                   TimePoint now) {
    const bool con = request.type == Type::Con;
    if (con) {
        // RFC 7252 §5.2.2: an empty ACK now; a duplicate of the request gets it again.
        Bytes ack =
            encoded(Message{Type::Ack, coap::codes::kEmpty, request.message_id, {}, {}, {}});
        remember_reply(peer, request, ack, now);
        send(peer, std::move(ack));
    } else {
        remember_reply(peer, request, {}, now);
    }
    Message response{request.type,
                     reply.code,
                     0,
                     request.token,
                     std::move(reply.options),
                     std::move(reply.payload)};
    log_request(peer, request,
                (con ? "-> empty ACK, " : "-> ") + coap::to_string(response.code) + " in 1 s");
    delayed_.push_back(Delayed{peer, std::move(response), now + kSeparateDelay});
}

void ServerCore::on_timeout(TimePoint now) {
    send_delayed(now);
    retransmit(now);
    for (const std::uint64_t id : observers_.due(now)) {
        notify(id, now);
    }
}

void ServerCore::send_delayed(TimePoint now) {
    std::vector<Delayed> due;
    std::erase_if(delayed_, [&](Delayed& d) {
        if (d.due > now) {
            return false;
        }
        due.push_back(std::move(d));
        return true;
    });
    for (Delayed& d : due) {
        d.message.message_id = next_message_id();
        if (d.message.type == Type::Con) {
            send_con(d.peer, std::move(d.message), ConPurpose{}, now);
        } else {
            send(d.peer, encoded(d.message));
        }
    }
}

void ServerCore::notify(std::uint64_t id, TimePoint now) {
    Observer* observer = observers_.find(id);
    observer->next_notification += kNotifyInterval;
    if (observer->next_notification <= now) {
        observer->next_notification = now + kNotifyInterval;  // the shell woke up late
    }
    const std::uint32_t sequence = next_sequence(*observer);
    if (retransmit_.has_notification_for(id)) {
        return;  // skipped while a CON notification waits for its ACK (see the header)
    }
    Reply state = observe_state(sequence);
    state.options.push_back(uint_option(coap::option::kObserve, sequence));
    Message message{sequence % 5 == 0 ? Type::Con : Type::Non,
                    state.code,
                    next_message_id(),
                    observer->token,
                    std::move(state.options),
                    std::move(state.payload)};
    record_message_id(*observer, message.message_id);
    if (message.type == Type::Con) {
        send_con(observer->peer, std::move(message), ConPurpose{ConPurpose::Kind::Notification, id},
                 now);
    } else {
        send(observer->peer, encoded(message));
    }
}

void ServerCore::retransmit(TimePoint now) {
    RetransmitQueue::Due due = retransmit_.on_timeout(now);
    for (Resend& r : due.resend) {
        send(r.peer, std::move(r.bytes));
    }
    for (const ConPurpose& purpose : due.given_up) {
        if (purpose.kind != ConPurpose::Kind::Notification) {
            log_.log(LogLevel::Info, "separate response never acknowledged; given up");
            continue;
        }
        // RFC 7641 §4.5: a client that does not ACK a CON notification is no longer interested.
        if (const Observer* observer = observers_.find(purpose.observer)) {
            log_.log(LogLevel::Info, to_string(observer->peer) +
                                         " stops observing /obs (notification not acknowledged)");
        }
        observers_.remove(purpose.observer);
    }
}

std::optional<TimePoint> ServerCore::next_deadline() const {
    std::optional<TimePoint> earliest = retransmit_.next_deadline();
    const auto consider = [&](std::optional<TimePoint> t) {
        if (t && (!earliest || *t < *earliest)) {
            earliest = t;
        }
    };
    consider(observers_.next_deadline());
    for (const Delayed& d : delayed_) {
        consider(d.due);
    }
    return earliest;
}

std::vector<Datagram> ServerCore::take_datagrams() {
    return std::exchange(outbox_, {});
}

void ServerCore::send_con(const Endpoint& peer, Message message, ConPurpose purpose,
                          TimePoint now) {
    Bytes bytes = encoded(message);
    retransmit_.add(peer, message.message_id, bytes, purpose, now, random_);
    send(peer, std::move(bytes));
}

void ServerCore::send_rst(const Endpoint& peer, std::uint16_t message_id) {
    send(peer, encoded(Message{Type::Rst, coap::codes::kEmpty, message_id, {}, {}, {}}));
}

void ServerCore::send(const Endpoint& peer, Bytes bytes) {
    if (bytes.empty() || lost()) {
        return;
    }
    outbox_.push_back(Datagram{peer, std::move(bytes)});
}

bool ServerCore::lost() {
    // No draw at all for 0 or 1, so that those runs use the generator only for message IDs.
    if (options_.loss <= 0) {
        return false;
    }
    if (options_.loss >= 1) {
        return true;
    }
    return static_cast<double>(random_.next_u32()) / 4294967296.0 < options_.loss;
}

void ServerCore::remember_reply(const Endpoint& peer, const Message& request, Bytes reply,
                                TimePoint now) {
    // RFC 7252 §4.8.2: a CON's message ID may come again for EXCHANGE_LIFETIME, a NON's for
    // NON_LIFETIME.
    const bool con = request.type == Type::Con;
    const Duration lifetime = con ? times_.exchange_lifetime : times_.non_lifetime;
    if (dedup_.remember({peer, request.message_id}, std::move(reply), now + lifetime) > 0) {
        warn_past_bound(history_log_limit_, now,
                        std::to_string(kMaxReplyHistory) +
                            " requests within their lifetimes: the oldest is forgotten, and a "
                            "late duplicate of it would be served again");
    }
}

bool ServerCore::observers_full(const Endpoint& peer) const {
    return observers_.size() >= kMaxObservers || observers_.count_for(peer) >= kMaxObserversPerPeer;
}

std::size_t ServerCore::pending_separate_count() const {
    return delayed_.size() + retransmit_.count(ConPurpose::Kind::SeparateResponse);
}

void ServerCore::warn_past_bound(LogRateLimiter& limit, TimePoint now, const std::string& line) {
    if (const auto held_back = limit.admit(now)) {
        log_.log(LogLevel::Warn,
                 line + (*held_back > 0 ? " (" + std::to_string(*held_back) +
                                              " such lines held back before this one)"
                                        : std::string()));
    }
}

void ServerCore::log_request(const Endpoint& peer, const Message& request,
                             std::string_view outcome) {
    log_.log(LogLevel::Info, method_name(request.code) + " " + printable(path_of(request)) +
                                 " from " + to_string(peer) + " " + std::string(outcome));
}

}  // namespace atcoap::server
