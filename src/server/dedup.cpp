#include "server/dedup.hpp"

namespace atcoap::server {

const Bytes* DedupCache::find(const Endpoint& peer, std::uint16_t message_id, TimePoint now) {
    prune(now);
    const auto it = entries_.find(Key{peer, message_id});
    if (it == entries_.end() || it->second.expires <= now) {
        return nullptr;
    }
    return &it->second.reply;
}

void DedupCache::remember(const Endpoint& peer, std::uint16_t message_id, Bytes reply,
                          TimePoint expires) {
    Key key{peer, message_id};
    entries_.insert_or_assign(key, Entry{std::move(reply), expires});
    order_.emplace_back(expires, std::move(key));
}

void DedupCache::prune(TimePoint now) {
    while (!order_.empty() && order_.front().first <= now) {
        const auto it = entries_.find(order_.front().second);
        // A key remembered again later carries a later expiry and stays.
        if (it != entries_.end() && it->second.expires <= now) {
            entries_.erase(it);
        }
        order_.pop_front();
    }
}

}  // namespace atcoap::server
