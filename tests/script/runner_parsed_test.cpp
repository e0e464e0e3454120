// The runner on scripts the parser read (script/parser.hpp): the format's escapes, hex and
// captures reach the port as docs/SCRIPTS.md says, and a failure reads as the reports print it.

#include <gtest/gtest.h>

#include <memory>
#include <utility>

#include "memory_loader.hpp"
#include "runner_harness.hpp"
#include "script/report.hpp"
#include "script/runner.hpp"

namespace atcoap::script {
namespace {

using namespace testing;
using Lines = std::vector<std::string>;

Variables given_values() {
    Variables variables;
    variables.values = {{"HOST", "127.0.0.1"}, {"PORT", "5683"}};
    return variables;
}

/// A parsed script and a runner on it, which reads the script where it is.
struct Parsed {
    explicit Parsed(Script parsed) : script(std::move(parsed)) {}
    Script script;
    Runner runner{script, given_values(), nullptr};
};

std::unique_ptr<Parsed> parsed(const std::string& text) {
    auto script = parse_text(text, given({"HOST", "PORT"}));
    if (!script) {
        ADD_FAILURE() << script.error().text();
        return std::make_unique<Parsed>(Script{});
    }
    return std::make_unique<Parsed>(std::move(*script));
}

std::string sent(Runner& runner) {
    return std::string(as_text(runner.take_input()));
}

TEST(RunnerParsed, TheNotesExampleRunsWithEchoOn) {
    const auto run = parsed(R"(# The note's example 5.1
send AT+QCOAPOPEN=0,"${HOST}",${PORT}
expect OK
expect-urc within 30s \+QCOAPOPEN: 0,0
send AT+QCOAPSEND=0,1,2,1,20
expect >
write "Hello, CoAP Message!"
expect OK
expect-urc within 30s \+QCOAPRECV: 0,(?P<MID>\d+),4\.04,6,D204D52E814B,0,9
expect Not Found
send AT+QCOAPHEADER=0,${MID}
)");
    Runner& runner = run->runner;
    runner.start(at_ms(0));
    EXPECT_EQ(sent(runner), "AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n");
    runner.on_output(as_bytes("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\r\nOK\r\n"), at_ms(1));
    runner.on_output(as_bytes("\r\n+QCOAPOPEN: 0,0\r\n"), at_ms(40));
    EXPECT_EQ(sent(runner), "AT+QCOAPSEND=0,1,2,1,20\r\n");
    runner.on_output(as_bytes("AT+QCOAPSEND=0,1,2,1,20\r\r\n> "), at_ms(41));
    EXPECT_EQ(sent(runner), "Hello, CoAP Message!");
    runner.on_output(as_bytes("Hello, CoAP Message!\r\nOK\r\n"), at_ms(42));
    runner.on_output(as_bytes("\r\n+QCOAPRECV: 0,3127,4.04,6,D204D52E814B,0,9\r\nNot Found\r\n"),
                     at_ms(82));
    EXPECT_EQ(sent(runner), "AT+QCOAPHEADER=0,3127\r\n");
    EXPECT_EQ(runner.verdict(), Verdict::Passed);
    const auto reports = runner.take_reports();
    ASSERT_EQ(reports.size(), 10u);
    EXPECT_EQ(step_line(reports[7]),
              "     0.082s t.at:9 expect-urc within 30s \\+QCOAPRECV: "
              "0,(?P<MID>\\d+),4\\.04,6,D204D52E814B,0,9");
}

TEST(RunnerParsed, ALiteralPatternMatchesTheWholeLineOnly) {
    for (const std::string line : {"OK", "OKAY", "NOK", "ok", "OK "}) {
        const auto run = parsed("expect OK\n");
        run->runner.start(at_ms(0));
        run->runner.on_output(as_bytes(line + "\r\n"), at_ms(1));
        EXPECT_EQ(run->runner.verdict(), line == "OK" ? Verdict::Passed : Verdict::Failed) << line;
    }
}

TEST(RunnerParsed, EscapesHexKeysAndLineEndsReachThePort) {
    const auto run = parsed(
        "line-end cr\n"
        "send \"a\\\"b\\x01\\$x\"\n"
        "send $${HOST}\n"
        "line-end crlf\n"
        "send \"\"\n"
        "write hex 41 42 0d\n"
        "write \"\\e\\z\"\n"
        "ctrl-z\n"
        "esc\n");
    Runner& runner = run->runner;
    runner.start(at_ms(0));
    EXPECT_EQ(runner.verdict(), Verdict::Passed) << runner.take_reports().back().detail;
    EXPECT_EQ(sent(runner), "a\"b\x01$x\r${HOST}\r\r\nAB\r\x1B\x1A\x1A\x1B");
}

TEST(RunnerParsed, AFailureReadsAsTheSummaryPrintsIt) {
    const auto run = parsed(
        "timeout 2s\nsend AT+CSQ\nexpect \\+CSQ: (?P<RSSI>\\d+),99\n"
        "expect-none within 1s \\+CSQ: ${RSSI},.*\nexpect OK\n");
    Runner& runner = run->runner;
    runner.start(at_ms(0));
    runner.on_output(as_bytes("AT+CSQ\r\r\n+CSQ: 31,99\r\n"), at_ms(5));
    runner.on_output(as_bytes("\r\n+CSQ: 31,0\r\n"), at_ms(300));
    ASSERT_EQ(runner.verdict(), Verdict::Failed);
    ScriptOutcome outcome{"t.at", {}, std::nullopt};
    outcome.result.verdict = runner.verdict();
    outcome.result.steps = runner.take_reports();
    outcome.result.failure_context = runner.failure_context();
    EXPECT_EQ(summary(outcome),
              "FAIL t.at:4:1: expect-none within 1s \\+CSQ: ${RSSI},.*\n"
              "    expected no line matching /\\+CSQ: 31,.*/ within 1s, got "
              "\"+CSQ: 31,0\"\n"
              "    > AT+CSQ\n"
              "    < AT+CSQ\n"
              "    < +CSQ: 31,99\n"
              "    < +CSQ: 31,0");
}

}  // namespace
}  // namespace atcoap::script
