// The reports (script/report.hpp): console lines, summaries, JUnit XML and TAP, with their
// counts, failure and error paths and escaping.

#include "script/report.hpp"

#include <gtest/gtest.h>

namespace atcoap::script {
namespace {

StepReport step(int line, std::string text, int ms, std::string detail = {}) {
    const bool ok = detail.empty();
    return StepReport{{"t.at", line, 1}, std::move(text), Duration{ms}, ok, std::move(detail)};
}

ScriptOutcome passed() {
    ScriptOutcome outcome{"ok.at", {}, std::nullopt};
    outcome.result.steps = {step(1, "send AT", 0), step(2, "expect OK", 250)};
    outcome.result.script_time = Duration{250};
    outcome.result.wall_time = Duration{3};
    return outcome;
}

ScriptOutcome failed() {
    ScriptOutcome outcome{"t.at", {}, std::nullopt};
    outcome.result.verdict = Verdict::Failed;
    outcome.result.steps = {
        step(1, "send AT+X", 0),
        step(2, "expect OK", 1500, "expected a line matching /OK/, got \"ERR<&>\\x1B\"")};
    outcome.result.failure_context = {"> AT+X", "< ERR<&>\\x1B"};
    outcome.result.script_time = Duration{247'512};
    return outcome;
}

ScriptOutcome script_error() {
    ScriptOutcome outcome{"e.at", {}, std::nullopt};
    outcome.result.verdict = Verdict::ScriptError;
    outcome.result.steps = {step(4, "send ${X}", 0, "script error: variable ${X} is not defined")};
    return outcome;
}

ScriptOutcome parse_error() {
    ScriptOutcome outcome{"p.at", {}, ParseError{{"p.at", 3, 7}, "expected a duration"}};
    outcome.result.verdict = Verdict::ScriptError;
    return outcome;
}

TEST(Report, AStepLineHasItsTimePlaceAndText) {
    EXPECT_EQ(step_line(step(12, "expect OK", 1500)), "     1.500s t.at:12 expect OK");
    EXPECT_EQ(step_line(step(3, "wait 2min", 3'600'000)), "  3600.000s t.at:3 wait 2min");
    EXPECT_EQ(step_line(step(2, "write \x1B", 7, "x")), "     0.007s t.at:2 write \\x1B FAILED");
}

TEST(Report, SummaryOfAPass) {
    EXPECT_EQ(summary(passed()), "PASS ok.at (2 steps, 0.250 s)");
}

TEST(Report, SummaryOfAFailureHasTheDetailAndTheTraffic) {
    EXPECT_EQ(summary(failed()),
              "FAIL t.at:2:1: expect OK\n"
              "    expected a line matching /OK/, got \"ERR<&>\\x1B\"\n"
              "    > AT+X\n"
              "    < ERR<&>\\x1B");
}

TEST(Report, SummaryOfErrors) {
    EXPECT_EQ(summary(script_error()),
              "ERROR t.at:4:1: send ${X}\n    script error: variable ${X} is not defined");
    EXPECT_EQ(summary(parse_error()), "p.at:3:7: expected a duration");
    const ScriptOutcome unreadable{"n.at", {}, ParseError{{"n.at", 0, 0}, "cannot read it"}};
    EXPECT_EQ(summary(unreadable), "n.at: cannot read it");
    ScriptOutcome target{"s.at", {}, std::nullopt};
    target.result.target_error = "cannot open /dev/ttyUSB9: No such file or directory";
    target.result.verdict = Verdict::ScriptError;
    EXPECT_EQ(summary(target),
              "ERROR s.at\n    cannot open /dev/ttyUSB9: No such file or directory");
}

TEST(Report, JunitHasOneTestcasePerScriptWithCountsAndEscaping) {
    const std::string xml =
        junit_xml({passed(), failed(), script_error(), parse_error()}, "atcoap \"scripts\"");
    EXPECT_EQ(xml,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<testsuites name=\"atcoap &quot;scripts&quot;\" tests=\"4\" failures=\"1\" "
              "errors=\"2\" time=\"247.762\">\n"
              "<testsuite name=\"atcoap &quot;scripts&quot;\" tests=\"4\" failures=\"1\" "
              "errors=\"2\" time=\"247.762\" skipped=\"0\">\n"
              "  <testcase name=\"ok.at\" classname=\"atcoap &quot;scripts&quot;\" "
              "file=\"ok.at\" time=\"0.250\">\n"
              "    <system-out>     0.000s t.at:1 send AT\n"
              "     0.250s t.at:2 expect OK\n"
              "</system-out>\n"
              "  </testcase>\n"
              "  <testcase name=\"t.at\" classname=\"atcoap &quot;scripts&quot;\" file=\"t.at\" "
              "time=\"247.512\">\n"
              "    <failure message=\"expected a line matching /OK/, got &quot;ERR&lt;&amp;&gt;"
              "\\x1B&quot;\" type=\"expectation\">t.at:2:1: expect OK\n"
              "expected a line matching /OK/, got \"ERR&lt;&amp;&gt;\\x1B\"\n"
              "&gt; AT+X\n"
              "&lt; ERR&lt;&amp;&gt;\\x1B</failure>\n"
              "    <system-out>     0.000s t.at:1 send AT+X\n"
              "     1.500s t.at:2 expect OK FAILED\n"
              "</system-out>\n"
              "  </testcase>\n"
              "  <testcase name=\"e.at\" classname=\"atcoap &quot;scripts&quot;\" file=\"e.at\" "
              "time=\"0.000\">\n"
              "    <error message=\"script error: variable ${X} is not defined\" "
              "type=\"script\">t.at:4:1: send ${X}\n"
              "script error: variable ${X} is not defined</error>\n"
              "    <system-out>     0.000s t.at:4 send ${X} FAILED\n"
              "</system-out>\n"
              "  </testcase>\n"
              "  <testcase name=\"p.at\" classname=\"atcoap &quot;scripts&quot;\" file=\"p.at\" "
              "time=\"0.000\">\n"
              "    <error message=\"expected a duration\" type=\"script\">p.at:3:7\n"
              "expected a duration</error>\n"
              "  </testcase>\n"
              "</testsuite>\n"
              "</testsuites>\n");
}

TEST(Report, JunitCarriesNoByteXmlCannotHold) {
    ScriptOutcome outcome{
        "b\xFF\xC3\xA9.at", {}, ParseError{{"x", 1, 1}, "a\x01\tb\r\n\xEF\xBF\xBE"}};
    const std::string xml = junit_xml({outcome}, "s");
    EXPECT_NE(xml.find("name=\"b\\xFF\xC3\xA9.at\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("message=\"a\\x01&#9;b&#13;&#10;\\xEF\\xBF\\xBE\""), std::string::npos)
        << xml;
    EXPECT_NE(xml.find(">x:1:1\na\\x01\tb&#13;\n\\xEF\\xBF\\xBE</error>"), std::string::npos)
        << xml;
    EXPECT_NE(junit_xml({}, "s").find("<testsuite name=\"s\" tests=\"0\" failures=\"0\" "
                                      "errors=\"0\" time=\"0.000\" skipped=\"0\">\n"
                                      "</testsuite>"),
              std::string::npos);
}

TEST(Report, TapHasAPlanAndAYamlBlockPerFailure) {
    EXPECT_EQ(tap({passed(), failed(), parse_error()}),
              "TAP version 13\n"
              "1..3\n"
              "ok 1 - ok.at\n"
              "not ok 2 - t.at\n"
              "  ---\n"
              "  message: \"expected a line matching /OK/, got \\\"ERR<&>\\\\x1B\\\"\"\n"
              "  severity: fail\n"
              "  at: \"t.at:2:1\"\n"
              "  step: \"expect OK\"\n"
              "  context:\n"
              "    - \"> AT+X\"\n"
              "    - \"< ERR<&>\\\\x1B\"\n"
              "  ...\n"
              "not ok 3 - p.at\n"
              "  ---\n"
              "  message: \"expected a duration\"\n"
              "  severity: error\n"
              "  at: \"p.at:3:7\"\n"
              "  ...\n");
    EXPECT_EQ(tap({}), "TAP version 13\n1..0\n");
}

TEST(Report, TapEscapesDescriptionsAndYaml) {
    ScriptOutcome outcome{"a #1\\b\n.at", {}, ParseError{{"x", 1, 1}, "q\"\x02\n\xFF\xC3\xA9"}};
    EXPECT_EQ(tap({outcome}),
              "TAP version 13\n1..1\n"
              "not ok 1 - a \\#1\\\\b\\x0A.at\n"
              "  ---\n"
              "  message: \"q\\\"\\x02\\n\\xFF\xC3\xA9\"\n"
              "  severity: error\n"
              "  at: \"x:1:1\"\n"
              "  ...\n");
}

}  // namespace
}  // namespace atcoap::script
