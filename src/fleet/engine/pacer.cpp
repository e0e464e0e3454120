#include "fleet/engine/pacer.hpp"

#include <cmath>
#include <limits>

namespace atcoap::fleet {

Pacer::Pacer(PacerOptions options, TimePoint start)
    : options_(std::move(options)), start_(start), devices_(options_.boot_offsets.size()) {}

std::optional<TimePoint> Pacer::next_arrival() const {
    if (!open() || *options_.rate <= 0 || devices_.empty()) {
        return std::nullopt;
    }
    if (options_.iterations &&
        next_arrival_index_ >= *options_.iterations * static_cast<std::uint64_t>(devices_.size())) {
        return std::nullopt;
    }
    const double millis = static_cast<double>(next_arrival_index_) * 1000.0 / *options_.rate;
    if (millis > static_cast<double>(std::numeric_limits<std::int64_t>::max() / 2)) {
        return std::nullopt;
    }
    return start_ + Duration(static_cast<std::int64_t>(std::llround(millis)));
}

std::optional<TimePoint> Pacer::next_deadline() const {
    if (stopped_) {
        return std::nullopt;
    }
    std::optional<TimePoint> next;
    const auto consider = [&next](std::optional<TimePoint> at) {
        if (at && (!next || *at < *next)) {
            next = at;
        }
    };
    if (next_boot_ < devices_.size()) {
        consider(start_ + options_.boot_offsets[next_boot_]);
    }
    consider(next_arrival());
    if (options_.duration) {
        consider(start_ + *options_.duration);
    }
    return next;
}

void Pacer::on_time(TimePoint now, PacerActions& actions) {
    if (stopped_) {
        return;
    }
    if (options_.duration && now >= start_ + *options_.duration) {
        stopped_ = true;
        actions.stop = true;
        return;
    }
    while (next_boot_ < devices_.size() && start_ + options_.boot_offsets[next_boot_] <= now) {
        const std::size_t index = next_boot_++;
        Device& device = devices_[index];
        device.state = State::Idle;
        actions.boot.push_back(index);
        if (!open()) {
            begin(index, actions);
        } else if (device.backlog > 0) {
            --device.backlog;
            begin(index, actions);
        }
    }
    for (auto at = next_arrival(); at && *at <= now; at = next_arrival()) {
        const auto index = static_cast<std::size_t>(next_arrival_index_ % devices_.size());
        ++next_arrival_index_;
        arrive(index, actions);
    }
}

bool Pacer::may_begin(const Device& device) const {
    if (stopped_) {
        return false;
    }
    return open() || !options_.iterations || device.begun < *options_.iterations;
}

void Pacer::begin(std::size_t index, PacerActions& actions) {
    Device& device = devices_[index];
    if (!may_begin(device)) {
        device.state = State::Finished;
        return;
    }
    device.state = State::Busy;
    ++device.begun;
    ++busy_;
    actions.begin.push_back(index);
}

void Pacer::arrive(std::size_t index, PacerActions& actions) {
    ++counters_.arrivals;
    Device& device = devices_[index];
    if (device.state == State::Idle) {
        begin(index, actions);
        return;
    }
    if (device.backlog == options_.max_backlog) {
        ++counters_.dropped;
        return;
    }
    ++counters_.backlogged;
    ++device.backlog;
    counters_.deepest_backlog = std::max(counters_.deepest_backlog, device.backlog);
}

bool Pacer::on_iteration_end(std::size_t index, TimePoint now) {
    Device& device = devices_[index];
    if (device.state != State::Busy) {
        return false;
    }
    --busy_;
    device.state = State::Idle;
    if (options_.duration && now >= start_ + *options_.duration) {
        return false;  // on_time() stops everything at that time
    }
    if (open() && device.backlog == 0) {
        return false;
    }
    if (open()) {
        --device.backlog;
    }
    PacerActions ignored;
    begin(index, ignored);
    return device.state == State::Busy;
}

bool Pacer::done() const {
    if (stopped_) {
        return true;
    }
    if (busy_ > 0 || next_boot_ < devices_.size()) {
        return false;
    }
    if (!open()) {
        // Closed: every device has begun its last iteration (none without a count or duration).
        return options_.iterations.has_value();
    }
    if (next_arrival()) {
        return false;
    }
    for (const Device& device : devices_) {
        if (device.backlog > 0) {
            return false;
        }
    }
    return true;
}

std::vector<Duration> ramp_offsets(std::size_t n, Duration ramp_up) {
    std::vector<Duration> offsets(n);
    for (std::size_t k = 0; k < n; ++k) {
        // k * T / n without overflow for any n and T a fleet can have.
        const auto millis = static_cast<long double>(ramp_up.count()) * k / n;
        offsets[k] = Duration(static_cast<std::int64_t>(millis));
    }
    return offsets;
}

}  // namespace atcoap::fleet
