#pragma once
// When each device of one loop boots and starts its iterations (docs/FLEET.md, "Behaviour over
// time"). Pure: time is handed in, so the pacing is tested in virtual time.
//
// Closed model (no rate): device k boots at its ramp-up offset and runs its iterations back to
// back. Open model (a rate): iterations arrive at the rate, round-robin over the devices, whether
// or not the previous ones ended; an arrival for a device that is busy (or not booted yet) waits
// in that device's backlog, at most max_backlog deep; past it the arrival is dropped and counted.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/time.hpp"

namespace atcoap::fleet {

/// Arrivals a busy device keeps waiting (open model); more are dropped and counted.
inline constexpr std::size_t kMaxBacklog = 16;

struct PacerOptions {
    // Braces: short designated initializations stay free of missing-initializer warnings.
    std::vector<Duration> boot_offsets{};       // one per device, ascending: when each boots
    std::optional<std::uint64_t> iterations{};  // per device; nullopt: until the duration ends
    std::optional<Duration> duration{};         // from the start; nullopt: until iterations end
    std::optional<double> rate{};               // iterations per second over these devices
    std::size_t max_backlog{kMaxBacklog};
};

/// What the engine does now.
struct PacerActions {
    std::vector<std::size_t> boot;   // devices to boot (before their first iteration)
    std::vector<std::size_t> begin;  // devices to begin an iteration
    bool stop = false;               // the duration is over: end everything
};

struct PacerCounters {
    std::uint64_t arrivals = 0;       // open model: iterations that arrived
    std::uint64_t backlogged = 0;     // of them, those that waited for a busy device
    std::uint64_t dropped = 0;        // of them, those dropped for a full backlog
    std::size_t deepest_backlog = 0;  // the most any device had waiting
};

class Pacer {
  public:
    Pacer(PacerOptions options, TimePoint start);

    std::optional<TimePoint> next_deadline() const;
    /// Time has come to `now` (at or after next_deadline(), or any time).
    void on_time(TimePoint now, PacerActions& actions);
    /// `device` ended an iteration at `now`: true when it begins the next one at once.
    bool on_iteration_end(std::size_t device, TimePoint now);
    /// Nothing will begin any more and no device is in an iteration.
    bool done() const;
    bool stopped() const { return stopped_; }
    const PacerCounters& counters() const { return counters_; }

  private:
    enum class State : std::uint8_t { NotBooted, Idle, Busy, Finished };
    struct Device {
        State state = State::NotBooted;
        std::uint64_t begun = 0;
        std::size_t backlog = 0;
    };

    bool open() const { return options_.rate.has_value(); }
    bool may_begin(const Device& device) const;
    void begin(std::size_t index, PacerActions& actions);
    void arrive(std::size_t index, PacerActions& actions);
    std::optional<TimePoint> next_arrival() const;

    PacerOptions options_;
    TimePoint start_;
    std::vector<Device> devices_;
    std::size_t next_boot_ = 0;
    std::uint64_t next_arrival_index_ = 0;
    std::size_t busy_ = 0;
    bool stopped_ = false;
    PacerCounters counters_;
};

/// The ramp-up: device k of n boots at k * ramp_up / n.
std::vector<Duration> ramp_offsets(std::size_t n, Duration ramp_up);

}  // namespace atcoap::fleet
