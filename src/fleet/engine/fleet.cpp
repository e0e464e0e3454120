#include "fleet/engine/fleet.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace atcoap::fleet {
namespace {

/// How long one collect waits for the loops' answers; a loop busier than this is counted in
/// the next interval (nothing is lost, one interval is a little short).
constexpr auto kCollectWait = std::chrono::milliseconds(200);
/// How often a wait looks at stop_requested.
constexpr auto kStopPoll = std::chrono::milliseconds(100);

std::vector<LoopOptions> split(FleetOptions& options) {
    const std::size_t n = options.devices.size();
    const std::size_t threads =
        std::clamp<std::size_t>(options.threads, 1, std::max<std::size_t>(n, 1));
    const std::vector<Duration> offsets = ramp_offsets(n, options.ramp_up);
    std::vector<LoopOptions> loops(threads);
    for (std::size_t k = 0; k < n; ++k) {
        LoopOptions& loop = loops[k % threads];
        loop.devices.push_back(std::move(options.devices[k]));
        loop.pacing.boot_offsets.push_back(offsets[k]);
    }
    for (LoopOptions& loop : loops) {
        loop.pacing.iterations = options.iterations;
        loop.pacing.duration = options.duration;
        loop.pacing.max_backlog = options.max_backlog;
        if (options.rate && n > 0) {
            // The rate is the process's: each loop takes its devices' share.
            loop.pacing.rate =
                *options.rate * static_cast<double>(loop.devices.size()) / static_cast<double>(n);
        }
        loop.observer = options.observer;
        loop.reboot_after_failure = options.reboot_after_failure;
        loop.reboot_every = options.reboot_every;
        loop.rebind_every = options.rebind_every;
    }
    return loops;
}

}  // namespace

struct Fleet::Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<FleetStats> mailbox;  // what the loops handed over since the last interval
    std::size_t answers = 0;
    std::size_t ended = 0;  // loops whose run() returned
    bool stop = false;
};

Fleet::Fleet(const script::Script& script, FleetOptions options, Logger& log)
    : shared_(std::make_unique<Shared>()), interval_(options.interval) {
    for (LoopOptions& loop : split(options)) {
        loops_.push_back(std::make_unique<FleetLoop>(script, std::move(loop), log));
    }
}

Fleet::~Fleet() = default;

void Fleet::run(const std::function<void(FleetInterval)>& on_interval,
                const std::function<bool()>& stop_requested) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (auto& loop : loops_) {
        threads.emplace_back([this, &loop] {
            loop->run();
            FleetStats rest = loop->take_rest();
            const std::lock_guard lock(shared_->mutex);
            shared_->mailbox.push_back(std::move(rest));
            ++shared_->ended;
            shared_->changed.notify_all();
        });
    }
    const auto since = [start](Clock::time_point at) {
        return std::chrono::duration_cast<Duration>(at - start);
    };
    auto last = start;
    bool stop_sent = false;
    std::unique_lock lock(shared_->mutex);
    while (shared_->ended < loops_.size()) {
        const auto next = last + interval_;
        while (shared_->ended < loops_.size() && Clock::now() < next) {
            shared_->changed.wait_until(lock, std::min(next, Clock::now() + kStopPoll));
            if (!stop_sent && stop_requested && stop_requested()) {
                stop_sent = true;
                for (auto& loop : loops_) {
                    loop->post_stop();
                }
            }
        }
        if (shared_->ended == loops_.size()) {
            break;
        }
        // Each loop hands its counts over on its own thread; a loop that ends meanwhile hands
        // them over as it ends.
        shared_->answers = 0;
        const std::size_t asked = loops_.size() - shared_->ended;
        for (auto& loop : loops_) {
            loop->post_collect([shared = shared_.get()](FleetStats stats, LoopCounters) {
                const std::lock_guard inner(shared->mutex);
                shared->mailbox.push_back(std::move(stats));
                ++shared->answers;
                shared->changed.notify_all();
            });
        }
        const auto bound = Clock::now() + kCollectWait;
        shared_->changed.wait_until(lock, bound, [this, asked] {
            return shared_->answers >= asked || shared_->ended == loops_.size();
        });
        const auto now = Clock::now();
        FleetInterval interval{std::exchange(shared_->mailbox, {}), since(now),
                               since(now) - since(last), false};
        last = now;
        lock.unlock();
        on_interval(std::move(interval));
        lock.lock();
    }
    lock.unlock();
    for (auto& thread : threads) {
        thread.join();
    }
    const auto now = Clock::now();
    FleetInterval final_interval{std::exchange(shared_->mailbox, {}), since(now),
                                 since(now) - since(last), true};
    on_interval(std::move(final_interval));
}

LoopCounters Fleet::counters() const {
    LoopCounters sum;
    for (const auto& loop : loops_) {
        const LoopCounters part = loop->counters();
        sum.iterations_cut += part.iterations_cut;
        sum.modems_peak += part.modems_peak;
        sum.reboots += part.reboots;
        sum.rebinds += part.rebinds;
        sum.pacing.arrivals += part.pacing.arrivals;
        sum.pacing.backlogged += part.pacing.backlogged;
        sum.pacing.dropped += part.pacing.dropped;
        sum.pacing.deepest_backlog =
            std::max(sum.pacing.deepest_backlog, part.pacing.deepest_backlog);
    }
    return sum;
}

}  // namespace atcoap::fleet
