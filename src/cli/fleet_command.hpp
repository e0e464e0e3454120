#pragma once
// `atcoap fleet` (docs/FLEET.md, "Running a fleet"): N modems, each driven by its own runs of
// one AT script, against a CoAP server, on one or more event loops; a status line each second on
// a terminal, the summary at the end, JSON lines and an HTML report on request. Exit 0 when no
// iteration failed, 1 when one did, 2 when the command line, the script or a limit is wrong.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace atcoap::cli {

struct FleetCommandLine {
    std::uint64_t modems = 0;
    std::string script;
    std::string target;  // HOST:PORT
    bool dtls = false;
    std::string duration;  // "60s", "5m"; empty: none
    std::optional<std::uint64_t> iterations;
    std::string rate;     // "R/s" or "R"; empty: closed model
    std::string ramp_up;  // a duration; empty: all at once
    std::uint64_t seed = 1;
    unsigned threads = 1;
    std::string shard;  // "I/N"; empty: the whole fleet
    std::string psk_identity = "dev-${DEVICE}";
    std::string psk_secret;
    std::string psk_csv;
    std::vector<std::string> variables;  // NAME=VALUE
    std::string source;                  // A.B.C.D or A.B.C.D-A.B.C.E
    std::vector<std::string> netem;      // tc netem specs, both directions (docs/FAULTS.md)
    double netem_fraction = 1;           // of the devices, the first ones, that get --netem
    std::string reboot_every;            // a duration; empty: never
    std::string rebind_every;            // a duration; empty: never
    double rebind_fraction = 1;          // of the devices, the first ones, --rebind-every moves
    std::string json;
    std::string report;
    std::string interval = "1s";
    // `atcoap fleet merge FILE... [--report FILE.html]` (cli/fleet_merge.hpp).
    std::vector<std::string> merge_files;
    std::optional<std::string> merge_report;
    CLI::App* merge = nullptr;  // parsed(): the merge was asked for
    // `atcoap fleet keys`: the server's -i file of the fleet's identities and keys.
    CLI::App* keys = nullptr;
};

/// Adds the subcommand `fleet` (with its own `merge` and `keys`) to `app`, filling `line`.
CLI::App* add_fleet_command(CLI::App& app, FleetCommandLine& line);

int run_fleet_command(const FleetCommandLine& line);

}  // namespace atcoap::cli
