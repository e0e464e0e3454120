#include "server/retransmit.hpp"

#include <algorithm>

namespace atcoap::server {

void RetransmitQueue::add(const Endpoint& peer, std::uint16_t message_id, Bytes bytes,
                          ConPurpose purpose, TimePoint now, Random& random) {
    const coap::RetransmissionTimer timer(coap::initial_timeout(settings_, random),
                                          settings_.max_retransmit, now);
    entries_.push_back(Entry{peer, message_id, std::move(bytes), purpose, timer});
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
        if (it->timer.deadline() > now) {
            ++it;
            continue;
        }
        if (it->timer.exhausted()) {
            due.given_up.push_back(it->purpose);
            it = entries_.erase(it);
            continue;
        }
        it->timer.retransmitted(now);
        due.resend.push_back(Resend{it->peer, it->bytes});
        ++it;
    }
    return due;
}

std::optional<TimePoint> RetransmitQueue::next_deadline() const {
    std::optional<TimePoint> earliest;
    for (const Entry& e : entries_) {
        if (!earliest || e.timer.deadline() < *earliest) {
            earliest = e.timer.deadline();
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

std::size_t RetransmitQueue::count(ConPurpose::Kind kind) const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(),
                      [kind](const Entry& entry) { return entry.purpose.kind == kind; }));
}

}  // namespace atcoap::server
