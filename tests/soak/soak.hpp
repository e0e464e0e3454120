#pragma once
// The soak (docs/TESTING.md "Soak"): the whole modem core against the test server over a
// simulated link (sim/simulation.hpp) for hours of virtual time, with six clients, 30% loss and
// 10% duplication and reordering both ways, and a seeded host that sends CON and NON requests,
// registers and cancels observations, closes and reopens clients, uploads, lists and deletes
// small files, pings the AT port, and has the network take the radio and the PDP context away
// and give them back (the modem's fault API, docs/DIALECT.md §8). Every byte the modem writes
// is checked as it comes against what the host caused (soak_model.hpp), and the heap is
// counted at fixed points of virtual time (support/allocation_counter.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "support/allocation_counter.hpp"

namespace atcoap::soak {

using test::heap_counts;
using test::HeapCounts;

struct SoakOptions {
    double hours = 1;  // of virtual time
    std::uint64_t seed = 1;
    bool verbose = false;  // a line per heap sample on stdout
    bool trace = false;    // every command and every output byte on stdout, with its time
};

struct HeapSample {
    double hour = 0;  // virtual time of the sample
    HeapCounts heap;
};

struct SoakTally {
    std::uint64_t actions = 0;
    std::uint64_t at_pings = 0;
    std::uint64_t cons = 0;
    std::uint64_t cons_acknowledged = 0;
    std::uint64_t cons_given_up = 0;
    std::uint64_t cons_forgotten = 0;  // their client was closed first
    std::uint64_t nons = 0;
    std::uint64_t retransmissions = 0;
    std::uint64_t recvs = 0;
    std::uint64_t notifications = 0;  // +QCOAPRECV with Observe
    std::uint64_t observations = 0;
    std::uint64_t cancels = 0;
    std::uint64_t opens = 0;
    std::uint64_t opens_refused = 0;  // -3: the data path was down
    std::uint64_t closes = 0;
    std::uint64_t radio_changes = 0;
    std::uint64_t pdp_drops = 0;
    std::uint64_t uploads = 0;
    std::uint64_t deletes = 0;
    std::uint64_t lists = 0;
    std::uint64_t datagrams = 0;  // put on the link, both ways
};

struct SoakResult {
    SoakTally tally;
    std::vector<HeapSample> samples;  // the first at the end of the warm-up
    std::string failure;              // empty: every invariant held
    double wall_seconds = 0;
};

/// The warm-up after which the heap must stay flat: one hour, or a third of a shorter run.
double warm_up_hours(double hours);

SoakResult run_soak(const SoakOptions& options);

}  // namespace atcoap::soak
