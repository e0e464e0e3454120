#include "netem/impairment.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

namespace atcoap::netem {

namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;
constexpr double kTwoTo32 = 4294967296.0;
/// tc's normal table spans about four standard deviations each side; so does our draw.
constexpr double kNormalBound = 4.0;

std::int64_t nanos(TimePoint t) {
    return t.time_since_epoch().count() * kNanosPerMilli;
}

/// Serialization time of `size` bytes at `rate` bit/s, rounded up to the nanosecond.
std::int64_t line_time(std::size_t size, std::uint64_t rate) {
    const std::uint64_t bits_ns = std::uint64_t{size} * 8u * 1'000'000'000u;
    return static_cast<std::int64_t>((bits_ns + rate - 1) / rate);
}

}  // namespace

Impairment::Impairment(Spec spec, Random& random, Logger& log, std::string name)
    : spec_(std::move(spec)), random_(random), log_(log), name_(std::move(name)) {}

void Impairment::set_spec(Spec spec) {
    spec_ = std::move(spec);
    bad_state_ = false;
    since_reorder_ = 0;
}

bool Impairment::chance(double probability) {
    // One draw, compared against p * 2^32 as sch_netem.c does: 0 never, 1 always.
    return static_cast<double>(random_.next_u32()) < probability * kTwoTo32;
}

bool Impairment::chance(const std::optional<double>& probability) {
    return probability && chance(*probability);
}

// tc's loss_gilb_ell (sch_netem.c): first the state's transition is drawn, then the loss with
// the probability of the state the datagram found.
bool Impairment::lose() {
    if (!spec_.gemodel) {
        return chance(spec_.loss);
    }
    const GilbertElliott& model = *spec_.gemodel;
    if (!bad_state_) {
        bad_state_ = chance(model.p);
        return chance(model.good_loss);
    }
    bad_state_ = !chance(model.r);
    return chance(model.bad_loss);
}

int Impairment::push(Packet packet, TimePoint now) {
    ++counters_.received;
    if (spec_.blackhole) {
        ++counters_.blackholed;
        return 0;
    }
    if (lose()) {
        ++counters_.lost;
        return 0;
    }
    std::optional<Packet> copy;
    if (chance(spec_.duplicate)) {
        ++counters_.duplicated;
        copy = packet;
    }
    int held = 0;
    for (Packet* p : {&packet, copy ? &*copy : nullptr}) {
        if (p == nullptr) {
            continue;
        }
        if (queue_.size() >= spec_.limit) {
            ++counters_.overflowed;
            if (!std::exchange(overflow_logged_, true)) {
                log_.log(LogLevel::Warn, name_ + ": " + std::to_string(spec_.limit) +
                                             " datagrams held (limit); dropping the ones past "
                                             "it (tail drop), counted as overflowed");
            }
            continue;
        }
        if (chance(spec_.corrupt)) {
            corrupt(p->bytes);
        }
        hold(std::move(*p), nanos(now));
        ++held;
    }
    return held;
}

void Impairment::corrupt(Bytes& bytes) {
    if (bytes.empty()) {
        return;  // no bit to flip
    }
    const auto byte = random_.uniform(0, static_cast<std::uint32_t>(bytes.size() - 1));
    const auto bit = random_.uniform(0, 7);
    bytes[byte] ^= static_cast<std::uint8_t>(1u << bit);
    ++counters_.corrupted;
}

// tc's netem_enqueue: with `gap N`, the first N-1 copies after a reorder always wait; from the
// Nth on, each goes at once with the reorder probability.
void Impairment::hold(Packet packet, std::int64_t now_ns) {
    const std::uint64_t arrival = arrivals_++;
    if (spec_.reorder && since_reorder_ + 1 >= spec_.gap && chance(spec_.reorder)) {
        since_reorder_ = 0;
        ++counters_.reordered;
        queue_.emplace(Key{now_ns, 0, arrival}, std::move(packet));
        return;
    }
    std::int64_t due = now_ns + draw_delay();
    if (spec_.rate) {
        // tc: the copy waits for the last one queued to be on the line, then its own time.
        due = std::max(due, line_free_at_) + line_time(packet.bytes.size(), *spec_.rate);
        line_free_at_ = due;
    }
    ++since_reorder_;
    queue_.emplace(Key{due, 1, arrival}, std::move(packet));
}

std::int64_t Impairment::draw_delay() {
    const std::int64_t delay = spec_.delay.count();
    const std::int64_t jitter = spec_.jitter.count();
    if (jitter == 0) {
        return delay;
    }
    std::int64_t offset = 0;
    if (spec_.distribution == Distribution::Uniform) {
        // tc's tabledist without a table: uniform in [T-J, T+J).
        const double u = static_cast<double>(random_.next_u32()) / kTwoTo32;
        offset =
            static_cast<std::int64_t>(std::floor(u * 2.0 * static_cast<double>(jitter))) - jitter;
    } else {
        // Box-Muller; u1 in (0, 1] keeps the logarithm finite.
        const double u1 = (static_cast<double>(random_.next_u32()) + 1.0) / kTwoTo32;
        const double u2 = static_cast<double>(random_.next_u32()) / kTwoTo32;
        double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
        z = std::clamp(z, -kNormalBound, kNormalBound);
        offset = std::llround(z * static_cast<double>(jitter));
    }
    // A negative delay means at once, as in tc.
    return std::max<std::int64_t>(0, delay + offset);
}

std::vector<Packet> Impairment::take_due(TimePoint now) {
    std::vector<Packet> due;
    const std::int64_t now_ns = nanos(now);
    while (!queue_.empty() && std::get<0>(queue_.begin()->first) <= now_ns) {
        due.push_back(std::move(queue_.begin()->second));
        queue_.erase(queue_.begin());
        ++counters_.passed;
    }
    return due;
}

std::optional<TimePoint> Impairment::next_deadline() const {
    if (queue_.empty()) {
        return std::nullopt;
    }
    const std::int64_t due = std::get<0>(queue_.begin()->first);
    return at_ms((due + kNanosPerMilli - 1) / kNanosPerMilli);
}

std::size_t Impairment::discard(std::uint64_t tag) {
    const std::size_t count =
        std::erase_if(queue_, [&](const auto& entry) { return entry.second.tag == tag; });
    counters_.discarded += count;
    return count;
}

}  // namespace atcoap::netem
