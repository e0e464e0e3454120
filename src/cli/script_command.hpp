#pragma once
// `atcoap script [OPTIONS] FILE...` (docs/SCRIPTS.md, "Running scripts"): every file parsed
// first, then each run on a fresh target, one line per step or TAP on standard output, JUnit
// XML on request. Exit 0 when every script passed, 1 when an expectation failed (or a target
// could not be used), 2 when a script or the command line is wrong.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace atcoap::cli {

struct ScriptCommandLine {
    std::vector<std::string> files;
    std::string target = "builtin";  // or HOST:PORT
    std::string psk;                 // IDENTITY:HEXKEY
    std::string psk_file;
    std::string serial;
    std::optional<unsigned> baud;
    std::string pty;
    std::vector<std::string> variables;  // NAME=VALUE
    std::uint64_t seed = 1;
    std::string junit;  // a file for JUnit XML; empty: none
    bool tap = false;
};

/// Adds the subcommand `script` to `app`, filling `line`.
CLI::App* add_script_command(CLI::App& app, ScriptCommandLine& line);

int run_script_command(const ScriptCommandLine& line);

}  // namespace atcoap::cli
