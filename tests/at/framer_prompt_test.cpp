// The `> ` data phase of the AT framer (docs/DIALECT.md §1, §3, §7).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "at/framer.hpp"
#include "framer_harness.hpp"

namespace atcoap::at {
namespace {

using testing::Host;
using Events = std::vector<std::string>;
using namespace std::string_literals;

TEST(FramerPrompt, AFixedLengthPhaseReadsExactlyNBytesOfAnyValue) {
    Host host;
    host.send("AT+SEND=8\r\n\r\n\x1A\x1B\x00\xFF+bAT\r"s, at_ms(0));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+SEND=8", "prompt:\\x0D\\x0A\\x1A\\x1B\\x00\\xFF+b", "line:AT"}));
}

TEST(FramerPrompt, TheLfOfTheOpeningCrLfIsNotPayload) {
    Host host;
    host.send("AT+SEND=3\r", at_ms(0));
    host.send("\nabc", at_ms(500));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT+SEND=3", "prompt:abc"}));
    EXPECT_EQ(host.framer().terminator_stats().data_lf_swallowed, 1u);
}

TEST(FramerPrompt, PayloadWrittenBeforeThePromptIsKept) {
    Framer framer;
    framer.feed(as_bytes("AT+QCOAPSEND=0,0,1,2,0,255,5\r\nhello"), at_ms(0));
    const std::optional<FramerEvent> line = framer.next(at_ms(0));
    ASSERT_TRUE(line);
    EXPECT_EQ(framer.buffered(), 6u);  // "\nhello" waits for the dispatcher's decision
    framer.expect_prompt_data(5);
    const std::optional<FramerEvent> data = framer.next(at_ms(0));
    ASSERT_TRUE(data);
    EXPECT_EQ(*data, FramerEvent{PromptData{to_bytes("hello")}});
    EXPECT_EQ(framer.mode(), Framer::Mode::Command);
}

TEST(FramerPrompt, ABareCrHostLosesALeadingLfAndTheStatsShowIt) {
    Host host;
    host.send("AT\rAT+SEND=2\r", at_ms(0));
    host.send("\nAB", at_ms(10));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT", "line:AT+SEND=2", "prompt:AB"}));
    const TerminatorStats& stats = host.framer().terminator_stats();
    EXPECT_EQ(stats.bare_cr_lines, 1u);
    EXPECT_EQ(stats.data_lf_swallowed, 1u);
}

TEST(FramerPrompt, PayloadIsEchoedButNotItsCtrlZ) {
    Host host;
    host.send("AT+SEND=3\r\nabc", at_ms(0));
    host.send("AT+SEND\r\nxyz\x1A", at_ms(0));
    EXPECT_EQ(host.transcript().echo, "AT+SEND=3\rabcAT+SEND\rxyz");
}

TEST(FramerPrompt, PayloadIsEchoedAsItArrives) {
    Host host;
    host.send("AT+SEND=4\r\nab", at_ms(0));
    EXPECT_EQ(host.transcript().echo, "AT+SEND=4\rab");
    host.send("cd", at_ms(10));
    EXPECT_EQ(host.transcript().echo, "AT+SEND=4\rabcd");
}

TEST(FramerPrompt, ALengthGivenPayloadEchoesCtrlZAndEscAsPayload) {
    Host host;
    host.send("AT+SEND=2\r\n\x1A\x1B", at_ms(0));
    EXPECT_EQ(host.transcript().echo, "AT+SEND=2\r\x1A\x1B");
}

TEST(FramerPrompt, EscIsNotEchoedButTheCancelledBytesAre) {
    Host host;
    host.send("AT+SEND\r\nhel\x1B", at_ms(0));
    EXPECT_EQ(host.transcript().echo, "AT+SEND\rhel");
}

TEST(FramerPrompt, BytesBeyondTheMaximumAreEchoedToo) {
    Host host;
    host.send("AT+SEND\r\n" + std::string(1030, 'p') + "\x1A", at_ms(0));
    const testing::Transcript t = host.transcript();
    EXPECT_EQ(t.events, (Events{"line:AT+SEND", "overflow"}));
    EXPECT_EQ(t.echo, "AT+SEND\r" + std::string(1030, 'p'));
}

TEST(FramerPrompt, NothingIsEchoedWithEchoOff) {
    Host host;
    host.send("ATE0\rAT+SEND=3\r\nabcAT+SEND\r\nxyz\x1A", at_ms(0));
    EXPECT_EQ(host.transcript().echo, "ATE0\r");
}

TEST(FramerPrompt, ACtrlZPhaseEndsAtCtrlZAndTheStrayCrLfAfterItIsSilent) {
    Host host;
    host.send("AT+SEND\r\nhello\r\nworld\x1A\r\n", at_ms(0));
    const testing::Transcript t = host.transcript();
    EXPECT_EQ(t.events, (Events{"line:AT+SEND", "prompt:hello\\x0D\\x0Aworld"}));
    EXPECT_EQ(t.echo, "AT+SEND\rhello\r\nworld\r");
}

TEST(FramerPrompt, CtrlZAloneGivesAnEmptyPayload) {
    Host host;
    host.send("AT+SEND\r\n\x1A", at_ms(0));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT+SEND", "prompt:"}));
}

TEST(FramerPrompt, EscCancelsAndCommandModeResumes) {
    Host host;
    host.send(
        "AT+SEND\r\nhel\x1B"
        "AT\r",
        at_ms(0));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT+SEND", "cancelled", "line:AT"}));
    EXPECT_EQ(host.framer().mode(), Framer::Mode::Command);
}

TEST(FramerPrompt, ExactlyTheMaximumBeforeCtrlZIsAccepted) {
    Host host;
    host.send("AT+SEND\r\n" + std::string(1024, 'p') + "\x1A", at_ms(0));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+SEND", "prompt:" + std::string(1024, 'p')}));
}

TEST(FramerPrompt, OneByteOverTheMaximumOverflowsAtCtrlZ) {
    Host host;
    host.send("AT+SEND\r\n" + std::string(1025, 'p') +
                  "\x1A"
                  "ATI\r",
              at_ms(0));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT+SEND", "overflow", "line:ATI"}));
}

TEST(FramerPrompt, AHugeOverflowKeepsMemoryBounded) {
    Host host;
    host.send("AT+SEND\r\n", at_ms(0));
    const std::string block(4096, 'q');
    for (int i = 0; i < 256; ++i) {  // 1 MiB before Ctrl+Z
        host.send(block, at_ms(i));
        ASSERT_LT(host.framer().retained_capacity(), 32u * 1024u);
    }
    host.send("\x1A", at_ms(300));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT+SEND", "overflow"}));
}

TEST(FramerPrompt, EscAfterAnOverflowStillCancels) {
    Host host;
    host.send("AT+SEND\r\n" + std::string(2000, 'p') + "\x1B", at_ms(0));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT+SEND", "cancelled"}));
}

TEST(FramerPrompt, AZeroLengthPhaseFinishesAtOnce) {
    Framer framer;
    framer.expect_prompt_data(0);
    const std::optional<FramerEvent> event = framer.next(at_ms(0));
    ASSERT_TRUE(event);
    EXPECT_EQ(*event, FramerEvent{PromptData{}});
}

TEST(FramerPrompt, HasNoInactivityTimeout) {
    Host host;
    host.send("AT+SEND=4\r\nab", at_ms(0));
    EXPECT_EQ(host.framer().mode(), Framer::Mode::Prompt);
    EXPECT_FALSE(host.framer().next_deadline());
    host.send("cd", at_ms(3'600'000));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT+SEND=4", "prompt:abcd"}));
}

TEST(FramerPrompt, AWaitingPhaseReportsNothingUntilItsEnd) {
    Framer framer;
    framer.expect_prompt_until_ctrl_z(1024);
    framer.feed(as_bytes("partial"), at_ms(0));
    EXPECT_FALSE(framer.next(at_ms(0)));
    EXPECT_EQ(framer.buffered(), 0u);
    EXPECT_EQ(framer.mode(), Framer::Mode::Prompt);
}

}  // namespace
}  // namespace atcoap::at
