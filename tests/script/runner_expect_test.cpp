// The runner's expectations (docs/SCRIPTS.md "Steps"): expect, expect-urc and expect-none,
// their pass and fail paths with exact details and times, captures, quoted values, echo.

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "runner_harness.hpp"
#include "script/runner.hpp"

namespace atcoap::script {
namespace {

using namespace testing;
using Lines = std::vector<std::string>;

TEST(RunnerExpect, PassesWhenTheNextLineMatchesAtTheTimeItCame) {
    Drive drive{Builder{}.send("AT").expect("OK").send("ATI")};
    drive.start(1000).out("\r\nO", 1100);
    EXPECT_EQ(drive.lines(), (Lines{"1@0"}));
    EXPECT_EQ(drive.runner.next_deadline(), at_ms(6000));
    drive.out("K\r\n", 1120);
    EXPECT_EQ(drive.lines(), (Lines{"1@0", "2@120", "3@120"}));
    EXPECT_EQ(drive.take_sent(), "AT\r\nATI\r\n");
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
}

TEST(RunnerExpect, TakesALineThatCameBeforeItStarted) {
    Drive drive{Builder{}.wait(s(1)).expect("RDY")};
    drive.out("RDY\r\n", 0).start(0).tick(1000);
    EXPECT_EQ(drive.lines(), (Lines{"1@1000", "2@1000"}));
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
}

TEST(RunnerExpect, TheWholeLineMustMatch) {
    Drive drive{Builder{}.expect("OK")};
    drive.start().out("OKAY\r\n", 20);
    EXPECT_EQ(drive.lines(), (Lines{"1@20 FAILED: expected a line matching /OK/, got \"OKAY\""}));
}

TEST(RunnerExpect, AWrongLineFailsAtOnceAndNothingAfterItRuns) {
    Drive drive{Builder{}.send("AT+X").expect("OK").send("AT")};
    drive.start().out("\r\nERROR\r\n\r\nOK\r\n", 40);
    EXPECT_EQ(drive.runner.verdict(), Verdict::Failed);
    EXPECT_EQ(drive.lines(),
              (Lines{"1@0", "2@40 FAILED: expected a line matching /OK/, got \"ERROR\""}));
    EXPECT_EQ(drive.last().text, "expect OK");
    EXPECT_EQ(drive.last().pos.line, 2);
    EXPECT_EQ(drive.take_sent(), "AT+X\r\n");
    EXPECT_EQ(drive.runner.failure_context(), (Lines{"> AT+X", "< ERROR", "< OK"}));
    EXPECT_FALSE(drive.runner.next_deadline());
    drive.out("more\r\n", 50).tick(10'000);  // after the verdict: nothing changes
    EXPECT_EQ(drive.reports.size(), 2u);
    EXPECT_EQ(drive.runner.failure_context().size(), 3u);
}

TEST(RunnerExpect, NoLineFailsAtTheDeadlineOfTheScriptsTimeout) {
    Drive drive{Builder{}.expect("OK")};
    drive.start(100).tick(5099);
    EXPECT_TRUE(drive.reports.empty());
    drive.tick(5100);
    EXPECT_EQ(drive.lines(),
              (Lines{"1@5000 FAILED: no line came within 5s (expected one matching /OK/)"}));
}

TEST(RunnerExpect, WithinAndTimeoutSetTheDeadline) {
    Drive drive{Builder{}.timeout(ms(1500)).expect("A").expect("B", ms(250)).expect("C")};
    drive.start().out("A\r\n", 1500);  // at the deadline itself still in time
    EXPECT_EQ(drive.runner.next_deadline(), at_ms(1750));
    drive.out("B\r\n", 1600);
    EXPECT_EQ(drive.runner.next_deadline(), at_ms(3100));
    drive.out("C\r\nna", 3101);  // after it: the step ran out first
    EXPECT_EQ(drive.lines(), (Lines{"1@0", "2@1500", "3@1600",
                                    "4@3100 FAILED: no line came within 1.5s (expected one "
                                    "matching /C/)"}));
}

TEST(RunnerExpect, ATimeoutShowsAnUnfinishedLine) {
    Drive drive{Builder{}.expect("OK", s(2))};
    drive.start().out("\r\n+CME ERR\x01", 10).run_out();
    EXPECT_EQ(drive.lines(), (Lines{"1@2000 FAILED: no line came within 2s (expected one "
                                    "matching /OK/); an unfinished line: \"+CME ERR\\x01\""}));
}

TEST(RunnerExpect, ThePromptIsTheLineGreaterThan) {
    Drive drive{Builder{}.send("AT+QCOAPSEND=0,1,2,1,5").expect(">").write("Hello").expect("OK")};
    drive.start().out("\r\n> ", 2);
    EXPECT_EQ(drive.lines(), (Lines{"1@0", "2@2", "3@2"}));
    drive.out("\r\nOK\r\n", 9);
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
}

TEST(RunnerExpect, TheEchoOfWhatWasSentIsSkipped) {
    // docs/DIALECT.md §1: `AT\r\n` gives `AT\r`, then `\r\nOK\r\n`; the payload is echoed
    // after the prompt, the Ctrl+Z is not.
    Drive drive{Builder{}
                    .send("AT+QCOAPSEND=0,1,2,1")
                    .expect(">")
                    .write("Hi")
                    .key(0x1A)
                    .expect("OK")
                    .send("AT")
                    .expect("AT")};
    drive.start().out("AT+QCOAPSEND=0,1,2,1\r", 1).out("\r\n> ", 2).out("Hi", 3);
    drive.out("\r\nOK\r\n", 4).out("AT\r\r\nERROR\r\n", 5);
    EXPECT_EQ(drive.lines(), (Lines{"1@0", "2@2", "3@2", "4@2", "5@4", "6@4",
                                    "7@5 FAILED: expected a line matching /AT/, got \"ERROR\""}));
    EXPECT_EQ(drive.runner.failure_context(),
              (Lines{"> AT+QCOAPSEND=0,1,2,1", "< AT+QCOAPSEND=0,1,2,1", "< >", "> Hi", "> \\x1A",
                     "< Hi", "< OK", "> AT", "< AT", "< ERROR"}));
}

TEST(RunnerExpect, APayloadEchoedOnThePromptLineLeavesThePrompt) {
    // A payload written before the prompt came (docs/DIALECT.md §1 keeps it) is echoed after it.
    Drive drive{Builder{}.send("AT+QCOAPSEND=0,1,2,1,2").write("Hi").expect(">").expect("OK")};
    drive.start().out("AT+QCOAPSEND=0,1,2,1,2\r\r\n> Hi\r\nOK\r\n", 4);
    EXPECT_EQ(drive.lines(), (Lines{"1@0", "2@0", "3@4", "4@4"}));
}

TEST(RunnerExpect, AnEchoOverTheLengthBoundIsSkippedPieceByPiece) {
    const std::string payload(kMaxLineLength + 3, 'p');
    Drive drive{Builder{}.write(payload).expect("OK")};
    drive.start().out(payload + "\r\nOK\r\n", 1);
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
    Drive failing{Builder{}.write(payload).expect("OK")};
    failing.start().out("ERROR\r\n", 1);
    const auto& context = failing.runner.failure_context();
    ASSERT_EQ(context.size(), 2u);
    EXPECT_EQ(context[0], "> " + std::string(kMaxLineLength, 'p') + "...");
}

TEST(RunnerExpect, AUrcBeforeTheEchoLeavesItSkipped) {
    Drive drive{Builder{}.send("AT+CSQ").expect(R"(\+CSQ: 31,99)").urc(R"(\+CEREG: 1)")};
    drive.start().out("\r\n+CEREG: 1\r\nAT+CSQ\r\r\n+CSQ: 31,99\r\n\r\nOK\r\n", 1);
    EXPECT_EQ(drive.runner.verdict(), Verdict::Failed);
    EXPECT_EQ(drive.lines(), (Lines{"1@0",
                                    "2@1 FAILED: expected a line matching /\\+CSQ: "
                                    "31,99/, got \"+CEREG: 1\""}));
    Drive urc_first{Builder{}.send("AT+CSQ").urc(R"(\+CEREG: 1)").expect(R"(\+CSQ: 31,99)")};
    urc_first.start().out("\r\n+CEREG: 1\r\nAT+CSQ\r\r\n+CSQ: 31,99\r\n\r\nOK\r\n", 1);
    EXPECT_EQ(urc_first.lines(), (Lines{"1@0", "2@1", "3@1"}));
}

TEST(RunnerExpect, WithoutEchoALaterLikeLineIsOutput) {
    // Echo off (ATE0): the answer read clears the echo the runner looked for.
    Drive drive{Builder{}.send("AT+QFREAD").expect("OK").expect(R"(AT\+QFREAD)")};
    drive.start().out("OK\r\nAT+QFREAD\r\n", 1);
    EXPECT_EQ(drive.lines(), (Lines{"1@0", "2@1", "3@1"}));
}

TEST(RunnerExpect, APayloadLikeTheAnswerIsNotTakenForItsEchoWithEchoOff) {
    // ATE0: `write OK` must not make the module's OK vanish as the payload's echo.
    Drive drive{Builder{}.send("AT+QCOAPSEND=0,1,2,0,2").expect(">").write("OK").expect("OK")};
    drive.start().out("\r\n> ", 1).out("\r\nOK\r\n", 2);
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
    EXPECT_EQ(drive.lines(), (Lines{"1@0", "2@1", "3@1", "4@2"}));
}

TEST(RunnerExpect, TheEchoLookedForIsBounded) {
    std::string payload;
    std::string echo;
    for (int i = 0; i < 70; ++i) {
        payload += "L" + std::to_string(i) + "\\n";
        echo += "L" + std::to_string(i) + "\r\n";
    }
    Builder builder;
    builder.add("write", Write{Template{{{false, echo}}}});
    for (int i = 0; i < 6; ++i) {
        builder.expect("L" + std::to_string(i));  // past the bound of 64: not taken as echo
    }
    builder.expect("OK");
    Drive drive{builder};
    drive.start().out(echo + "OK\r\n", 1);
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
    EXPECT_EQ(drive.reports.size(), 8u);
}

TEST(RunnerExpect, AUrcMayComeAmongOtherLinesWhichStayUnreadInOrder) {
    Drive drive{Builder{}
                    .urc(R"(\+QCOAPRECV: 0,(?P<MID>\d+))", s(30))
                    .expect("A")
                    .expect("B")
                    .expect(R"(\+QIND: ${MID})")};
    drive.start().out("A\r\n", 10);
    EXPECT_EQ(drive.lines(), Lines{});
    drive.out("B\r\n+QCOAPRECV: 0,42\r\n+QIND: 42\r\n", 20);
    EXPECT_EQ(drive.lines(), (Lines{"1@20", "2@20", "3@20", "4@20"}));
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
}

TEST(RunnerExpect, AUrcAlreadyUnreadIsTaken) {
    Drive drive{Builder{}.wait(s(1)).urc("URC").expect("OK")};
    drive.start().out("URC\r\nOK\r\n", 5).tick(1000);
    EXPECT_EQ(drive.lines(), (Lines{"1@1000", "2@1000", "3@1000"}));
}

TEST(RunnerExpect, AUrcThatNeverComesFailsAtItsTime) {
    Drive drive{Builder{}.urc(R"(\+QCOAPOPEN: 0,0)", s(30))};
    drive.start().out("OK\r\n", 5).out("+QCOAPOPEN: 0,-1\r\n", 6).tick(29'999);
    EXPECT_TRUE(drive.reports.empty());
    drive.tick(30'000);
    EXPECT_EQ(drive.lines(),
              (Lines{"1@30000 FAILED: no line matching /\\+QCOAPOPEN: 0,0/ came within 30s"}));
}

TEST(RunnerExpect, ExpectNonePassesAtItsTimeAndConsumesNothing) {
    Drive drive{Builder{}.none(s(2), R"(\+QCOAPURC:.*)").expect("A").expect("B")};
    drive.start().out("A\r\n", 100).out("B\r\n", 1999);
    EXPECT_TRUE(drive.reports.empty());
    drive.tick(2000);
    EXPECT_EQ(drive.lines(), (Lines{"1@2000", "2@2000", "3@2000"}));
}

TEST(RunnerExpect, ExpectNoneFailsAtTheFirstMatchingLine) {
    Drive drive{Builder{}.none(s(2), "RDY")};
    drive.start().out("X\r\nRDY\r\n", 700);
    EXPECT_EQ(drive.lines(),
              (Lines{"1@700 FAILED: expected no line matching /RDY/ within 2s, got \"RDY\""}));
}

TEST(RunnerExpect, ExpectNoneSeesLinesAlreadyUnread) {
    Drive drive{Builder{}.wait(ms(10)).none(s(2), "RDY")};
    drive.start().out("RDY\r\n", 5).tick(10);
    EXPECT_EQ(drive.lines(), (Lines{"1@10",
                                    "2@10 FAILED: expected no line matching /RDY/ within "
                                    "2s, got \"RDY\""}));
}

TEST(RunnerExpect, CapturesFeedLaterStepsAndValuesAreQuoted) {
    Variables variables;
    variables.values["DOT"] = "a.b(";
    Drive drive{Builder{}
                    .expect(R"(TOKEN (?P<TOKEN>\S+) (?P<N>\d+)?x)")
                    .send("AT+T=${TOKEN},${N}.")
                    .expect("${TOKEN}")
                    .expect("${DOT}")
                    .expect("${DOT}"),
                variables};
    drive.start().out("TOKEN d2.4 x\r\n", 1);
    EXPECT_EQ(drive.take_sent(), "AT+T=d2.4,.\r\n");
    drive.out("d2.4\r\na.b(\r\naxb(\r\n", 2);
    EXPECT_EQ(drive.lines(),
              (Lines{"1@1", "2@1", "3@2", "4@2",
                     "5@2 FAILED: expected a line matching /a\\.b\\(/, got \"axb(\""}));
}

TEST(RunnerExpect, ABadPatternAtRunTimeIsAScriptError) {
    Variables variables;
    variables.values["V"] = "x";
    Drive drive{Builder{}.expect("${V}(").send("AT"), variables};
    drive.start();
    EXPECT_EQ(drive.runner.verdict(), Verdict::ScriptError);
    EXPECT_EQ(drive.lines(), (Lines{"1@0 FAILED: script error: bad pattern /x(/: missing ): x("}));
    EXPECT_EQ(drive.take_sent(), "");
}

TEST(RunnerExpect, APatternCompiledByTheParserIsUsed) {
    Builder builder;
    Pattern compiled = pattern("O.");
    compiled.compiled = std::make_shared<const re2::RE2>("OK");
    builder.add("expect O.", Expect{Expect::Kind::Next, compiled, std::nullopt});
    Drive drive{builder};
    drive.start().out("OX\r\n", 1);
    EXPECT_EQ(drive.runner.verdict(), Verdict::Failed);
}

TEST(RunnerExpect, WithinZeroLooksOnlyAtWhatIsUnread) {
    Drive drive{Builder{}.expect("A", ms(0)).expect("B", ms(0))};
    drive.out("A\r\n", 0).start(3);
    EXPECT_EQ(drive.lines(), (Lines{"1@0",
                                    "2@0 FAILED: no line came within 0s (expected one "
                                    "matching /B/)"}));
}

TEST(RunnerExpect, PastThePendingBoundTheFailureSaysHowManyLinesWent) {
    std::string flood;
    for (std::size_t i = 0; i < kMaxPendingLines + 5; ++i) {
        flood += "L" + std::to_string(i) + "\n";
    }
    Drive drive{Builder{}.wait(s(1)).expect("L5").expect("OK")};
    drive.start().out(flood, 10).tick(1000);
    EXPECT_EQ(drive.lines(), (Lines{"1@1000", "2@1000",
                                    "3@1000 FAILED: expected a line matching /OK/, got \"L6\" (5 "
                                    "unread output lines were dropped: at most 10000 are kept)"}));
    EXPECT_EQ(drive.runner.failure_context().back(), "< L10004");
}

TEST(RunnerExpect, ALineOverTheLengthBoundArrivesInPieces) {
    Drive drive{Builder{}.expect("x+").expect("yy")};
    drive.start().out(std::string(kMaxLineLength, 'x') + "yy\r\n", 1);
    EXPECT_EQ(drive.runner.verdict(), Verdict::Passed);
}

}  // namespace
}  // namespace atcoap::script
