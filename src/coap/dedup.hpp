#pragma once
// Duplicate detection for received CON and NON messages (RFC 7252 §4.5, DIALECT.md §3
// "Receiving"). One history per client endpoint: its socket is connected, so every datagram
// comes from the one peer and the key needs no endpoint. The token is part of the key because
// servers reuse a request's message ID in a NON response and hosts may set the same message ID
// again (DIALECT.md §3).

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>

#include "base/time.hpp"
#include "coap/message.hpp"

namespace atcoap::coap {

class DedupHistory {
  public:
    /// Enough for a server that floods a message per second for a whole EXCHANGE_LIFETIME
    /// many times over, small enough to bound the memory a hostile peer can pin.
    static constexpr std::size_t kDefaultCapacity = 4096;

    explicit DedupHistory(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

    /// True when (message_id, token) was remembered and has not expired at `now`.
    bool contains(std::uint16_t message_id, const Token& token, TimePoint now) const;

    /// Remembers an accepted message until `expires` (EXCHANGE_LIFETIME after a CON,
    /// NON_LIFETIME after a NON). Beyond the capacity the oldest entries are forgotten.
    void remember(std::uint16_t message_id, const Token& token, TimePoint expires);

    /// Forgets the oldest entries that have expired at `now`. Entries behind a live one wait
    /// for a later call, but contains() already treats them as gone.
    void expire(TimePoint now);

    void clear();
    std::size_t size() const { return entries_.size(); }

  private:
    // Message ID (2 bytes), token length, token bytes: ordered for the map.
    using Key = std::array<std::uint8_t, 3 + Token::kMaxSize>;
    struct Entry {
        TimePoint expires;
        std::uint64_t sequence;  // which remember() call wrote it, to spot stale order_ items
    };
    struct Queued {
        Key key;
        std::uint64_t sequence;
    };

    static Key key_of(std::uint16_t message_id, const Token& token);
    void drop_front();

    std::size_t capacity_;
    std::map<Key, Entry> entries_;
    std::deque<Queued> order_;  // remember() calls, oldest first
    std::uint64_t next_sequence_ = 0;
};

}  // namespace atcoap::coap
