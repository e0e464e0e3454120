#pragma once
// Duplicate detection (RFC 7252 §4.5): a history of the messages accepted lately, each kept
// until its lifetime ends (EXCHANGE_LIFETIME after a CON, NON_LIFETIME after a NON, §4.8.2).
//
// ExpiringHistory is that history for any key: the client keys it by message ID and token
// (DedupHistory below), the test server by peer and message ID, with the reply to repeat for a
// duplicate CON as the value (src/server).

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <utility>

#include "base/lazy_deque.hpp"
#include "base/time.hpp"
#include "coap/message.hpp"

namespace atcoap::coap {

/// No value beside the key: the history only answers "seen before?".
struct NoValue {};

/// Keys remembered until a deadline. Entries are forgotten oldest first, when their lifetime has
/// passed (expire) or when the capacity is exceeded (remember).
template <typename Key, typename Value = NoValue>
class ExpiringHistory {
  public:
    static constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

    explicit ExpiringHistory(std::size_t capacity) : capacity_(capacity) {}

    /// The value remembered for `key` if its lifetime has not passed at `now`; nullptr otherwise.
    const Value* find(const Key& key, TimePoint now) const {
        const auto it = entries_.find(key);
        return it != entries_.end() && now < it->second.expires ? &it->second.value : nullptr;
    }
    bool contains(const Key& key, TimePoint now) const { return find(key, now) != nullptr; }

    /// Remembers `key` with `value` until `expires`, replacing what it had. Beyond the capacity
    /// the oldest entries are forgotten.
    /// Returns how many entries still held had to go to stay within the capacity (0 mostly).
    std::size_t remember(Key key, Value value, TimePoint expires) {
        const std::uint64_t sequence = next_sequence_++;
        entries_.insert_or_assign(key, Entry{std::move(value), expires, sequence});
        order_.push_back(Queued{std::move(key), sequence});
        std::size_t forgotten = 0;
        while (order_.size() > capacity_) {
            forgotten += drop_front() ? 1U : 0U;
        }
        return forgotten;
    }

    /// Forgets the oldest entries that have expired at `now`. Entries behind a live one wait
    /// for a later call, but find() already treats them as gone.
    void expire(TimePoint now) {
        while (!order_.empty()) {
            const auto it = entries_.find(order_.front().key);
            const bool stale =
                it == entries_.end() || it->second.sequence != order_.front().sequence;
            if (!stale && now < it->second.expires) {
                return;
            }
            drop_front();
        }
    }

    void clear() {
        entries_.clear();
        order_.clear();
    }
    std::size_t size() const { return entries_.size(); }

  private:
    struct Entry {
        [[no_unique_address]] Value value;
        TimePoint expires;
        std::uint64_t sequence;  // which remember() call wrote it, to spot stale order_ items
    };
    struct Queued {
        Key key;
        std::uint64_t sequence;
    };

    // True when the entry dropped was still held (not replaced by a later remember()).
    bool drop_front() {
        const auto it = entries_.find(order_.front().key);
        // A key remembered again later has a newer sequence: that later entry stays.
        const bool held = it != entries_.end() && it->second.sequence == order_.front().sequence;
        if (held) {
            entries_.erase(it);
        }
        order_.pop_front();
        return held;
    }

    std::size_t capacity_;
    std::map<Key, Entry> entries_;
    LazyDeque<Queued> order_;  // remember() calls, oldest first
    std::uint64_t next_sequence_ = 0;
};

/// The client's history of received CON and NON messages (docs/DIALECT.md §3 "Receiving"). One per
/// client endpoint: its socket is connected, so every datagram comes from the one peer and the
/// key needs no endpoint. The token is part of the key because servers reuse a request's
/// message ID in a NON response and hosts may set the same message ID again (docs/DIALECT.md §3).
class DedupHistory {
  public:
    /// Enough for a server that floods a message per second for a whole EXCHANGE_LIFETIME
    /// many times over, small enough to bound the memory a hostile peer can pin.
    static constexpr std::size_t kDefaultCapacity = 4096;

    explicit DedupHistory(std::size_t capacity = kDefaultCapacity) : history_(capacity) {}

    /// True when (message_id, token) was remembered and has not expired at `now`.
    bool contains(std::uint16_t message_id, const Token& token, TimePoint now) const {
        return history_.contains(key_of(message_id, token), now);
    }

    /// Remembers an accepted message until `expires` (EXCHANGE_LIFETIME after a CON,
    /// NON_LIFETIME after a NON). Beyond the capacity the oldest entries are forgotten; returns
    /// how many were.
    std::size_t remember(std::uint16_t message_id, const Token& token, TimePoint expires) {
        return history_.remember(key_of(message_id, token), NoValue{}, expires);
    }

    /// As ExpiringHistory::expire.
    void expire(TimePoint now) { history_.expire(now); }

    void clear() { history_.clear(); }
    std::size_t size() const { return history_.size(); }

  private:
    // Message ID (2 bytes), token length, token bytes: ordered for the map.
    using Key = std::array<std::uint8_t, 3 + Token::kMaxSize>;

    static Key key_of(std::uint16_t message_id, const Token& token);

    ExpiringHistory<Key> history_;
};

}  // namespace atcoap::coap
