#include "server/observe.hpp"

#include <algorithm>

#include "server/transmission.hpp"

namespace atcoap::server {

std::uint64_t ObserverRegistry::add(const Endpoint& peer, const coap::Token& token, TimePoint now) {
    (void)remove(peer, token);
    const std::uint64_t id = next_id_++;
    Observer observer{peer, token, 1, now + kNotifyInterval, {}};
    observers_.emplace(id, std::move(observer));
    return id;
}

std::optional<std::uint64_t> ObserverRegistry::remove(const Endpoint& peer,
                                                      const coap::Token& token) {
    for (auto it = observers_.begin(); it != observers_.end(); ++it) {
        if (it->second.peer == peer && it->second.token == token) {
            const std::uint64_t id = it->first;
            observers_.erase(it);
            return id;
        }
    }
    return std::nullopt;
}

Observer* ObserverRegistry::find(std::uint64_t id) {
    const auto it = observers_.find(id);
    return it == observers_.end() ? nullptr : &it->second;
}

std::optional<std::uint64_t> ObserverRegistry::find_by_message_id(const Endpoint& peer,
                                                                  std::uint16_t message_id) const {
    for (const auto& [id, observer] : observers_) {
        const auto& ids = observer.recent_ids;
        if (observer.peer == peer && std::find(ids.begin(), ids.end(), message_id) != ids.end()) {
            return id;
        }
    }
    return std::nullopt;
}

std::size_t ObserverRegistry::count_for(const Endpoint& peer) const {
    return static_cast<std::size_t>(
        std::count_if(observers_.begin(), observers_.end(),
                      [&peer](const auto& entry) { return entry.second.peer == peer; }));
}

std::vector<std::uint64_t> ObserverRegistry::due(TimePoint now) const {
    std::vector<std::uint64_t> ids;
    for (const auto& [id, observer] : observers_) {
        if (observer.next_notification <= now) {
            ids.push_back(id);
        }
    }
    return ids;
}

std::optional<TimePoint> ObserverRegistry::next_deadline() const {
    std::optional<TimePoint> earliest;
    for (const auto& entry : observers_) {
        const TimePoint next = entry.second.next_notification;
        if (!earliest || next < *earliest) {
            earliest = next;
        }
    }
    return earliest;
}

std::uint32_t next_sequence(Observer& observer) {
    observer.sequence = (observer.sequence + 1) & ObserverRegistry::kSequenceMask;
    return observer.sequence;
}

void record_message_id(Observer& observer, std::uint16_t message_id) {
    auto& ids = observer.recent_ids;
    if (ids.size() == ObserverRegistry::kRecentIds) {
        ids.erase(ids.begin());
    }
    ids.push_back(message_id);
}

}  // namespace atcoap::server
