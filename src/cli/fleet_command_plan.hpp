#pragma once
// `atcoap fleet`'s command line checked and turned into a fleet (fleet_command_plan.cpp), before
// anything runs: every error here is a usage error (exit 2).

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "cli/fleet_command.hpp"
#include "fleet/engine/fleet.hpp"
#include "fleet/json_lines.hpp"
#include "fleet/shard.hpp"
#include "script/script.hpp"

namespace atcoap::cli {

struct FleetPlan {
    fleet::RunInfo run;
    script::Script script;
    fleet::FleetOptions options;  // devices: this shard's, variables and identities set
};

Result<FleetPlan, std::string> make_fleet_plan(const FleetCommandLine& line);

/// "200ms", "1.5s", "5m", "2h"; the reason when not.
Result<Duration, std::string> parse_fleet_duration(std::string_view text);
/// "1000/s" or "1000": iterations per second, above 0.
Result<double, std::string> parse_rate(std::string_view text);
/// "A.B.C.D" or "A.B.C.D-A.B.C.E" (IPv4, A <= E, at most kMaxSources addresses).
inline constexpr std::size_t kMaxSources = 65536;
Result<std::vector<asio::ip::address>, std::string> parse_sources(std::string_view text);

/// Raises the soft limit of open files to the hard one; fails, naming both, when `needed`
/// descriptors do not fit under it.
Status<std::string> reserve_descriptors(std::uint64_t needed);

}  // namespace atcoap::cli
