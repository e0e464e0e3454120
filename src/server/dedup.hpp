#pragma once
// Duplicate detection of requests (RFC 7252 §4.5), keyed by (source endpoint, message ID) so
// that two clients never share a history. A CON duplicate gets the stored reply again and is
// not processed twice; a NON duplicate is ignored.

#include <cstdint>
#include <deque>
#include <map>
#include <utility>

#include "base/bytes.hpp"
#include "base/time.hpp"
#include "server/endpoint.hpp"

namespace atcoap::server {

class DedupCache {
  public:
    /// The reply stored for a request seen from `peer` with `message_id` whose lifetime has not
    /// passed at `now` (empty bytes: the request had no reply to repeat); nullptr when unseen.
    const Bytes* find(const Endpoint& peer, std::uint16_t message_id, TimePoint now);

    /// Records a request and the reply to repeat for its duplicates until `expires`.
    void remember(const Endpoint& peer, std::uint16_t message_id, Bytes reply, TimePoint expires);

    std::size_t size() const { return entries_.size(); }

  private:
    using Key = std::pair<Endpoint, std::uint16_t>;
    struct Entry {
        Bytes reply;
        TimePoint expires;
    };
    void prune(TimePoint now);

    std::map<Key, Entry> entries_;
    // Insertion order; the front is pruned once expired. Entries with a shorter lifetime may
    // wait behind a longer one, which costs memory only: find checks the expiry itself.
    std::deque<std::pair<TimePoint, Key>> order_;
};

}  // namespace atcoap::server
