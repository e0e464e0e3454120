#include "script/report_parts.hpp"

#include <algorithm>

namespace atcoap::script {

namespace {

/// As ParseError::text() names a place: "FILE:LINE:COLUMN", or "FILE" for a file as a whole
/// (one that cannot be read).
std::string where_of(const SourcePos& pos) {
    if (pos.line == 0) {
        return pos.file;
    }
    return pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

}  // namespace

bool passed_of(const ScriptOutcome& outcome) {
    return !outcome.error && outcome.result.target_error.empty() &&
           outcome.result.verdict == Verdict::Passed;
}

Problem problem_of(const ScriptOutcome& outcome) {
    Problem problem;
    if (outcome.error) {
        problem.where = where_of(outcome.error->pos);
        problem.message = outcome.error->message;
        return problem;
    }
    const RunResult& result = outcome.result;
    if (!result.target_error.empty()) {
        problem.message = result.target_error;
        return problem;
    }
    const auto failed = std::find_if(result.steps.rbegin(), result.steps.rend(),
                                     [](const StepReport& step) { return !step.ok; });
    if (failed == result.steps.rend()) {
        problem.message = result.verdict == Verdict::Running ? "the run ended before the script did"
                                                             : "failed without a failed step";
    } else {
        problem.where = where_of(failed->pos);
        problem.step = failed->text;
        problem.message = failed->detail;
    }
    if (result.verdict == Verdict::Failed) {
        problem.kind = Problem::Kind::Failure;
    }
    problem.context = result.failure_context;
    return problem;
}

}  // namespace atcoap::script
