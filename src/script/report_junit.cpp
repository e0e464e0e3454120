// JUnit XML (script/report.hpp): the form Jenkins, GitLab and GitHub's test reporters read,
// one <testcase> per script.

#include <cstdio>

#include "script/display.hpp"
#include "script/report.hpp"
#include "script/report_parts.hpp"

namespace atcoap::script {
namespace {

/// XML 1.0 (§2.2, §2.4, §3.3.3): markup characters as entities; in an attribute also tab and
/// line ends, which its normalization would eat; a byte that is no XML character (a control
/// byte, or no well-formed UTF-8) as the text `\xHH`, since XML 1.0 cannot carry it at all.
std::string xml_escaped(std::string_view text, bool attribute) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const char c = text[at];
        const auto byte = static_cast<unsigned char>(c);
        const std::size_t length = utf8_length(text, at);
        if (c == '&') {
            out += "&amp;";
        } else if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '"' && attribute) {
            out += "&quot;";
        } else if (c == '\r' || (attribute && (c == '\n' || c == '\t'))) {
            out += "&#" + std::to_string(byte) + ";";
        } else if (c == '\n' || c == '\t') {
            out += c;
        } else if (length == 0 || byte < 0x20 || byte == 0x7F) {
            out += hex_escape(byte);
        } else {
            out.append(text.substr(at, length));
            at += length;
            continue;
        }
        at += 1;
    }
    return out;
}

std::string attr(std::string_view name, std::string_view value) {
    return " " + std::string(name) + "=\"" + xml_escaped(value, true) + "\"";
}

void testcase(const ScriptOutcome& outcome, std::string_view suite, std::string& out) {
    out += "  <testcase" + attr("name", outcome.file) + attr("classname", suite) +
           attr("file", outcome.file) + attr("time", seconds_text(outcome.result.script_time)) +
           ">\n";
    if (!passed_of(outcome)) {
        const Problem problem = problem_of(outcome);
        const bool failure = problem.kind == Problem::Kind::Failure;
        const char* element = failure ? "failure" : "error";
        const bool target = !outcome.error && !outcome.result.target_error.empty();
        const char* type = failure ? "expectation" : target ? "target" : "script";
        std::string body = problem.where.empty() ? outcome.file : problem.where;
        if (!problem.step.empty()) {
            body += ": " + problem.step;
        }
        body += "\n" + problem.message;
        for (const auto& line : problem.context) {
            body += "\n" + line;
        }
        out += "    <" + std::string(element) + attr("message", problem.message) +
               attr("type", type) + ">" + xml_escaped(body, false) + "</" + element + ">\n";
    }
    if (!outcome.result.steps.empty()) {
        std::string steps;
        for (const auto& step : outcome.result.steps) {
            steps += step_line(step) + "\n";
        }
        out += "    <system-out>" + xml_escaped(steps, false) + "</system-out>\n";
    }
    out += "  </testcase>\n";
}

}  // namespace

std::string junit_xml(const std::vector<ScriptOutcome>& outcomes, std::string_view suite) {
    std::size_t failures = 0;
    std::size_t errors = 0;
    Duration time{};
    for (const auto& outcome : outcomes) {
        time += outcome.result.script_time;
        if (!passed_of(outcome)) {
            ++(problem_of(outcome).kind == Problem::Kind::Failure ? failures : errors);
        }
    }
    const std::string counts = attr("tests", std::to_string(outcomes.size())) +
                               attr("failures", std::to_string(failures)) +
                               attr("errors", std::to_string(errors)) +
                               attr("time", seconds_text(time));
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites" + attr("name", suite) + counts + ">\n";
    out += "<testsuite" + attr("name", suite) + counts + attr("skipped", "0") + ">\n";
    for (const auto& outcome : outcomes) {
        testcase(outcome, suite, out);
    }
    out += "</testsuite>\n</testsuites>\n";
    return out;
}

}  // namespace atcoap::script
