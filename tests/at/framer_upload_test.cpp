// The CONNECT upload phase of the AT framer: size, inactivity timeout, `+++` escape with guard
// times (docs/DIALECT.md §5; ITU-T V.250 §6.3.6). Virtual time throughout.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "at/framer.hpp"
#include "framer_harness.hpp"

namespace atcoap::at {
namespace {

using testing::escaped;
using testing::Host;
using Events = std::vector<std::string>;

std::string all_byte_values() {
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes.push_back(static_cast<char>(i));
    }
    return bytes;
}

TEST(FramerUpload, EndsWhenTheSizeArrivedWithEveryByteValueAsData) {
    Host host;
    const std::string data = all_byte_values();
    host.send("AT+UPL=256,5000\r\n" + data + "AT\r", at_ms(0));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT+UPL=256,5000", "upload:" + escaped(data),
                                                "upload-end:size", "line:AT"}));
}

TEST(FramerUpload, DataIsNeverEchoed) {
    Host host;
    host.send("AT+UPL=3,5000\r\nabcAT\r", at_ms(0));
    EXPECT_EQ(host.transcript().echo, "AT+UPL=3,5000\rAT\r");
}

TEST(FramerUpload, DeliversChunksAsTheyArrive) {
    Framer framer;
    framer.expect_upload(10, Duration{5000}, at_ms(0));
    framer.feed(as_bytes("abc"), at_ms(100));
    const std::optional<FramerEvent> first = framer.next(at_ms(100));
    ASSERT_TRUE(first);
    EXPECT_EQ(*first, FramerEvent{UploadData{to_bytes("abc")}});
    EXPECT_FALSE(framer.next(at_ms(100)));
    EXPECT_EQ(framer.next_deadline(), at_ms(5100));
}

TEST(FramerUpload, TimesOutWhenNoByteCameForTheTimeout) {
    Framer framer;
    framer.expect_upload(100, Duration{5000}, at_ms(1000));
    EXPECT_EQ(framer.next_deadline(), at_ms(6000));
    EXPECT_FALSE(framer.next(at_ms(5999)));
    const std::optional<FramerEvent> end = framer.next(at_ms(6000));
    ASSERT_TRUE(end);
    EXPECT_EQ(*end, FramerEvent{UploadFinished{UploadEnd::Timeout}});
    EXPECT_EQ(framer.mode(), Framer::Mode::Command);
    EXPECT_FALSE(framer.next_deadline());
}

TEST(FramerUpload, EachByteRestartsTheInactivityTimer) {
    Host host;
    host.send("AT+UPL=100,2000\r\n", at_ms(0));
    host.send("a", at_ms(1900));
    host.send("b", at_ms(3800));
    host.finish(at_ms(5799));
    EXPECT_EQ(host.framer().mode(), Framer::Mode::Upload);
    host.finish(at_ms(5800));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=100,2000", "upload:ab", "upload-end:timeout"}));
}

TEST(FramerUpload, ABytePastTheTimeoutBelongsToCommandMode) {
    Host host(false);  // no timer: the byte's arrival time alone decides
    host.send("AT+UPL=100,2000\r\nab", at_ms(0));
    host.send("AT\r", at_ms(2000));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=100,2000", "upload:ab", "upload-end:timeout", "line:AT"}));
}

