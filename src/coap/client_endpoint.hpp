#pragma once
// The sans-IO CoAP client endpoint of one AT clientID (RFC 7252 §4 message layer, §5.3.2
// matching; docs/DIALECT.md §3 and §7). It encodes what the modem sends, retransmits CONs, matches
// ACK/RST and responses, acknowledges and deduplicates what the server sends, and hands out
// datagrams, events and its next deadline. It reads no clock and touches no socket: time comes
// in as `now`, randomness through the injected Random.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/log_rate_limiter.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/time.hpp"
#include "coap/codec.hpp"
#include "coap/dedup.hpp"
#include "coap/expected_tokens.hpp"
#include "coap/message.hpp"
#include "coap/message_record.hpp"
#include "coap/transmission.hpp"

namespace atcoap::coap {

/// The outcome of a sent message: +QCOAPACK: <id>,<type>,<msgID>,<ok ? 0 : -11>.
struct Delivered {
    Type type;
    std::uint16_t message_id;
    bool ok;
    friend bool operator==(const Delivered&, const Delivered&) = default;
};

/// One retransmission of a CON: +QCOAPIND: <id>,0,<msgID>,<retry_times>,<sent ? 0 : -11>.
struct Retransmitted {
    std::uint16_t message_id;
    unsigned retry_times;  // 1 for the first retransmission
    bool sent;
    friend bool operator==(const Retransmitted&, const Retransmitted&) = default;
};

/// An accepted message that carries a code: +QCOAPRECV.
struct Received {
    Message message;
    friend bool operator==(const Received&, const Received&) = default;
};

using ClientEvent = std::variant<Delivered, Retransmitted, Received>;

class ClientEndpoint {
  public:
    /// `log_name` prefixes every log line, e.g. "client 0".
    ClientEndpoint(Random& random, Logger& logger, std::string log_name);

    /// Who hears of every message sent and received (coap/message_record.hpp); nullptr: nobody.
    /// Unwatched, a give-up is logged here at Warn instead.
    void set_watcher(MessageWatcher* watcher) { watcher_ = watcher; }

    /// Applies to exchanges started afterwards; running ones keep their schedule.
    void configure(const TransmissionSettings& settings);
    const TransmissionSettings& settings() const { return settings_; }
    const TransmissionTimes& times() const { return times_; }

    /// Sends a message the modem built whole (type, code, message ID, token, options and
    /// payload are the caller's; nothing is renumbered). An encode error is returned and
    /// nothing happens. With the link down: Delivered{ok=false} at once, nothing sent and
    /// nothing retransmitted (docs/DIALECT.md §7). Otherwise the datagram goes to the outbox; a CON
    /// starts its retransmission, any other type gives Delivered{ok=true} at once (§3).
    Status<EncodeError> send(const Message& message, TimePoint now);

    /// The radio and PDP state. While down, a retransmission that falls due is not sent
    /// (Retransmitted{sent=false}) and incoming datagrams are dropped (docs/DIALECT.md §7).
    void set_link_up(bool up) { link_up_ = up; }
    bool link_up() const { return link_up_; }

    /// A datagram from the server (the socket is connected: only the peer's datagrams).
    void on_datagram(ByteView datagram, TimePoint now);
    /// Retransmits or gives up every CON whose deadline is at or before `now`.
    void on_timeout(TimePoint now);
    /// The earliest retransmission deadline, if any CON awaits its ACK.
    std::optional<TimePoint> next_deadline() const;

    /// Datagrams for the server, oldest first; the outbox is empty afterwards.
    std::vector<Bytes> take_datagrams();
    /// Events for the modem, oldest first; the queue is empty afterwards.
    std::vector<ClientEvent> take_events();
    /// The same two into the caller's vectors (cleared first), which the endpoint takes in
    /// exchange as its next outboxes: a caller that keeps its vectors allocates nothing.
    void take_datagrams(std::vector<Bytes>& into);
    void take_events(std::vector<ClientEvent>& into);

    /// AT+QCOAPCLOSE: forgets pending exchanges, dedup history, expected tokens, observations
    /// and anything not yet taken from the outboxes, without any event. Settings and link state
    /// stay.
    void reset();

