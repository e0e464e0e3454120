#pragma once
// `atcoap ctl [--socket PATH] COMMAND [ARGS]`: the control socket's command-line client
// (docs/CONTROL.md). Exit 0 on success, 1 on an error reply or a failed connection (the reason
// on standard error), 2 on a usage error.

#include <string>
#include <vector>

namespace atcoap::cli {

struct CtlCommandLine {
    std::string socket;  // empty: default_control_path()
    std::vector<std::string> words;
    /// How long to wait for the greeting and the reply, in seconds.
    double timeout = 10;
};

int run_ctl(const CtlCommandLine& line);

}  // namespace atcoap::cli
