#pragma once
// One direction's network impairment as a sans-IO stage (docs/ARCHITECTURE.md): datagrams go in
// with `now`, come out when due, and the stage hands out its next deadline. Randomness comes
// from the injected Random only, so a seed gives the same drops, copies, flips and delays.
//
// Per datagram, in this order (after tc's netem_enqueue, sch_netem.c): blackhole or loss drops
// it; duplicate makes a second copy; then each copy on its own: past `limit` held it is
// tail-dropped, corrupt flips one bit, reorder sends it at once, else it waits its delay
// (jitter drawn per copy) and, with a rate, its turn on the line. Exact times are kept in
// nanoseconds; the core's clock counts milliseconds, so a datagram is due at the first
// millisecond at or after its exact time.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
#include "netem/spec.hpp"

namespace atcoap::netem {

/// A datagram in the stage; `tag` is the owner's (a socket, a peer), carried unchanged.
struct Packet {
    Bytes bytes;
    std::uint64_t tag = 0;
};

/// What the stage did. received + duplicated = passed + every drop + held().
struct Counters {
    std::uint64_t received = 0;    // pushed
    std::uint64_t passed = 0;      // taken out when due (copies each count)
    std::uint64_t lost = 0;        // dropped by `loss` or `loss gemodel`
    std::uint64_t blackholed = 0;  // dropped by `blackhole`
    std::uint64_t overflowed = 0;  // tail-dropped past `limit`
    std::uint64_t discarded = 0;   // held when the owner discarded them (a socket closed)
    std::uint64_t duplicated = 0;  // second copies made
    std::uint64_t corrupted = 0;   // copies with one bit flipped
    std::uint64_t reordered = 0;   // copies sent at once, ahead of the delayed ones
    friend bool operator==(const Counters&, const Counters&) = default;
};

class Impairment {
  public:
    /// `name` starts the stage's log lines ("netem up client 2").
    Impairment(Spec spec, Random& random, Logger& log, std::string name);

    /// A new spec from now on; what is held keeps its times. A Gilbert-Elliott state restarts
    /// in Good.
    void set_spec(Spec spec);
    const Spec& spec() const { return spec_; }

    /// Takes a datagram at `now`; returns how many copies the stage holds for it (0 to 2).
    int push(Packet packet, TimePoint now);
    /// The copies due at `now`, in the order they leave.
    std::vector<Packet> take_due(TimePoint now);
    std::optional<TimePoint> next_deadline() const;

    /// Drops every held copy with `tag`; how many.
    std::size_t discard(std::uint64_t tag);
    std::size_t held() const { return queue_.size(); }
    const Counters& counters() const { return counters_; }

  private:
    // Ordered by exact due time, then reordered copies first (tc puts them at the head of its
    // queue), then arrival.
    using Key = std::tuple<std::int64_t, int, std::uint64_t>;

    bool chance(const std::optional<double>& probability);
    bool chance(double probability);
    bool lose();
    void hold(Packet packet, std::int64_t now_ns);
    void corrupt(Bytes& bytes);
    std::int64_t draw_delay();

    Spec spec_;
    Random& random_;
    Logger& log_;
    std::string name_;
    std::map<Key, Packet> queue_;
    std::uint64_t arrivals_ = 0;
    std::int64_t line_free_at_ = 0;  // with a rate: when the last queued copy is on the line
    unsigned since_reorder_ = 0;     // tc's counter of delayed copies since the last reorder
    bool bad_state_ = false;         // Gilbert-Elliott
    bool overflow_logged_ = false;
    Counters counters_;
};

}  // namespace atcoap::netem