TEST(FramerUpload, PlusesInsideTheDataAreData) {
    Host host;
    host.send("AT+UPL=100,5000\r\nab+++cd", at_ms(0));
    host.send("+++", at_ms(10));
    host.finish(at_ms(20'000));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=100,5000", "upload:ab+++cd+++", "upload-end:timeout"}));
}

TEST(FramerUpload, PlusesWithGuardTimesEndTheUploadKeepingEarlierData) {
    Host host;
    host.send("AT+UPL=100,5000\r\nabc", at_ms(0));
    host.send("+++", at_ms(1000));
    host.finish(at_ms(1999));
    EXPECT_EQ(host.framer().mode(), Framer::Mode::Upload);
    host.finish(at_ms(2000));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=100,5000", "upload:abc", "upload-end:escape"}));
}

TEST(FramerUpload, HoldsCandidatePlusesBackUntilTheGuardTimeDecides) {
    Framer framer;
    framer.expect_upload(100, Duration{5000}, at_ms(0));
    framer.feed(as_bytes("+++"), at_ms(1000));
    EXPECT_FALSE(framer.next(at_ms(1000)));
    EXPECT_EQ(framer.buffered(), 0u);
    EXPECT_EQ(framer.next_deadline(), at_ms(2000));
}

TEST(FramerUpload, PlusesFollowedTooSoonAreReleasedAsData) {
    Host host;
    host.send("AT+UPL=100,5000\r\nabc", at_ms(0));
    host.send("+++", at_ms(1000));
    host.send("x", at_ms(1999));
    host.finish(at_ms(20'000));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=100,5000", "upload:abc+++x", "upload-end:timeout"}));
}

TEST(FramerUpload, PlusesWithoutSilenceBeforeThemAreData) {
    Host host;
    host.send("AT+UPL=100,5000\r\nabc", at_ms(0));
    host.send("+++", at_ms(999));
    host.finish(at_ms(20'000));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=100,5000", "upload:abc+++", "upload-end:timeout"}));
}

TEST(FramerUpload, AnEscapeMayComeInSeveralWritesWithinTheGuardTime) {
    Host host;
    host.send("AT+UPL=100,5000\r\nabc", at_ms(0));
    host.send("+", at_ms(1000));
    host.send("+", at_ms(1900));
    host.send("+", at_ms(2800));
    host.send("AT\r", at_ms(3800));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=100,5000", "upload:abc", "upload-end:escape", "line:AT"}));
}

TEST(FramerUpload, APauseOfAGuardTimeBetweenPlusesRestartsTheCandidate) {
    Host host;
    host.send("AT+UPL=100,5000\r\n", at_ms(0));
    host.send("+", at_ms(1000));
    host.send("++", at_ms(2000));  // a second of silence: the first `+` was data
    host.send("+", at_ms(2500));
    host.finish(at_ms(3500));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=100,5000", "upload:+", "upload-end:escape"}));
}

TEST(FramerUpload, AFourthPlusMakesAllFourData) {
    Host host;
    host.send("AT+UPL=100,5000\r\n", at_ms(0));
    host.send("++++", at_ms(1000));
    host.finish(at_ms(20'000));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=100,5000", "upload:++++", "upload-end:timeout"}));
}

TEST(FramerUpload, AHostMayEscapeRightAfterASecondOfSilenceFromConnect) {
    Host host;
    host.send("AT+UPL=100,5000\r\n", at_ms(0));
    host.send("+++", at_ms(1000));
    host.finish(at_ms(2000));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT+UPL=100,5000", "upload-end:escape"}));
}

TEST(FramerUpload, PlusesThatCompleteTheSizeAreDataAndEndItAtOnce) {
    Host host;
    host.send("AT+UPL=5,5000\r\nab", at_ms(0));
    host.send("+++", at_ms(1000));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=5,5000", "upload:ab+++", "upload-end:size"}));
}

TEST(FramerUpload, TheLfOfTheOpeningCrLfIsNotData) {
    Host host;
    host.send("AT+UPL=2,5000\r", at_ms(0));
    host.send("\nxy", at_ms(100));
    EXPECT_EQ(host.transcript().events,
              (Events{"line:AT+UPL=2,5000", "upload:xy", "upload-end:size"}));
}

TEST(FramerUpload, AnLfAfterTheTimeoutIsNotCountedAsSwallowedData) {
    Host host(false);
    host.send("AT+UPL=2,1000\r", at_ms(0));
    host.send("\n", at_ms(1500));
    EXPECT_EQ(host.transcript().events, (Events{"line:AT+UPL=2,1000", "upload-end:timeout"}));
    EXPECT_EQ(host.framer().terminator_stats().data_lf_swallowed, 0u);
    EXPECT_EQ(host.framer().terminator_stats().crlf_lines, 1u);
}

TEST(FramerUpload, DataWrittenBeforeConnectIsKeptAndCountsAsArrivingAtConnect) {
    Framer framer;
    framer.feed(as_bytes("AT+UPL\r\n+++"), at_ms(0));
    ASSERT_TRUE(framer.next(at_ms(0)));
    framer.expect_upload(10, Duration{5000}, at_ms(50));
    const std::optional<FramerEvent> data = framer.next(at_ms(3000));
    ASSERT_TRUE(data);  // no silence before the `+++`: data, not an escape
    EXPECT_EQ(*data, FramerEvent{UploadData{to_bytes("+++")}});
}

TEST(FramerUpload, AZeroSizeUploadEndsAtOnce) {
    Framer framer;
    framer.expect_upload(0, Duration{5000}, at_ms(0));
    const std::optional<FramerEvent> end = framer.next(at_ms(0));
    ASSERT_TRUE(end);
    EXPECT_EQ(*end, FramerEvent{UploadFinished{UploadEnd::SizeReached}});
}

TEST(FramerUpload, ALargeUploadStreamsWithBoundedMemory) {
    Host host;
    host.send("AT+UPL=1000000,5000\r\n", at_ms(0));
    const std::string block(1000, '\x1A');
    for (int i = 0; i < 1000; ++i) {
        host.send(block, at_ms(i));
        ASSERT_LT(host.framer().retained_capacity(), 32u * 1024u);
    }
    const testing::Transcript t = host.transcript();
    ASSERT_EQ(t.events.size(), 3u);
    EXPECT_EQ(t.events[1].size(), std::string("upload:").size() + 4u * 1'000'000u);
    EXPECT_EQ(t.events[2], "upload-end:size");
}

}  // namespace
}  // namespace atcoap::at
