#pragma once
// The confirmable messages the server originates (separate responses, CON notifications) while
// they wait for an ACK: each keeps its bytes, what it was for, and a coap::RetransmissionTimer,
// the one §4.2 back-off of the message layer (coap/transmission.hpp).

#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
#include "coap/transmission.hpp"
#include "server/endpoint.hpp"

namespace atcoap::server {

/// Why the server sent a CON, so that the core knows what an ACK, an RST or giving up means.
struct ConPurpose {
    enum class Kind : std::uint8_t { SeparateResponse, Notification };
    Kind kind = Kind::SeparateResponse;
    std::uint64_t observer = 0;  // the observer a notification went to
};

struct Resend {
    Endpoint peer;
    Bytes bytes;
};

class RetransmitQueue {
  public:
    /// `settings` give ACK_TIMEOUT and MAX_RETRANSMIT (RFC 7252 §4.8).
    explicit RetransmitQueue(const coap::TransmissionSettings& settings) : settings_(settings) {}

    /// Starts the schedule of a CON just sent at `now`; its first timeout is drawn from `random`.
    void add(const Endpoint& peer, std::uint16_t message_id, Bytes bytes, ConPurpose purpose,
             TimePoint now, Random& random);

    /// Ends the schedule that an ACK or RST with `message_id` from `peer` answers; both must
    /// match (RFC 7252 §4.2). Returns what the CON was for, or nullopt when nothing matched.
    std::optional<ConPurpose> settle(const Endpoint& peer, std::uint16_t message_id);

    struct Due {
        std::vector<Resend> resend;        // the same bytes again (RFC 7252 §4.2)
        std::vector<ConPurpose> given_up;  // no ACK after the last wait
    };
    Due on_timeout(TimePoint now);

    std::optional<TimePoint> next_deadline() const;
    bool has_notification_for(std::uint64_t observer) const;
    void forget_observer(std::uint64_t observer);
    std::size_t size() const { return entries_.size(); }
    /// The CONs waiting for their ACK that were sent for `kind`.
    std::size_t count(ConPurpose::Kind kind) const;

  private:
    struct Entry {
        Endpoint peer;
        std::uint16_t message_id;
        Bytes bytes;
        ConPurpose purpose;
        coap::RetransmissionTimer timer;
    };
    coap::TransmissionSettings settings_;
    std::vector<Entry> entries_;
};

}  // namespace atcoap::server
