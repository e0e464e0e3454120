#include "fleet/stats.hpp"

namespace atcoap::fleet {

void FleetStats::merge(const FleetStats& other) {
    modems_up += other.modems_up;
    iterations_started += other.iterations_started;
    iterations_passed += other.iterations_passed;
    iterations_failed += other.iterations_failed;
    requests += other.requests;
    retransmissions += other.retransmissions;
    give_ups += other.give_ups;
    handshakes += other.handshakes;
    handshake_failures += other.handshake_failures;
    for (const auto& [code, count] : other.responses) {
        responses[code] += count;
    }
    for (const auto& [code, count] : other.at_failures) {
        at_failures[code] += count;
    }
    latency.merge(other.latency);
    handshake.merge(other.handshake);
}

}  // namespace atcoap::fleet
