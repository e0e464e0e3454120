#include "coap/client_endpoint.hpp"

#include <algorithm>
#include <utility>

#include "coap/message_text.hpp"

namespace atcoap::coap {

ClientEndpoint::ClientEndpoint(Random& random, Logger& logger, std::string log_name)
    : random_(random),
      logger_(logger),
      log_name_(std::move(log_name)),
      times_(derive_times(settings_)) {}

void ClientEndpoint::configure(const TransmissionSettings& settings) {
    settings_ = settings;
    times_ = derive_times(settings);
}

Status<EncodeError> ClientEndpoint::send(const Message& message, TimePoint now) {
    auto encoded = encode(message);
    if (!encoded) {
        log(LogLevel::Warn,
            summarize(message) + " not sent: " + std::string{describe(encoded.error())});
        return fail(encoded.error());
    }
    if (!link_up_) {
        // docs/DIALECT.md §7: the send fails at once and nothing is retransmitted later.
        log(LogLevel::Warn, summarize(message) + " not sent: the link is down");
        emit(Delivered{message.type, message.message_id, false});
        return Done{};
    }
    if (message.type == Type::Con && pending_.size() == kMaxOutstandingCons) {
        // A bound on what a host can pin: each waits up to EXCHANGE_LIFETIME with its bytes.
        log(LogLevel::Warn, summarize(message) +
                                " not sent: " + std::to_string(kMaxOutstandingCons) +
                                " CONs already await their ACK (docs/DIALECT.md §7, Limits)");
        emit(Delivered{message.type, message.message_id, false});
        return Done{};
    }
    expire_expected(now);
    note_forgotten(expected_.request_sent(message, now + times_.exchange_lifetime));
    if (message.type == Type::Con) {
        start_con(message, std::move(encoded).value(), now);
        return Done{};
    }
    if (logger_.enabled(LogLevel::Debug)) {
        log(LogLevel::Debug, summarize(message) + " sent");
    }
    if (watched()) {
        record_sent(message, encoded->size(), now);
    }
    outbox_.push_back(std::move(encoded).value());
    // docs/DIALECT.md §3: NON, ACK and RST are done once sent.
    emit(Delivered{message.type, message.message_id, true});
    return Done{};
}

void ClientEndpoint::start_con(const Message& message, Bytes datagram, TimePoint now) {
    if (find_pending_by_id(message.message_id) != pending_.end()) {
        log(LogLevel::Warn, "MID " + std::to_string(message.message_id) +
                                " reused while a CON with it awaits its ACK (RFC 7252 §4.4)");
    }
    const Duration first = initial_timeout(settings_, random_);
    const bool watching = watched();
    if (watching) {
        record_sent(message, datagram.size(), now);
    }
    outbox_.push_back(datagram);
    pending_.push_back(PendingCon{message.message_id, message.token, message.code,
                                  std::move(datagram),
                                  RetransmissionTimer(first, settings_.max_retransmit, now), now,
                                  watching ? record_.path : std::string{}});
    if (logger_.enabled(LogLevel::Debug)) {
        log(LogLevel::Debug,
            summarize(message) + " sent, first timeout " + std::to_string(first.count()) + " ms");
    }
    if (pending_.size() > kNstart) {
        // docs/DIALECT.md §7: allowed, since the host decides, but RFC 7252 §4.7 asks for one.
        log(LogLevel::Warn, std::to_string(pending_.size()) +
                                " CONs outstanding, more than NSTART " + std::to_string(kNstart) +
                                " (RFC 7252 §4.7)");
    }
}

void ClientEndpoint::note_forgotten(ExpectedTokens::Forgotten forgotten) {
    if (forgotten.request) {
        log(LogLevel::Warn, "more than " + std::to_string(ExpectedTokens::kMaxRequests) +
                                " request tokens within EXCHANGE_LIFETIME: the one expiring "
                                "first is forgotten, and a late response to it will be rejected");
    }
    if (forgotten.observation) {
        log(LogLevel::Warn, "more than " + std::to_string(ExpectedTokens::kMaxObservations) +
                                " observations: the oldest is forgotten, and its notifications "
                                "will get RST");
    }
}

void ClientEndpoint::on_timeout(TimePoint now) {
    for (;;) {
        const auto due = std::min_element(
            pending_.begin(), pending_.end(),
            [](const auto& a, const auto& b) { return a.timer.deadline() < b.timer.deadline(); });
        if (due == pending_.end() || due->timer.deadline() > now) {
            return;
        }
        retransmit_or_give_up(due, now);
    }
}

void ClientEndpoint::retransmit_or_give_up(PendingList::iterator con, TimePoint now) {
    if (con->timer.exhausted()) {
        give_up(con, now);
        return;
    }
    con->timer.retransmitted(now);
    const unsigned retry = con->timer.retransmissions();
    if (link_up_) {
        outbox_.push_back(con->datagram);
        if (watched()) {
            record_retransmission(*con, now);
        }
    }
    // Sent, it is the watcher's per-message line; unsent, the host's +QCOAPIND says -11.
    const LogLevel level = link_up_ ? LogLevel::Debug : LogLevel::Info;
    if (logger_.enabled(level)) {
        log(level, "CON MID " + std::to_string(con->message_id) + " retransmission " +
                       std::to_string(retry) +
                       (link_up_ ? " sent" : " not sent: the link is down"));
    }
    emit(Retransmitted{con->message_id, retry, link_up_});
}

std::optional<TimePoint> ClientEndpoint::next_deadline() const {
    std::optional<TimePoint> earliest;
    for (const PendingCon& con : pending_) {
        if (!earliest || con.timer.deadline() < *earliest) {
            earliest = con.timer.deadline();
        }
    }
    return earliest;
}

ClientEndpoint::PendingList::iterator ClientEndpoint::find_pending_by_id(std::uint16_t message_id) {
    return std::find_if(pending_.begin(), pending_.end(),
                        [message_id](const PendingCon& c) { return c.message_id == message_id; });
}

ClientEndpoint::PendingList::iterator ClientEndpoint::find_pending_request(const Token& token) {
    return std::find_if(pending_.begin(), pending_.end(), [&token](const PendingCon& c) {
        return c.code.is_request() && c.token == token;
    });
}

void ClientEndpoint::complete(PendingList::iterator con, bool ok) {
    emit(Delivered{Type::Con, con->message_id, ok});
    pending_.erase(con);
}

std::vector<Bytes> ClientEndpoint::take_datagrams() {
    return std::exchange(outbox_, {});
}

std::vector<ClientEvent> ClientEndpoint::take_events() {
    return std::exchange(events_, {});
}

void ClientEndpoint::take_datagrams(std::vector<Bytes>& into) {
    into.clear();
    into.swap(outbox_);
}

void ClientEndpoint::take_events(std::vector<ClientEvent>& into) {
    into.clear();
    into.swap(events_);
}

void ClientEndpoint::reset() {
    pending_.clear();
    sent_requests_ = {};
    dedup_.clear();
    expected_.clear();
    outbox_.clear();
    events_.clear();
}

void ClientEndpoint::send_empty(Type type, std::uint16_t message_id) {
    Message empty;
    empty.type = type;
    empty.message_id = message_id;
    Bytes datagram;
    // An empty message always encodes: 4 header bytes.
    (void)encode_into(empty, datagram);
    outbox_.push_back(std::move(datagram));
    if (watched()) {
        record_sent_empty(type, message_id);
    }
}

void ClientEndpoint::log(LogLevel level, std::string_view text) {
    // One reused buffer: a sent CON logs a line at Debug on every exchange.
    log_line_.assign(log_name_);
    log_line_ += ": ";
    log_line_ += text;
    logger_.log(level, log_line_);
}

}  // namespace atcoap::coap
