#pragma once
// What the report writers (report.cpp, report_junit.cpp) say about a script that did not pass.

#include <string>
#include <vector>

#include "script/report.hpp"

namespace atcoap::script {

struct Problem {
    enum class Kind { Failure, Error };  // a failed expectation; a script or target error
    Kind kind = Kind::Error;
    std::string where;                 // "FILE:LINE:COLUMN", or empty when no step is to blame
    std::string step;                  // the step as written, or empty
    std::string message;               // what was expected and what came instead, or the error
    std::vector<std::string> context;  // the traffic before it ("> " host, "< " port)
};

bool passed_of(const ScriptOutcome& outcome);
/// For an outcome that did not pass.
Problem problem_of(const ScriptOutcome& outcome);

}  // namespace atcoap::script
