#pragma once
// The network-impairment options of `atcoap` (docs/FAULTS.md "Network impairments"):
// --netem SPEC (both directions), --netem-up SPEC, --netem-down SPEC, each repeatable and each
// optionally for one client ("client 2 loss 30%"), and --seed N.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "modem/modem.hpp"

namespace atcoap::cli {

struct NetemCommandLine {
    std::vector<std::string> both;
    std::vector<std::string> up;
    std::vector<std::string> down;
};

/// One impairment to set on the modem before it starts.
struct NetemSetting {
    modem::NetemDirection direction;
    std::optional<int> client;
    netem::Spec spec;
};

void add_netem_options(CLI::App& app, NetemCommandLine& line);

/// The settings in the order they apply: --netem first, then --netem-up and --netem-down, so
/// that a direction's own option wins over --netem for the same target, and a later option
/// over an earlier one. The error is one line: `--netem: "loss 120%": a percentage is 0 to 100`.
Result<std::vector<NetemSetting>, std::string> plan_netem(const NetemCommandLine& line);

/// The --seed given, or one drawn from the system and logged at info level so that the run can
/// be repeated.
std::uint64_t choose_seed(const std::optional<std::uint64_t>& given, Logger& log);

}  // namespace atcoap::cli
