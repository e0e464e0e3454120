#pragma once
// The test server's sans-IO core (docs/ARCHITECTURE.md): datagrams and time in, datagrams and one
// deadline out; randomness and logging injected. The transport around it (udp_server.hpp, and
// later a DTLS listener) only moves bytes and calls back at next_deadline().
//
// Message layer (RFC 7252 §4):
// - A CON request is answered in a piggybacked ACK; a NON request gets a NON response that
//   reuses the request's message ID and token, as libcoap's server does (the note's §5.1).
// - CON requests are deduplicated per (peer, message ID) for EXCHANGE_LIFETIME: a duplicate gets
//   the stored reply again and is processed once. NON duplicates within NON_LIFETIME are ignored.
// - /separate: an empty ACK at once, the response one second later as a CON with a new message
//   ID and the request's token, retransmitted (§4.2) until the client ACKs or RSTs it.
// - /obs (RFC 7641): notifications every second; every fifth is a CON (§4.5: a server learns
//   from the ACK that the client is still there), the others NON. While a CON notification is
//   unacknowledged, the due notifications are skipped (their sequence numbers still advance);
//   a CON notification never ACKed, an RST to any recent notification, or a GET with Observe 1
//   ends the observation.
// - Malformed CON, CoAP ping and CON responses get RST; malformed NONs are dropped; ACK and RST
//   are never answered. An unrecognized critical option in a CON request gets ACK 4.02
//   "Bad Option" (§5.4.1); in a NON request the message is rejected silently.
// - With loss P, every outgoing datagram (retransmissions included) is dropped with probability P.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/log_rate_limiter.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
#include "coap/dedup.hpp"
#include "coap/message.hpp"
#include "coap/transmission.hpp"
#include "server/endpoint.hpp"
#include "server/observe.hpp"
#include "server/resources.hpp"
#include "server/retransmit.hpp"
#include "server/transmission.hpp"

namespace atcoap::server {

struct Datagram {
    Endpoint peer;
    Bytes bytes;
};

struct CoreOptions {
    double loss = 0;  // fraction of outgoing datagrams to drop, 0 to 1
};

class ServerCore {
  public:
    ServerCore(Random& random, Logger& log, CoreOptions options = {});

    void on_datagram(const Endpoint& peer, ByteView datagram, TimePoint now);
    void on_timeout(TimePoint now);
    std::optional<TimePoint> next_deadline() const;
    std::vector<Datagram> take_datagrams();

    std::size_t observer_count() const { return observers_.size(); }
    std::size_t unacknowledged_count() const { return retransmit_.size(); }
    // What a flood can grow, each bounded (server/transmission.hpp, docs/RUNNING.md).
    std::size_t reply_history_size() const { return dedup_.size(); }
    /// Separate responses waiting for their second, or sent as CONs and not yet acknowledged.
    std::size_t pending_separate_count() const;

  private:
    struct Delayed {
        Endpoint peer;
        coap::Message message;  // its message ID is drawn when it is sent
        TimePoint due;
    };

    void on_malformed(const Endpoint& peer, ByteView datagram);
    void on_ack_or_reset(const Endpoint& peer, const coap::Message& message);
    void on_request(const Endpoint& peer, const coap::Message& request, TimePoint now);
    bool repeat_if_duplicate(const Endpoint& peer, const coap::Message& request, TimePoint now);
    void reject_bad_option(const Endpoint& peer, const coap::Message& request, TimePoint now);
    void apply_observe(const Endpoint& peer, const coap::Message& request, Reply& reply,
                       TimePoint now);
    void answer(const Endpoint& peer, const coap::Message& request, Reply reply, TimePoint now);
    void answer_separately(const Endpoint& peer, const coap::Message& request, Reply reply,
                           TimePoint now);
    void send_delayed(TimePoint now);
    void notify(std::uint64_t id, TimePoint now);
    void retransmit(TimePoint now);
    void send_con(const Endpoint& peer, coap::Message message, ConPurpose purpose, TimePoint now);
    void send_rst(const Endpoint& peer, std::uint16_t message_id);
    void send(const Endpoint& peer, Bytes bytes);
    bool lost();
    std::uint16_t next_message_id() { return message_id_++; }
    void log_request(const Endpoint& peer, const coap::Message& request, std::string_view outcome);
    void remember_reply(const Endpoint& peer, const coap::Message& request, Bytes reply,
                        TimePoint now);

    // RFC 7252 §4.5: requests are duplicates per (peer, message ID); a CON's duplicate gets the
    // stored reply again, so the reply is the value (empty: nothing to repeat). At most
    // kMaxReplyHistory requests, all peers together: a flood of fresh message IDs pushes the
    // oldest out before its lifetime ends.
    using ReplyHistory = coap::ExpiringHistory<std::pair<Endpoint, std::uint16_t>, Bytes>;

    bool observers_full(const Endpoint& peer) const;
    void warn_past_bound(LogRateLimiter& limit, TimePoint now, const std::string& line);

    Random& random_;
    Logger& log_;
    LogRateLimiter malformed_log_limit_;  // a peer that floods cannot flood the log
    // One warning per bound a flood meets, rate-limited each.
    LogRateLimiter history_log_limit_;
    LogRateLimiter observers_log_limit_;
    LogRateLimiter separate_log_limit_;
    CoreOptions options_;
    std::uint16_t message_id_;
    coap::TransmissionTimes times_;
    ReplyHistory dedup_{kMaxReplyHistory};
    RetransmitQueue retransmit_;
    ObserverRegistry observers_;
    std::vector<Delayed> delayed_;
    std::vector<Datagram> outbox_;
};

}  // namespace atcoap::server
