#pragma once
// `atcoap fleet merge FILE... [--report FILE.html]` (docs/FLEET.md, "JSON lines"): the JSON lines
// of the shards of one fleet, merged exactly into the summary one process running the whole
// fleet would print. The command itself is registered with `atcoap fleet`.

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace atcoap::cli {

/// At most this many files, each at most fleet::kMaxTextBytes.
inline constexpr std::size_t kMaxMergeFiles = 10'000;

/// Prints the merged summary table to `out`, errors (one line each) to `err`; writes the HTML
/// report when `report_path` is set. Returns 0, 1 when an iteration failed, 2 on bad input (a
/// file that cannot be read or is not our JSON lines, a shard missing or given twice, shards
/// of different fleets) or when the report cannot be written.
int run_fleet_merge(const std::vector<std::string>& files,
                    const std::optional<std::string>& report_path, std::ostream& out,
                    std::ostream& err);

}  // namespace atcoap::cli