    /// CONs awaiting their ACK or RST.
    std::size_t outstanding() const { return pending_.size(); }

    /// A CON sent while this many await their ACK fails at once (Delivered{ok=false}), as with
    /// the link down: it bounds what a host can pin for EXCHANGE_LIFETIME.
    static constexpr std::size_t kMaxOutstandingCons = 256;

  private:
    struct PendingCon {
        std::uint16_t message_id;
        Token token;
        Code code;
        Bytes datagram;  // retransmitted byte for byte (§4.2)
        RetransmissionTimer timer;
        TimePoint first_sent;
        std::string path;  // for the records of its retransmissions; empty when unwatched
    };
    /// A request sent while watched, for the round-trip time of a response matched by token
    /// after its CON is done (a separate response, RFC 7252 §5.2.2) or to a NON.
    struct SentRequest {
        Token token;
        TimePoint sent;
        bool answered = true;
    };
    /// How many such requests are remembered: the oldest is forgotten past it, and a response
    /// to it then has no round-trip time. Hosts rarely have more requests open at once.
    static constexpr std::size_t kRoundTripMemory = 8;
    using PendingList = std::vector<PendingCon>;

    // Sending and retransmission.
    void start_con(const Message& message, Bytes datagram, TimePoint now);
    void note_forgotten(ExpectedTokens::Forgotten forgotten);
    void retransmit_or_give_up(PendingList::iterator con, TimePoint now);
    PendingList::iterator find_pending_by_id(std::uint16_t message_id);
    PendingList::iterator find_pending_request(const Token& token);
    void complete(PendingList::iterator con, bool ok);

    // Receiving.
    void on_malformed(const DecodeFailure& failure);
    void on_ack(Message message);
    void on_rst(const Message& message);
    void on_con_or_non(Message message, TimePoint now);
    bool reject_unrecognized_critical(const Message& message);
    void drop_ignored_options(Message& message);
    void note_response(const Message& response);
    void expire_expected(TimePoint now);
    bool accept_expected(const Message& message, TimePoint now);
    void acknowledge_again_or_ignore(const Message& message);

    /// Queues an event, built in place: moving a variant temporary that can hold a Message
    /// draws a false maybe-uninitialized warning from g++ 12 at -O2.
    template <class Event>
    void emit(Event event) {
        events_.emplace_back(std::in_place_type<Event>, std::move(event));
    }
    void send_empty(Type type, std::uint16_t message_id);
    void reject(const Message& message, std::string_view why);
    void log(LogLevel level, std::string_view text);
    void log_network(std::string_view text);

    // Records for the watcher (client_record.cpp).
    bool watched() const { return watcher_ != nullptr && watcher_->watching(); }
    void record_sent(const Message& message, std::size_t size, TimePoint now);
    void record_sent_empty(Type type, std::uint16_t message_id);
    void record_retransmission(const PendingCon& con, TimePoint now);
    void give_up(PendingList::iterator con, TimePoint now);
    void record_received(const Message& message, std::size_t size, TimePoint now);
    std::optional<Duration> round_trip_of(const Message& message, TimePoint now);
    std::optional<TimePoint> take_request_time(const Token& token);

    Random& random_;
    Logger& logger_;
    std::string log_name_;
    std::string log_line_;
    // Warnings a received datagram causes, at most LogRateLimiter's burst per window, timed by
    // the arrival of the datagram being handled.
    LogRateLimiter network_log_limit_;
    TimePoint receiving_at_{};
    TransmissionSettings settings_{};
    TransmissionTimes times_;
    bool link_up_ = true;

    PendingList pending_;  // in send order
    DedupHistory dedup_;
    ExpectedTokens expected_;
    std::vector<Bytes> outbox_;
    std::vector<ClientEvent> events_;
    MessageWatcher* watcher_ = nullptr;
    std::array<SentRequest, kRoundTripMemory> sent_requests_{};
    std::size_t next_sent_request_ = 0;
    MessageRecord record_;  // the record being reported
};

}  // namespace atcoap::coap
