#pragma once
// A small replayer of the steps `atcoap --record` writes (send, write, ctrl-z, esc, line-end,
// expect, expect-urc; docs/SCRIPTS.md), driving an atcoap child over its standard input and
// output in real time. A test oracle for the recorder, independent of `atcoap script`: it
// checks that a recording passes again against a fresh modem.

#include <map>
#include <string>

#include "e2e_support.hpp"

namespace atcoap::e2e {

/// Runs `script` against `modem` (a started modem, its banner unread or not); "" when every step
/// passed, else the step that failed and what came instead. `vars` are the variables the
/// target defines (HOST, PORT).
std::string replay_recording(const std::string& script, ChildProcess& modem,
                             std::map<std::string, std::string> vars);

}  // namespace atcoap::e2e
