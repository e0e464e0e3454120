#include "sim/sim_link.hpp"

#include <algorithm>
#include <utility>

namespace atcoap::sim {

SimLink::SimLink(Random& random, LinkSettings forward, LinkSettings backward)
    : random_(random), forward_{std::move(forward), {}}, backward_{std::move(backward), {}} {}

SimLink::Side& SimLink::side(Direction direction) {
    return direction == Direction::Forward ? forward_ : backward_;
}

const LinkStats& SimLink::stats(Direction direction) const {
    return direction == Direction::Forward ? forward_.stats : backward_.stats;
}

bool SimLink::chance(double probability) {
    if (probability <= 0) {
        return false;  // no draw: a lossless direction does not move the random sequence
    }
    // A 32-bit draw against the probability scaled to 2^32: exact enough for any rate a test
    // asks for, and the same on every platform.
    return static_cast<double>(random_.next_u32()) < probability * 4294967296.0;
}

bool SimLink::lost(Side& side) {
    const std::size_t n = side.stats.sent;
    if (n < side.settings.loss_pattern.size()) {
        return side.settings.loss_pattern[n];
    }
    return chance(side.settings.loss);
}

void SimLink::send(Direction direction, std::uint64_t flow, Bytes bytes, TimePoint now) {
    Side& s = side(direction);
    const bool drop = lost(s);
    ++s.stats.sent;
    if (drop) {
        ++s.stats.lost;
        return;
    }
    TimePoint arrival = now + s.settings.delay;
    if (chance(s.settings.reorder)) {
        ++s.stats.reordered;
        arrival += s.settings.reorder_delay;
    }
    const bool twice = chance(s.settings.duplicate);
    if (twice) {
        ++s.stats.duplicated;
        enqueue(InFlight{direction, flow, bytes, now, arrival, next_order_++});
    }
    enqueue(InFlight{direction, flow, std::move(bytes), now, arrival, next_order_++});
}

void SimLink::enqueue(InFlight datagram) {
    const auto later = [](const InFlight& a, const InFlight& b) {
        return a.arrival != b.arrival ? a.arrival < b.arrival : a.order < b.order;
    };
    const auto at = std::upper_bound(queue_.begin(), queue_.end(), datagram, later);
    queue_.insert(at, std::move(datagram));
}

std::optional<TimePoint> SimLink::next_arrival() const {
    if (queue_.empty()) {
        return std::nullopt;
    }
    return queue_.front().arrival;
}

std::vector<InFlight> SimLink::deliver(TimePoint now) {
    const auto due = std::find_if(queue_.begin(), queue_.end(),
                                  [now](const InFlight& d) { return d.arrival > now; });
    std::vector<InFlight> out(std::make_move_iterator(queue_.begin()),
                              std::make_move_iterator(due));
    queue_.erase(queue_.begin(), due);
    return out;
}

}  // namespace atcoap::sim
