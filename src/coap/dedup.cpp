#include "coap/dedup.hpp"

#include <algorithm>

namespace atcoap::coap {

DedupHistory::Key DedupHistory::key_of(std::uint16_t message_id, const Token& token) {
    Key key{};
    key[0] = static_cast<std::uint8_t>(message_id >> 8);
    key[1] = static_cast<std::uint8_t>(message_id & 0xFFu);
    key[2] = static_cast<std::uint8_t>(token.size());
    const ByteView bytes = token.view();
    std::copy(bytes.begin(), bytes.end(), key.begin() + 3);
    return key;
}

bool DedupHistory::contains(std::uint16_t message_id, const Token& token, TimePoint now) const {
    const auto it = entries_.find(key_of(message_id, token));
    return it != entries_.end() && now < it->second.expires;
}

void DedupHistory::remember(std::uint16_t message_id, const Token& token, TimePoint expires) {
    const Key key = key_of(message_id, token);
    const std::uint64_t sequence = next_sequence_++;
    entries_[key] = Entry{expires, sequence};
    order_.push_back(Queued{key, sequence});
    while (order_.size() > capacity_) {
        drop_front();
    }
}

void DedupHistory::expire(TimePoint now) {
    while (!order_.empty()) {
        const auto it = entries_.find(order_.front().key);
        const bool stale = it == entries_.end() || it->second.sequence != order_.front().sequence;
        if (!stale && now < it->second.expires) {
            return;
        }
        drop_front();
    }
}

void DedupHistory::clear() {
    entries_.clear();
    order_.clear();
}

void DedupHistory::drop_front() {
    const Queued front = order_.front();
    order_.pop_front();
    const auto it = entries_.find(front.key);
    // A key remembered again later has a newer sequence: that later entry stays.
    if (it != entries_.end() && it->second.sequence == front.sequence) {
        entries_.erase(it);
    }
}

}  // namespace atcoap::coap
