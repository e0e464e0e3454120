// The console lines, the summary and TAP (script/report.hpp).

#include "script/report.hpp"

#include <cstdio>

#include "script/display.hpp"
#include "script/report_parts.hpp"

namespace atcoap::script {
namespace {

/// A YAML double-quoted scalar (YAML 1.2 §7.3.1): what is not printable UTF-8 escaped.
std::string yaml_quoted(std::string_view text) {
    std::string out = "\"";
    for (std::size_t at = 0; at < text.size();) {
        const auto byte = static_cast<unsigned char>(text[at]);
        const std::size_t length = utf8_length(text, at);
        if (byte == '\\' || byte == '"') {
            out += '\\';
            out += text[at];
        } else if (byte == '\n') {
            out += "\\n";
        } else if (byte == '\t') {
            out += "\\t";
        } else if (length == 0 || byte < 0x20 || byte == 0x7F) {
            out += "\\x" + hex_escape(byte).substr(2);
            at += 1;
            continue;
        } else {
            out.append(text.substr(at, length));
            at += length;
            continue;
        }
        at += 1;
    }
    return out + "\"";
}

/// A TAP description: one line, and no `#`, which would start a directive (TAP 13).
std::string tap_description(std::string_view file) {
    std::string out;
    for (std::size_t at = 0; at < file.size();) {
        const auto byte = static_cast<unsigned char>(file[at]);
        const std::size_t length = utf8_length(file, at);
        if (byte == '#' || byte == '\\') {
            out += '\\';
            out += file[at];
        } else if (length == 0 || byte < 0x20 || byte == 0x7F) {
            out += hex_escape(byte);
        } else {
            out.append(file.substr(at, length));
            at += length;
            continue;
        }
        at += 1;
    }
    return out;
}

void tap_block(const ScriptOutcome& outcome, std::string& out) {
    const Problem problem = problem_of(outcome);
    out += "  ---\n";
    out += "  message: " + yaml_quoted(problem.message) + "\n";
    out += std::string("  severity: ") +
           (problem.kind == Problem::Kind::Failure ? "fail" : "error") + "\n";
    if (!problem.where.empty()) {
        out += "  at: " + yaml_quoted(problem.where) + "\n";
    }
    if (!problem.step.empty()) {
        out += "  step: " + yaml_quoted(problem.step) + "\n";
    }
    if (!problem.context.empty()) {
        out += "  context:\n";
        for (const auto& line : problem.context) {
            out += "    - " + yaml_quoted(line) + "\n";
        }
    }
    out += "  ...\n";
}

}  // namespace

std::string step_line(const StepReport& step) {
    char time[40];
    std::snprintf(time, sizeof time, "%10ss", seconds_text(step.at).c_str());
    std::string line = std::string(time) + " " + visible(step.pos.file) + ":" +
                       std::to_string(step.pos.line) + " " + visible(step.text);
    if (!step.ok) {
        line += " FAILED";
    }
    return line;
}

std::string summary(const ScriptOutcome& outcome) {
    if (outcome.error) {
        return outcome.error->text();
    }
    const RunResult& result = outcome.result;
    if (result.verdict == Verdict::Passed && result.target_error.empty()) {
        return "PASS " + visible(outcome.file) + " (" + std::to_string(result.steps.size()) +
               " steps, " + seconds_text(result.script_time) + " s)";
    }
    const Problem problem = problem_of(outcome);
    std::string out = problem.kind == Problem::Kind::Failure ? "FAIL " : "ERROR ";
    out += problem.where.empty() ? visible(outcome.file) : problem.where;
    if (!problem.step.empty()) {
        out += ": " + visible(problem.step);
    }
    out += "\n    " + visible(problem.message);
    for (const auto& line : problem.context) {
        out += "\n    " + line;
    }
    return out;
}

std::string tap(const std::vector<ScriptOutcome>& outcomes) {
    std::string out = "TAP version 13\n1.." + std::to_string(outcomes.size()) + "\n";
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        const ScriptOutcome& outcome = outcomes[i];
        const bool passed = passed_of(outcome);
        out += std::string(passed ? "ok " : "not ok ") + std::to_string(i + 1) + " - " +
               tap_description(outcome.file) + "\n";
        if (!passed) {
            tap_block(outcome, out);
        }
    }
    return out;
}

}  // namespace atcoap::script
