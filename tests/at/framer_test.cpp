// Command mode of the AT framer: prefixes, terminators, editing, echo, line length
// (docs/DIALECT.md §1, §7; ITU-T V.250 §5.2).

#include "at/framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "framer_harness.hpp"

namespace atcoap::at {
namespace {

using testing::Host;

std::vector<std::string> events_of(std::string_view input) {
    Host host;
    host.send(input, at_ms(0));
    return host.transcript().events;
}

using Events = std::vector<std::string>;

TEST(FramerCommand, DeliversALineOnlyAtItsCarriageReturn) {
    Framer framer;
    framer.feed(as_bytes("AT+CMEE=2"), at_ms(0));
    EXPECT_FALSE(framer.next(at_ms(0)));
    framer.feed(as_bytes("\r"), at_ms(0));
    const std::optional<FramerEvent> event = framer.next(at_ms(0));
    ASSERT_TRUE(event);
    EXPECT_EQ(*event, FramerEvent{CommandLine{"AT+CMEE=2"}});
    EXPECT_FALSE(framer.next(at_ms(0)));
}

TEST(FramerCommand, AcceptsTheLowercasePrefixAndKeepsItsCase) {
    EXPECT_EQ(events_of("at+cmee=2\r\n"), Events{"line:at+cmee=2"});
}

TEST(FramerCommand, TreatsMixedCasePrefixesAsNoise) {
    EXPECT_EQ(events_of("At+X\r\naT+Y\r\n"), Events{});
}

TEST(FramerCommand, DiscardsBytesBeforeThePrefix) {
    EXPECT_EQ(events_of("xyz\x01"
                        "AT+QCOAPOPEN?\r"),
              Events{"line:AT+QCOAPOPEN?"});
}

TEST(FramerCommand, ALineWithoutPrefixOrAnEmptyLineGivesNoEvent) {
    EXPECT_EQ(events_of("hello\r\n\r\n\r\r\n"), Events{});
}

TEST(FramerCommand, ARepeatedAStillFindsThePrefix) {
    EXPECT_EQ(events_of("AAT\r"), Events{"line:AT"});
}

TEST(FramerCommand, IgnoresLineFeedsAnywhereInCommandMode) {
    EXPECT_EQ(events_of("\nA\nT+\nX\r\n"), Events{"line:AT+X"});
}

TEST(FramerCommand, BackspaceDeletesThePreviousCharacter) {
    EXPECT_EQ(events_of("AT+CMEX\bE=1\r"), Events{"line:AT+CMEE=1"});
}

TEST(FramerCommand, BackspaceNeverDeletesThePrefix) {
    EXPECT_EQ(events_of("ATX\b\b\b\bI\r"), Events{"line:ATI"});
}

TEST(FramerCommand, BackspaceCancelsAPendingA) {
    EXPECT_EQ(events_of("A\bT+X\r"), Events{});
}

TEST(FramerCommand, PassesQuotedStringsAndSpacesVerbatim) {
    EXPECT_EQ(events_of("AT+QCOAPOPEN=0, \"a b;c\",5683\r"),
              Events{"line:AT+QCOAPOPEN=0, \"a b;c\",5683"});
}

TEST(FramerCommand, KeepsNulAndHighBytesInsideALine) {
    EXPECT_EQ(events_of(std::string("AT\x00\xFF\r", 5)), Events{"line:AT\\x00\\xFF"});
}

TEST(FramerCommand, GivesOneEventPerLineOfAWrite) {
    EXPECT_EQ(events_of("AT\rATI\r\nAT+CMEE?\r\n"),
              (Events{"line:AT", "line:ATI", "line:AT+CMEE?"}));
}

TEST(FramerCommand, LeavesLaterLinesBufferedUntilAsked) {
    Framer framer;
    framer.feed(as_bytes("AT\rATI\r"), at_ms(0));
    EXPECT_EQ(framer.buffered(), 7u);
    ASSERT_TRUE(framer.next(at_ms(0)));
    EXPECT_EQ(framer.buffered(), 4u);
    EXPECT_EQ(as_text(framer.take_echo()), "AT\r");
}

TEST(FramerCommand, AcceptsALineOfExactly4096Characters) {
    const std::string line = "AT+X=" + std::string(4096 - 5, '7');
    EXPECT_EQ(events_of(line + "\r"), Events{"line:" + line});
}

TEST(FramerCommand, ALineOf4097CharactersIsTooLongAndTheNextLineStillWorks) {
    const std::string line = "AT+X=" + std::string(4097 - 5, '7');
    EXPECT_EQ(events_of("junk" + line + "\r\nATI\r\n"), (Events{"too-long", "line:ATI"}));
}

TEST(FramerCommand, CountsTheLengthAfterBackspaceEditingButCannotUndoAnOverflow) {
    const std::string line = "AT+X=" + std::string(4096 - 5, '7');
    EXPECT_EQ(events_of(line + "\b8\r"), Events{"line:" + line.substr(0, 4095) + "8"});
    EXPECT_EQ(events_of(line + "8\b\r"), Events{"too-long"});  // the 4097th byte overflowed
}

// A fleet holds thousands of framers: a short line costs what it needs, not the 4 KiB a line
// may reach (docs/TESTING.md, "Memory per modem").
TEST(FramerCommand, AShortLineKeepsLittleMemory) {
    Framer framer;
    framer.feed(as_bytes("AT+QCOAPSEND=0,0,1,1,0\rAT+QCOAPOPTION=0,0,0,11,\"time\"\r"), at_ms(0));
    EXPECT_TRUE(framer.next(at_ms(0)));
    EXPECT_TRUE(framer.next(at_ms(0)));
    framer.set_echo(false);
    EXPECT_LT(framer.retained_capacity(), 256U);
}

TEST(FramerCommand, AnEndlessLineKeepsMemoryBounded) {
    Framer framer;
    framer.feed(as_bytes("AT+X="), at_ms(0));
    const std::string block(4000, 'x');
    for (int i = 0; i < 500; ++i) {  // 2 MB without a CR
        framer.feed(as_bytes(block), at_ms(i));
        EXPECT_FALSE(framer.next(at_ms(i)));
        framer.set_echo(false);  // the echo is the consumer's to drain; keep it out
        ASSERT_LT(framer.retained_capacity(), 32u * 1024u);
    }
    framer.feed(as_bytes("\r"), at_ms(600));
    const std::optional<FramerEvent> event = framer.next(at_ms(600));
    ASSERT_TRUE(event);
    EXPECT_TRUE(std::holds_alternative<LineTooLong>(*event));
}

TEST(FramerCommand, EchoesEveryReceivedByteExceptLineFeedsAsItIsConsumed) {
    Host host;
    host.send("xyAT+X\b\r\n", at_ms(0));
    EXPECT_EQ(host.transcript().echo, "xyAT+X\b\r");
}

TEST(FramerCommand, EchoStopsAfterATE0AndResumesAfterATE1) {
    Host host;
    host.send("ATE0\r\nATI\r\nATE1\r\nAT\r\n", at_ms(0));
    const testing::Transcript t = host.transcript();
    EXPECT_EQ(t.echo, "ATE0\rAT\r");
    EXPECT_EQ(t.events, (Events{"line:ATE0", "line:ATI", "line:ATE1", "line:AT"}));
}

TEST(FramerCommand, EchoesNothingBeforeNextConsumesTheBytes) {
    Framer framer;
    framer.feed(as_bytes("AT"), at_ms(0));
    EXPECT_TRUE(framer.take_echo().empty());
    EXPECT_FALSE(framer.next(at_ms(0)));
    EXPECT_EQ(as_text(framer.take_echo()), "AT");
    EXPECT_TRUE(framer.take_echo().empty());
}

TEST(FramerCommand, HasNoDeadlineInCommandMode) {
    Framer framer;
    framer.feed(as_bytes("AT+X"), at_ms(0));
    EXPECT_FALSE(framer.next(at_ms(0)));
    EXPECT_FALSE(framer.next_deadline());
    EXPECT_EQ(framer.mode(), Framer::Mode::Command);
}

TEST(FramerCommand, CountsCrLfAndBareCrTerminators) {
    Host host;
    host.send("AT\r\nATI\rAT\r\nX\r", at_ms(0));
    EXPECT_EQ(host.transcript().stats, "crlf=2 bare=1 swallowed=0");
}

}  // namespace
}  // namespace atcoap::at
