#include "server/retransmit.hpp"

#include <algorithm>

#include "server/transmission.hpp"

namespace atcoap::server {

void RetransmitQueue::add(const Endpoint& peer, std::uint16_t message_id, Bytes bytes,
                          ConPurpose purpose, TimePoint now, Random& random) {
    // RFC 7252 §4.2: only the first timeout is random.
    const auto low = static_cast<std::uint32_t>(kAckTimeout.count());
    const auto high = static_cast<std::uint32_t>(kAckTimeoutMax.count());
    const Duration timeout{random.uniform(low, high)};
    entries_.push_back(
        Entry{peer, message_id, std::move(bytes), purpose, now + timeout, timeout, 0});
}

std::optional<ConPurpose> RetransmitQueue::settle(const Endpoint& peer, std::uint16_t message_id) {
    const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) {
        return e.message_id == message_id && e.peer == peer;
    });
    if (it == entries_.end()) {
        return std::nullopt;
    }
    const ConPurpose purpose = it->purpose;
    entries_.erase(it);
    return purpose;
}

RetransmitQueue::Due RetransmitQueue::on_timeout(TimePoint now) {
    Due due;
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (it->next > now) {
            ++it;
            continue;
        }
        if (it->retransmissions == kMaxRetransmit) {
            due.given_up.push_back(it->purpose);
            it = entries_.erase(it);
            continue;
        }
        ++it->retransmissions;
        it->timeout *= 2;
        it->next += it->timeout;
        due.resend.push_back(Resend{it->peer, it->bytes});
        ++it;
    }
    return due;
}

std::optional<TimePoint> RetransmitQueue::next_deadline() const {
    std::optional<TimePoint> earliest;
    for (const Entry& e : entries_) {
        if (!earliest || e.next < *earliest) {
            earliest = e.next;
        }
    }
    return earliest;
}

bool RetransmitQueue::has_notification_for(std::uint64_t observer) const {
    return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
        return e.purpose.kind == ConPurpose::Kind::Notification && e.purpose.observer == observer;
    });
}

void RetransmitQueue::forget_observer(std::uint64_t observer) {
    std::erase_if(entries_, [&](const Entry& e) {
        return e.purpose.kind == ConPurpose::Kind::Notification && e.purpose.observer == observer;
    });
}

}  // namespace atcoap::server
