#pragma once
// What `atcoap script` prints and writes about its scripts (docs/SCRIPTS.md, "Running
// scripts"): a console line per step, a summary per script, JUnit XML and TAP for CI systems.
// Pure: text in, text out.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "script/parser.hpp"
#include "script/run.hpp"

namespace atcoap::script {

/// One script's end: its run, or the error that kept it from running.
struct ScriptOutcome {
    std::string file;
    RunResult result;
    std::optional<ParseError> error;
};

/// "    12.345s t.at:3 expect OK", then " FAILED" when the step failed.
std::string step_line(const StepReport& step);

/// "PASS t.at (12 steps, 0.250 s)", the time the script's own (virtual time on the builtin
/// target, so that two runs print the same bytes); or "FAIL t.at:3:1: expect OK"
/// (ERROR for a script error at run time), then the detail and the traffic before it, indented;
/// a parse error's text(); "ERROR t.at: " and why the target failed.
std::string summary(const ScriptOutcome& outcome);

/// JUnit XML: a <testsuite> named `suite` with one <testcase> per script, a <failure> for a
/// failed expectation, an <error> for a script or target error, the step lines as
/// <system-out>; times in seconds of script time.
std::string junit_xml(const std::vector<ScriptOutcome>& outcomes, std::string_view suite);

/// TAP version 13: "1..N", then "ok N - FILE" or "not ok N - FILE" with a YAML block.
std::string tap(const std::vector<ScriptOutcome>& outcomes);

}  // namespace atcoap::script
