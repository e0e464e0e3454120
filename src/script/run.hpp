#pragma once
// One script against one target, start to end: the drivers around the sans-IO Runner
// (docs/SCRIPTS.md, "Running scripts"). Each returns when the script passed, failed or hit a
// script error at run time; none waits without a bound (every step has a time).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "script/runner.hpp"
#include "script/script.hpp"

namespace atcoap::script {

struct RunResult {
    Verdict verdict = Verdict::Passed;
    std::vector<StepReport> steps;
    std::vector<std::string> failure_context;  // Runner::failure_context()
    Duration script_time{};                    // virtual or real, from the start to the last step
    Duration wall_time{};                      // what the run took on the wall clock
    std::string target_error;  // set when the target itself failed (a port would not open)
};

/// Every driver adds the target's variables (docs/SCRIPTS.md) to `variables` where the
/// command line gave none of that name.
///
/// Called with each step's report as soon as it finished (console output while running).
using OnStep = std::function<void(const StepReport&)>;

/// The built-in target: modem core and test server core over the simulated link, virtual time.
struct BuiltinOptions {
    std::uint64_t seed = 1;
    std::string psk_identity = "864508030012428";
    std::string psk_key_hex = "313233343446473839";
};
RunResult run_builtin(const Script& script, Variables variables, const BuiltinOptions& options,
                      const OnStep& on_step);

/// The modem core in real time, its sockets real, against a CoAP server the script opens.
RunResult run_live(const Script& script, Variables variables, const OnStep& on_step);

/// Whatever answers on a serial device or a pseudo-terminal, in real time; no control steps.
struct PortTarget {
    std::string path;              // the device or the PTY's path
    std::optional<unsigned> baud;  // serial: the line speed; nullopt leaves it as it is
};
RunResult run_port(const Script& script, Variables variables, const PortTarget& port,
                   const OnStep& on_step);

}  // namespace atcoap::script
