#pragma once
// The devices of one thread on one Asio event loop (docs/FLEET.md, "Running a fleet"): one
// steady_timer for all of them over a min-heap of their deadlines, one receive buffer for all
// their sockets, one Pacer for when each boots and begins its iterations, one FleetStats their
// observers fill. Everything here runs on the loop's thread except post_collect() and
// post_stop(), which other threads call.

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "fleet/engine/device.hpp"
#include "fleet/engine/pacer.hpp"
#include "fleet/stats.hpp"
#include "modem/observer.hpp"

namespace atcoap::fleet {

/// Makes the observer that counts a device's CoAP traffic into the loop's stats (the command
/// passes one making a fleet::StatsObserver); nullptr: none.
using ObserverFactory = std::function<std::unique_ptr<modem::Observer>(FleetStats&)>;

struct LoopOptions {
    std::vector<DeviceSetup> devices;
    PacerOptions pacing;  // boot_offsets: one per device
    ObserverFactory observer;
    /// After a failed iteration the modem restarts, as a device's watchdog would, so that the
    /// next iteration starts clean (no client left open, no half-sent data phase).
    bool reboot_after_failure = true;
    /// --reboot-every: every booted modem restarts this often (all at once: a reboot storm,
    /// and with DTLS a handshake storm); an iteration under way then mostly fails.
    std::optional<Duration> reboot_every;
    /// --rebind-every: this often the sockets of the devices whose setup says `rebinds` move
    /// to new local ports (NAT rebinding, docs/FLEET.md).
    std::optional<Duration> rebind_every;
};

/// What a loop counts beside FleetStats (docs/FLEET.md, "Behaviour over time").
struct LoopCounters {
    std::uint64_t iterations_cut = 0;  // in flight when the duration ended
    PacerCounters pacing;
    std::uint64_t modems_peak = 0;  // the most modems up at once
    std::uint64_t reboots = 0;      // --reboot-every's restarts, modems counted
    std::uint64_t rebinds = 0;      // --rebind-every's moves, sockets counted
};

class FleetLoop final : public DeviceHost {
  public:
    FleetLoop(const script::Script& script, LoopOptions options, Logger& log);
    ~FleetLoop() override;
    FleetLoop(const FleetLoop&) = delete;
    FleetLoop& operator=(const FleetLoop&) = delete;

    /// Boots the devices as paced and runs until every iteration ended (or the duration or a
    /// stop ended them) and every device stopped. Call once, on the loop's thread.
    void run();
    asio::io_context& context() { return context_; }

    /// Any thread: the loop moves the stats counted since the last collect to `deliver`, on
    /// its own thread; never, when the loop has ended (take_rest() has them then).
    void post_collect(std::function<void(FleetStats, LoopCounters)> deliver);
    /// Any thread: in-flight iterations are ended and every device stops.
    void post_stop();
    /// After run() returned: what no collect took.
    FleetStats take_rest();
    LoopCounters counters() const { return counters_; }

    // DeviceHost
    void deadline_changed(std::size_t slot) override;
    void iteration_ended(std::size_t slot, script::Verdict verdict, TimePoint now) override;

  private:
    struct Entry {
        TimePoint at;
        std::size_t slot;
        bool operator>(const Entry& other) const { return at > other.at; }
    };

    std::optional<TimePoint> deadline_of(std::size_t slot) const;
    void push(std::size_t slot, TimePoint at);
    void compact();
    void arm(TimePoint at);
    void on_timer();
    void run_due(TimePoint now);
    void pace(TimePoint now);
    void finish(TimePoint now, bool cut);
    void reboot_due(TimePoint now);
    void rebind_due(TimePoint now);

    const script::Script& script_;
    LoopOptions options_;
    Logger& log_;
    asio::io_context context_{1};
    asio::steady_timer timer_;
    std::optional<TimePoint> timer_at_;
    DeviceShared shared_;
    std::vector<std::unique_ptr<Device>> devices_;
    std::vector<std::unique_ptr<modem::Observer>> observers_;
    std::vector<std::optional<TimePoint>> armed_;      // per slot: its entry in heap_
    std::vector<std::optional<TimePoint>> begin_due_;  // per slot: an iteration to begin
    std::vector<Entry> heap_;                          // min-heap by at, stale entries skipped
    std::optional<Pacer> pacer_;
    std::optional<TimePoint> next_reboot_;
    std::optional<TimePoint> next_rebind_;
    FleetStats stats_;
    LoopCounters counters_;
    std::uint64_t up_ = 0;
    bool finished_ = false;
};

}  // namespace atcoap::fleet
