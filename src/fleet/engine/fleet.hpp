#pragma once
// A fleet in one process (docs/FLEET.md, "Running a fleet"): its devices split over T event
// loops on T threads (device k on loop k mod T), each loop with its own FleetStats; every
// interval this thread asks each loop for what it counted (the loop hands it over on its own
// thread, so no counter is shared) and passes them on.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "fleet/engine/loop.hpp"

namespace atcoap::fleet {

struct FleetOptions {
    std::vector<DeviceSetup> devices;  // this process's, in order
    unsigned threads = 1;
    Duration ramp_up{0};
    std::optional<std::uint64_t> iterations;  // per device
    std::optional<Duration> duration;
    std::optional<double> rate;  // iterations per second over this process's devices
    std::size_t max_backlog = kMaxBacklog;
    ObserverFactory observer;
    bool reboot_after_failure = true;
    std::optional<Duration> reboot_every;
    std::optional<Duration> rebind_every;  // the devices whose setup says `rebinds`
    Duration interval{1000};
};

/// What one interval (or, at the end, the rest of the run) brought.
struct FleetInterval {
    std::vector<FleetStats> stats;  // one per loop that answered (merge them)
    Duration elapsed{};             // since the start, at the interval's end
    Duration length{};
    bool final = false;
};

class Fleet {
  public:
    Fleet(const script::Script& script, FleetOptions options, Logger& log);
    ~Fleet();
    Fleet(const Fleet&) = delete;
    Fleet& operator=(const Fleet&) = delete;

    /// Runs the fleet to its end on the loops' threads; on this thread, calls `on_interval`
    /// every interval and once at the end (final). `stop_requested` is polled (a signal's flag):
    /// once true, in-flight iterations are ended and the devices stop.
    void run(const std::function<void(FleetInterval)>& on_interval,
             const std::function<bool()>& stop_requested);

    /// The loops' counters added up; after run().
    LoopCounters counters() const;

  private:
    struct Shared;

    std::vector<std::unique_ptr<FleetLoop>> loops_;
    std::unique_ptr<Shared> shared_;
    Duration interval_;
};

}  // namespace atcoap::fleet
