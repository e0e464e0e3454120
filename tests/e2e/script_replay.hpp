#pragma once
// A recording run again (docs/SCRIPTS.md): the script parsed by the script parser and run by the
// script runner against an atcoap child over its standard input and output, in real time. The
// e2e tests of `atcoap --record` use it until `atcoap script` drives the same runner.

#include <map>
#include <string>

#include "e2e_support.hpp"

namespace atcoap::e2e {

/// Parses the script at `path` and runs it against `modem` (started, its banner read); "" when
/// it passed, else the parse error or the failed step with its detail. `vars` are what the
/// target defines (HOST, PORT).
std::string run_recording(const std::string& path, ChildProcess& modem,
                          const std::map<std::string, std::string>& vars);

}  // namespace atcoap::e2e
