#pragma once
// What a fleet prints (docs/FLEET.md, "What it reports"): the status line a terminal shows each
// second, and the final summary table.

#include <string>
#include <utility>
#include <vector>

#include "base/time.hpp"
#include "fleet/stats.hpp"

namespace atcoap::fleet {

/// One line, no newline: modems up, iterations/s, requests/s, p50/p99 latency, failures by
/// result code, retransmissions; `interval` holds the counts of the last `length`.
std::string status_line(const FleetStats& total, const FleetStats& interval, Duration length);

/// The final table, lines ending in '\n'.
std::string summary_table(const FleetStats& total, Duration elapsed);
/// The same rows as (label, value), for the HTML report.
std::vector<std::pair<std::string, std::string>> summary_rows(const FleetStats& total,
                                                              Duration elapsed);

}  // namespace atcoap::fleet
