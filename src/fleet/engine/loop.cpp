#include "fleet/engine/loop.hpp"

#include <algorithm>
#include <asio/post.hpp>

#include "io/clock.hpp"

namespace atcoap::fleet {
namespace {

/// Due entries one timer turn runs at most; the rest wait one turn, behind the sockets.
constexpr std::size_t kMaxDuePerTurn = 4096;

}  // namespace

FleetLoop::FleetLoop(const script::Script& script, LoopOptions options, Logger& log)
    : script_(script),
      options_(std::move(options)),
      log_(log),
      timer_(context_),
      shared_{context_, script_, log_, *this, io::UdpNetwork::make_buffer()} {
    const std::size_t n = options_.devices.size();
    devices_.reserve(n);
    observers_.reserve(n);
    armed_.resize(n);
    begin_due_.resize(n);
    for (std::size_t slot = 0; slot < n; ++slot) {
        devices_.push_back(
            std::make_unique<Device>(shared_, slot, std::move(options_.devices[slot])));
        if (options_.observer) {
            auto observer = options_.observer(stats_);
            if (observer && devices_.back()->modem().add_observer(observer.get())) {
                observers_.push_back(std::move(observer));
            }
        }
    }
    options_.devices.clear();
}

FleetLoop::~FleetLoop() {
    // Devices first: their sockets' handlers die with the context, their observers after them.
    devices_.clear();
}

void FleetLoop::run() {
    const TimePoint start = io::monotonic_now();
    options_.pacing.boot_offsets.resize(devices_.size());
    pacer_.emplace(options_.pacing, start);
    if (options_.reboot_every && *options_.reboot_every > Duration::zero()) {
        next_reboot_ = start + *options_.reboot_every;
        arm(*next_reboot_);
    }
    if (options_.rebind_every && *options_.rebind_every > Duration::zero()) {
        next_rebind_ = start + *options_.rebind_every;
        arm(*next_rebind_);
    }
    pace(start);
    if (!finished_) {
        context_.run();
    }
    if (!finished_) {
        finish(io::monotonic_now(), true);  // the loop ran out of work: nothing can progress
    }
}

void FleetLoop::post_collect(std::function<void(FleetStats, LoopCounters)> deliver) {
    asio::post(context_, [this, deliver = std::move(deliver)] {
        FleetStats taken = std::exchange(stats_, {});
        taken.modems_up = up_;
        counters_.pacing = pacer_ ? pacer_->counters() : PacerCounters{};
        deliver(std::move(taken), counters_);
    });
}

void FleetLoop::post_stop() {
    asio::post(context_, [this] { finish(io::monotonic_now(), true); });
}

FleetStats FleetLoop::take_rest() {
    FleetStats taken = std::exchange(stats_, {});
    taken.modems_up = up_;
    counters_.pacing = pacer_ ? pacer_->counters() : PacerCounters{};
    return taken;
}

std::optional<TimePoint> FleetLoop::deadline_of(std::size_t slot) const {
    std::optional<TimePoint> next = devices_[slot]->next_deadline();
    if (const auto& due = begin_due_[slot]; due && (!next || *due < *next)) {
        next = due;
    }
    return next;
}

// A deadline later than the armed one needs no entry: when the armed one pops early, the slot
// is armed again for the deadline of that moment (as io::Shell arms its timer).
void FleetLoop::deadline_changed(std::size_t slot) {
    if (finished_) {
        return;
    }
    const auto next = deadline_of(slot);
    if (!next || (armed_[slot] && *armed_[slot] <= *next)) {
        return;
    }
    push(slot, *next);
}

void FleetLoop::push(std::size_t slot, TimePoint at) {
    armed_[slot] = at;
    heap_.push_back({at, slot});
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
    if (heap_.size() > 4 * devices_.size() + 64) {
        compact();
    }
    arm(at);
}

// Stale entries (a slot armed again earlier) are dropped: the heap holds one per slot again.
void FleetLoop::compact() {
    heap_.clear();
    for (std::size_t slot = 0; slot < armed_.size(); ++slot) {
        if (armed_[slot]) {
            heap_.push_back({*armed_[slot], slot});
        }
    }
    std::make_heap(heap_.begin(), heap_.end(), std::greater<>{});
}

void FleetLoop::arm(TimePoint at) {
    if (timer_at_ && *timer_at_ <= at) {
        return;
    }
    timer_at_ = at;
    timer_.expires_at(io::to_steady(at));
    timer_.async_wait([this](std::error_code error) {
        if (!error) {
            on_timer();
        }
    });
}

void FleetLoop::on_timer() {
    timer_at_.reset();
    if (finished_) {
        return;
    }
    const TimePoint now = io::monotonic_now();
    pace(now);
    reboot_due(now);
    rebind_due(now);
    if (!finished_) {
        run_due(now);
    }
    if (finished_) {
        return;
    }
    if (!heap_.empty()) {
        arm(heap_.front().at);
    }
    if (const auto at = pacer_->next_deadline()) {
        arm(*at);
    }
    if (next_reboot_) {
        arm(*next_reboot_);
    }
    if (next_rebind_) {
        arm(*next_rebind_);
    }
}

void FleetLoop::rebind_due(TimePoint now) {
    if (finished_ || !next_rebind_ || *next_rebind_ > now) {
        return;
    }
    while (*next_rebind_ <= now) {
        *next_rebind_ += *options_.rebind_every;
    }
    for (auto& device : devices_) {
        if (device->booted() && device->setup().rebinds) {
            counters_.rebinds += device->rebind();
        }
    }
}

void FleetLoop::reboot_due(TimePoint now) {
    if (finished_ || !next_reboot_ || *next_reboot_ > now) {
        return;
    }
    while (*next_reboot_ <= now) {
        *next_reboot_ += *options_.reboot_every;
    }
    for (auto& device : devices_) {
        if (device->booted()) {
            device->reboot(now);
            ++counters_.reboots;
        }
    }
}

void FleetLoop::run_due(TimePoint now) {
    for (std::size_t ran = 0; !heap_.empty() && heap_.front().at <= now && ran < kMaxDuePerTurn;
         ++ran) {
        std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
        const Entry entry = heap_.back();
        heap_.pop_back();
        if (armed_[entry.slot] != entry.at) {
            continue;  // stale: the slot was armed again
        }
        armed_[entry.slot].reset();
        Device& device = *devices_[entry.slot];
        if (const auto due = begin_due_[entry.slot]; due && *due <= now) {
            begin_due_[entry.slot].reset();
            ++stats_.iterations_started;
            device.begin(now);
        } else {
            device.on_timer(now);
        }
        if (finished_) {
            return;
        }
        deadline_changed(entry.slot);
    }
}

void FleetLoop::pace(TimePoint now) {
    PacerActions actions;
    pacer_->on_time(now, actions);
    for (const std::size_t slot : actions.boot) {
        devices_[slot]->boot(now);
        ++up_;
        counters_.modems_peak = std::max(counters_.modems_peak, up_);
    }
    for (const std::size_t slot : actions.begin) {
        begin_due_[slot] = now;
        deadline_changed(slot);
    }
    if (actions.stop || pacer_->done()) {
        finish(now, true);
        return;
    }
    if (const auto at = pacer_->next_deadline()) {
        arm(*at);
    }
}

void FleetLoop::iteration_ended(std::size_t slot, script::Verdict verdict, TimePoint now) {
    if (verdict == script::Verdict::Passed) {
        ++stats_.iterations_passed;
    } else {
        ++stats_.iterations_failed;
        if (options_.reboot_after_failure) {
            devices_[slot]->reboot(now);
        }
    }
    if (pacer_->on_iteration_end(slot, now)) {
        begin_due_[slot] = now;  // on the loop's next turn, not inside this device's call
    }
    if (pacer_->done()) {
        // Not from inside the device's call: the loop's next turn stops everything.
        asio::post(context_, [this] { finish(io::monotonic_now(), false); });
    }
}

// Ends the run: iterations under way are cut (the duration or a stop), every device says its
// goodbyes and closes its sockets, and the loop stops.
void FleetLoop::finish(TimePoint now, bool cut) {
    if (finished_) {
        return;
    }
    finished_ = true;
    for (std::size_t slot = 0; slot < devices_.size(); ++slot) {
        if (cut && devices_[slot]->in_iteration()) {
            ++counters_.iterations_cut;
            devices_[slot]->cut(now);
        }
        begin_due_[slot].reset();
    }
    for (auto& device : devices_) {
        device->stop(now);
        if (up_ > 0) {
            --up_;
        }
    }
    timer_.cancel();
    context_.stop();
}

}  // namespace atcoap::fleet
