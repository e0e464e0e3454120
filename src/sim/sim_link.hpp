#pragma once
// A simulated link between two sans-IO endpoints, in virtual time, after picoquic's sim_link:
// each direction drops, duplicates, delays and reorders datagrams by its own settings, with
// every chance drawn from one seeded Random, so a seed replays a run exactly.
//
// A datagram sent at t arrives at t + delay; a reordered one later, at t + delay +
// reorder_delay, so datagrams sent after it overtake it. A duplicate arrives as a second copy
// right behind the first. Datagrams due at the same time arrive in the order they were sent.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.hpp"
#include "base/random.hpp"
#include "base/time.hpp"

namespace atcoap::sim {

enum class Direction : std::uint8_t { Forward, Backward };

struct LinkSettings {
    double loss = 0;       // chance that a datagram is dropped, 0 to 1
    double duplicate = 0;  // chance that a delivered datagram arrives twice
    double reorder = 0;    // chance that a delivered datagram is held back by reorder_delay
    Duration delay{0};     // one-way latency of every datagram
    Duration reorder_delay{100};
    /// Exact losses: datagram n of this direction (from 0) is dropped when loss_pattern[n] is
    /// true and delivered when it is false, drawing nothing; past its end `loss` decides.
    std::vector<bool> loss_pattern;
};

struct LinkStats {
    std::size_t sent = 0;
    std::size_t lost = 0;
    std::size_t duplicated = 0;
    std::size_t reordered = 0;
};

/// A datagram on its way. `flow` is the sender's tag (which socket, which peer), carried as is.
struct InFlight {
    Direction direction;
    std::uint64_t flow = 0;
    Bytes bytes;
    TimePoint sent;
    TimePoint arrival;
    std::uint64_t order = 0;  // ties at one arrival time keep the order of sending
};

class SimLink {
  public:
    SimLink(Random& random, LinkSettings forward, LinkSettings backward);

    /// Puts a datagram on the link; what arrives comes out of deliver().
    void send(Direction direction, std::uint64_t flow, Bytes bytes, TimePoint now);
    /// The earliest arrival, or nullopt when nothing is in flight.
    std::optional<TimePoint> next_arrival() const;
    /// Every datagram due by `now`, earliest first.
    std::vector<InFlight> deliver(TimePoint now);

    std::size_t in_flight() const { return queue_.size(); }
    const LinkStats& stats(Direction direction) const;

  private:
    struct Side {
        LinkSettings settings;
        LinkStats stats;
    };

    Side& side(Direction direction);
    bool chance(double probability);
    bool lost(Side& side);
    void enqueue(InFlight datagram);

    Random& random_;
    Side forward_;
    Side backward_;
    std::vector<InFlight> queue_;  // sorted by (arrival, order)
    std::uint64_t next_order_ = 0;
};

}  // namespace atcoap::sim
