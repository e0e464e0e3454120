#pragma once
// The confirmable messages the server originates (separate responses, CON notifications) and
// their retransmission schedule (RFC 7252 §4.2): the first timeout is drawn from
// [ACK_TIMEOUT, ACK_TIMEOUT * 1.5], each later one doubles, and after MAX_RETRANSMIT
// retransmissions one more doubled wait passes before the server gives up.

#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
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
    /// Starts the schedule of a CON just sent at `now`.
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

  private:
    struct Entry {
        Endpoint peer;
        std::uint16_t message_id;
        Bytes bytes;
        ConPurpose purpose;
        TimePoint next;
        Duration timeout;
        unsigned retransmissions;
    };
    std::vector<Entry> entries_;
};

}  // namespace atcoap::server
