#pragma once
// The observers of /obs (RFC 7641): one entry per (client endpoint, token), each with its own
// sequence counter and one-second notification clock.

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "base/time.hpp"
#include "coap/message.hpp"
#include "server/endpoint.hpp"

namespace atcoap::server {

struct Observer {
    Endpoint peer;
    coap::Token token;
    std::uint32_t sequence = 0;  // the Observe value last sent (RFC 7641 §4.4)
    TimePoint next_notification;
    // Message IDs of the latest notifications, so that an RST to any of them ends the
    // observation (RFC 7641 §3.6) whether it was CON or NON.
    std::vector<std::uint16_t> recent_ids;
};

class ObserverRegistry {
  public:
    static constexpr std::size_t kRecentIds = 8;
    static constexpr std::uint32_t kSequenceMask = 0xFFFFFF;  // Observe is 3 bytes at most

    /// Registers (peer, token), replacing an entry with the same key (RFC 7641 §4.1), with its
    /// first Observe value 1 and its first notification due one interval after `now`.
    /// Returns the observer's id.
    std::uint64_t add(const Endpoint& peer, const coap::Token& token, TimePoint now);

    /// Removes (peer, token) and returns its id; nullopt when it was not registered.
    std::optional<std::uint64_t> remove(const Endpoint& peer, const coap::Token& token);
    void remove(std::uint64_t id) { observers_.erase(id); }

    Observer* find(std::uint64_t id);
    /// The observer that a notification with `message_id` went to at `peer`.
    std::optional<std::uint64_t> find_by_message_id(const Endpoint& peer,
                                                    std::uint16_t message_id) const;

    /// Ids of the observers whose next notification is due at `now`.
    std::vector<std::uint64_t> due(TimePoint now) const;
    std::optional<TimePoint> next_deadline() const;
    std::size_t size() const { return observers_.size(); }
    /// The observers `peer` registered.
    std::size_t count_for(const Endpoint& peer) const;

  private:
    std::map<std::uint64_t, Observer> observers_;
    std::uint64_t next_id_ = 1;
};

/// Advances the observer's sequence (24 bits, wrapping) and returns the new value.
std::uint32_t next_sequence(Observer& observer);

/// Notes the message ID of a notification just sent, keeping the latest few.
void record_message_id(Observer& observer, std::uint16_t message_id);

}  // namespace atcoap::server
