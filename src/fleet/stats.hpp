#pragma once
// What a fleet counts (docs/FLEET.md, "What it reports"): one FleetStats per modem thread,
// merged into the fleet's each interval and at the end; merging is exact (sums and histogram
// buckets), so shards merged by `atcoap fleet merge` equal one process running them all.

#include <cstdint>
#include <map>
#include <string>

#include "fleet/histogram.hpp"

namespace atcoap::fleet {

struct FleetStats {
    std::uint64_t modems_up = 0;  // a gauge: modems started and not stopped (sums across shards)
    std::uint64_t iterations_started = 0;
    std::uint64_t iterations_passed = 0;
    std::uint64_t iterations_failed = 0;  // the script failed or hit a script error
    std::uint64_t requests = 0;           // CoAP requests sent, first transmissions only
    std::uint64_t retransmissions = 0;    // CON retransmissions
    std::uint64_t give_ups = 0;           // CONs that ran out of retransmissions
    std::uint64_t handshakes = 0;         // DTLS handshakes completed
    std::uint64_t handshake_failures = 0;
    std::map<std::string, std::uint64_t> responses;  // by CoAP code, "2.05"
    std::map<int, std::uint64_t> at_failures;        // by the URC's result code (-2, -3, -9 ...)
    LatencyHistogram latency;    // request sent to its response (or ACK) received
    LatencyHistogram handshake;  // AT+QCOAPOPEN to its DTLS handshake's end

    void merge(const FleetStats& other);
    bool operator==(const FleetStats&) const = default;
};

}  // namespace atcoap::fleet
