// The script runner (script/runner.hpp, docs/SCRIPTS.md "Steps"): the steps that take no time,
// waits, templates and variables, and determinism, in virtual time.

#include "script/runner.hpp"

#include <gtest/gtest.h>

#include "runner_harness.hpp"

namespace atcoap::script {
namespace {

using namespace testing;
using Lines = std::vector<std::string>;

TEST(Runner, AnEmptyScriptPassesAtItsStart) {
    Drive drive{Builder{}};
    EXPECT_EQ(drive.runner.verdict(), Verdict::Running);
    drive.start();
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
    EXPECT_FALSE(drive.runner.next_deadline());
    EXPECT_TRUE(drive.reports.empty());
}

TEST(Runner, StepsThatTakeNoTimeChainAtOnce) {
    Drive drive{Builder{}
                    .send("AT")
                    .write("Hello")
                    .key(0x1A)
                    .key(0x1B)
                    .set("X", "1")
                    .timeout(s(2))
                    .line_end(LineEnd::Cr)
                    .send("AT+X=${X}")};
    drive.start(1000);
    EXPECT_EQ(drive.take_sent(),
              "AT\r\nHello\x1A\x1B"
              "AT+X=1\r");
    EXPECT_EQ(drive.lines(), (Lines{"1@0", "2@0", "3@0", "4@0", "5@0", "6@0", "7@0", "8@0"}));
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
    EXPECT_EQ(drive.reports[0].pos.file, "t.at");
    EXPECT_EQ(drive.reports[0].text, "send AT");
}

TEST(Runner, LineEndGoesBackToCrLf) {
    Drive drive{Builder{}.line_end(LineEnd::Cr).send("A").line_end(LineEnd::CrLf).send("B")};
    drive.start();
    EXPECT_EQ(drive.take_sent(), "A\rB\r\n");
}

TEST(Runner, AWaitHoldsForItsTimeAndNoLonger) {
    Drive drive{Builder{}.wait(s(30)).send("AT")};
    drive.start(500);
    EXPECT_EQ(drive.runner.next_deadline(), at_ms(30'500));
    drive.tick(30'499);  // early: nothing happens
    EXPECT_TRUE(drive.reports.empty());
    EXPECT_EQ(drive.take_sent(), "");
    drive.out("\r\nRDY\r\n", 1000);  // output does not end a wait
    EXPECT_TRUE(drive.reports.empty());
    drive.tick(30'500);
    EXPECT_EQ(drive.lines(), (Lines{"1@30000", "2@30000"}));
    EXPECT_EQ(drive.take_sent(), "AT\r\n");
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
}

TEST(Runner, AWaitOfNothingTakesNoTime) {
    Drive drive{Builder{}.wait(ms(0)).send("AT")};
    drive.start();
    EXPECT_EQ(drive.lines(), (Lines{"1@0", "2@0"}));
}

TEST(Runner, VariablesComeFromTheScriptThenTheValuesThenTheFallback) {
    Variables variables;
    variables.values = {{"PORT", "5683"}, {"HOST", "127.0.0.1"}};
    variables.fallback = [](std::string_view name) -> std::optional<std::string> {
        if (name == "IMEI" || name == "HOST") {
            return "env-" + std::string(name);
        }
        return std::nullopt;
    };
    EXPECT_EQ(variables.find("HOST"), "127.0.0.1");
    EXPECT_EQ(variables.find("IMEI"), "env-IMEI");
    EXPECT_EQ(variables.find("NONE"), std::nullopt);
    EXPECT_EQ(Variables{}.find("HOST"), std::nullopt);

    Drive drive{Builder{}.send("${HOST}:${PORT} ${IMEI}").set("PORT", "x${PORT}").send("${PORT}"),
                variables};
    drive.start();
    EXPECT_EQ(drive.take_sent(), "127.0.0.1:5683 env-IMEI\r\nx5683\r\n");
}

TEST(Runner, AnUndefinedVariableIsAScriptErrorAtItsStep) {
    Drive drive{Builder{}.send("AT").write("${NOPE}").send("AT")};
    drive.start(100);
    EXPECT_EQ(drive.runner.verdict(), Verdict::ScriptError);
    EXPECT_EQ(drive.lines(),
              (Lines{"1@0", "2@0 FAILED: script error: variable ${NOPE} is not defined"}));
    EXPECT_EQ(drive.last().text, "write ${NOPE}");
    EXPECT_EQ(drive.take_sent(), "AT\r\n");
    EXPECT_EQ(drive.runner.failure_context(), (Lines{"> AT"}));
    EXPECT_FALSE(drive.runner.next_deadline());
}

TEST(Runner, AnUndefinedVariableInSetOrAPatternIsAScriptErrorToo) {
    Drive set{Builder{}.set("A", "${B}")};
    set.start();
    EXPECT_EQ(set.runner.verdict(), Verdict::ScriptError);
    Drive expect{Builder{}.expect("OK ${B}")};
    expect.start();
    EXPECT_EQ(expect.runner.verdict(), Verdict::ScriptError);
    EXPECT_EQ(expect.lines(), (Lines{"1@0 FAILED: script error: variable ${B} is not defined"}));
}

TEST(Runner, TheContextShowsBothDirectionsEscapedAndBounded) {
    Builder builder;
    for (int i = 0; i < 20; ++i) {
        builder.send("AT+N=" + std::to_string(i));
    }
    builder.write("a\x1A\\b").expect("OK");
    Drive drive{builder};
    drive.start().out("\r\n\x1B[31mERROR\r\n", 5);
    EXPECT_EQ(drive.runner.verdict(), Verdict::Failed);
    const auto& context = drive.runner.failure_context();
    ASSERT_EQ(context.size(), kContextLines);
    EXPECT_EQ(context.front(), "> AT+N=10");
    EXPECT_EQ(context[kContextLines - 2], "> a\\x1A\\\\b");
    EXPECT_EQ(context.back(), "< \\x1B[31mERROR");
    EXPECT_EQ(drive.last().detail, "expected a line matching /OK/, got \"\\x1B[31mERROR\"");
}

TEST(Runner, TwoRunsGiveTheSameReportsAndBytes) {
    auto run = [] {
        Drive drive{Builder{}
                        .send("AT+QCOAPSEND=0,1,2,1,5")
                        .expect(">")
                        .write("Hello")
                        .expect("OK")
                        .urc(R"(\+QCOAPRECV: 0,(?P<MID>\d+),.*)", s(30))
                        .wait(s(247))
                        .send("AT+MID=${MID}")
                        .expect("OK", s(1))};
        drive.start()
            .out("AT+QCOAPSEND=0,1,2,1,5\r\r\n> ", 3)
            .out("Hello\r\nOK\r\n", 7)
            .out("\r\n+QCOAPRECV: 0,4711,4.04,0\r\n", 1200)
            .run_out();
        return std::make_pair(drive.lines(), drive.take_sent());
    };
    const auto first = run();
    EXPECT_EQ(first.first, (Lines{"1@0", "2@3", "3@3", "4@7", "5@1200", "6@248200", "7@248200",
                                  "8@249200 FAILED: no line came within 1s (expected one "
                                  "matching /OK/)"}));
    EXPECT_EQ(first.second, "AT+QCOAPSEND=0,1,2,1,5\r\nHelloAT+MID=4711\r\n");
    EXPECT_EQ(run(), first);
}

}  // namespace
}  // namespace atcoap::script
