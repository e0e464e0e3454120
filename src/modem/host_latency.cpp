#include "modem/host_latency.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace atcoap::modem {

void HostLatency::set(Duration fixed, Duration jitter) {
    fixed_ = std::clamp(fixed, Duration{0}, kMaxDelay);
    jitter_ = std::clamp(jitter, Duration{0}, kMaxDelay);
}

Bytes HostLatency::pass(Bytes written, TimePoint now, Random& random) {
    if (!written.empty()) {
        if (!delaying() && held_.empty()) {
            return written;
        }
        TimePoint due = now;
        if (delaying()) {
            const auto draw = random.uniform(0, static_cast<std::uint32_t>(jitter_.count()));
            due = now + fixed_ + Duration{draw};
        }
        // In order: never before what was written earlier.
        due = std::max(due, last_due_);
        last_due_ = due;
        held_bytes_ += written.size();
        held_.push_back({due, std::move(written)});
    }
    const bool overflow = held_bytes_ > kMaxHeldBytes;
    if (overflow) {
        logger_.log(LogLevel::Warn,
                    fmt::format("latency: more than {} bytes held for the host: released at once",
                                kMaxHeldBytes));
    }
    Bytes due;
    while (!held_.empty() && (overflow || !delaying() || held_.front().due <= now)) {
        Chunk& front = held_.front();
        due.insert(due.end(), front.bytes.begin(), front.bytes.end());
        held_bytes_ -= front.bytes.size();
        held_.pop_front();
    }
    return due;
}

std::optional<TimePoint> HostLatency::next_deadline() const {
    if (held_.empty()) {
        return std::nullopt;
    }
    // Turned off with output still held: due at once.
    return delaying() ? held_.front().due : TimePoint{};
}

}  // namespace atcoap::modem
