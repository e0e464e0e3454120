// The framer gives the same events and echo however the host's bytes are split into writes,
// and with or without deadline wake-ups: every input here is replayed cut at every byte
// position and byte by byte (docs/ARCHITECTURE.md, "Stream parsers").

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "at/framer.hpp"
#include "base/random.hpp"
#include "framer_harness.hpp"

namespace atcoap::at {
namespace {

using testing::escaped;
using testing::expect_same_at_every_split;
using testing::Step;
using testing::Transcript;
using Events = std::vector<std::string>;
using namespace std::string_literals;

Transcript at_every_split(const std::string& input) {
    return expect_same_at_every_split({Step{at_ms(0), input}}, at_ms(60'000));
}

TEST(FramerSplit, CommandLinesWithEditingAndNoise) {
    const Transcript t = at_every_split("noise\rAT+CMEX\bE=2\r\n\nat+x=\"a b\"\rAt\r\r\n");
    EXPECT_EQ(t.events, (Events{"line:AT+CMEE=2", "line:at+x=\"a b\""}));
    EXPECT_EQ(t.echo, "noise\rAT+CMEX\bE=2\rat+x=\"a b\"\rAt\r\r");
}

TEST(FramerSplit, ConcatenatedLinesAndEchoSwitching) {
    const Transcript t = at_every_split("AT\r\nATE0\r\nATI\r\nATE1\rAT+CMEE=2;+QCOAPOPEN?\r\n");
    EXPECT_EQ(t.events, (Events{"line:AT", "line:ATE0", "line:ATI", "line:ATE1",
                                "line:AT+CMEE=2;+QCOAPOPEN?"}));
    EXPECT_EQ(t.echo, "AT\rATE0\rAT+CMEE=2;+QCOAPOPEN?\r");
}

TEST(FramerSplit, FixedLengthPromptWithCrLfAndBinaryPayload) {
    const Transcript t = at_every_split(
        "AT+SEND=6\r\n\n\r\x1A\x00\x1B\xFF"
        "AT+SEND=2\rxyATI\r\n"s);
    EXPECT_EQ(t.events, (Events{"line:AT+SEND=6", "prompt:\\x0A\\x0D\\x1A\\x00\\x1B\\xFF",
                                "line:AT+SEND=2", "prompt:xy", "line:ATI"}));
    EXPECT_EQ(t.stats, "crlf=1 bare=1 swallowed=1");
}

TEST(FramerSplit, CtrlZPromptWithCancelAndOverflow) {
    const std::string big(1025, 'o');
    const Transcript t = at_every_split(
        "AT+SEND\r\nhi\r\n\x1A\r\nAT+SEND\r\nnope\x1B"
        "AT+SEND\r\n" +
        big + "\x1A\r\nATI\r\n");
    EXPECT_EQ(t.events, (Events{"line:AT+SEND", "prompt:hi\\x0D\\x0A", "line:AT+SEND", "cancelled",
                                "line:AT+SEND", "overflow", "line:ATI"}));
}

TEST(FramerSplit, LineTooLongFollowedByAValidLine) {
    const Transcript t = at_every_split("AT+X=" + std::string(4092, '9') + "\r\nATI\r\n");
    EXPECT_EQ(t.events, (Events{"too-long", "line:ATI"}));
}

TEST(FramerSplit, UploadOfEveryByteValueFollowedByACommand) {
    std::string data;
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 256; ++i) {
            data.push_back(static_cast<char>(i));
        }
    }
    const Transcript t = at_every_split("AT+UPL=512,5000\r\n" + data + "ATI\r\n");
    EXPECT_EQ(t.events, (Events{"line:AT+UPL=512,5000", "upload:" + escaped(data),
                                "upload-end:size", "line:ATI"}));
}

TEST(FramerSplit, UploadWithPlusesInsideTheData) {
    const Transcript t = expect_same_at_every_split(
        {Step{at_ms(0), "AT+UPL=100,5000\r\n+++a"}, Step{at_ms(300), "+++\x1A\x1B+++"}},
        at_ms(30'000));
    EXPECT_EQ(t.events, (Events{"line:AT+UPL=100,5000", "upload:+++a+++\\x1A\\x1B+++",
                                "upload-end:timeout"}));
}

TEST(FramerSplit, UploadEndedByAnEscapeWithGuardTimes) {
    const Transcript t =
        expect_same_at_every_split({Step{at_ms(0), "AT+UPL=100,5000\r\nab+++"},
                                    Step{at_ms(1200), "+++"}, Step{at_ms(2200), "+++AT\r\n"}},
                                   at_ms(30'000));
    EXPECT_EQ(t.events,
              (Events{"line:AT+UPL=100,5000", "upload:ab+++", "upload-end:escape", "line:AT"}));
    EXPECT_EQ(t.echo, "AT+UPL=100,5000\r+++AT\r");
}

TEST(FramerSplit, UploadWhoseEscapeIsInterruptedWithinTheGuardTime) {
    const Transcript t = expect_same_at_every_split(
        {Step{at_ms(0), "AT+UPL=100,5000\r\nab"}, Step{at_ms(1500), "++"}, Step{at_ms(1600), "+"},
         Step{at_ms(2599), "z"}},
        at_ms(30'000));
    EXPECT_EQ(t.events, (Events{"line:AT+UPL=100,5000", "upload:ab+++z", "upload-end:timeout"}));
}

TEST(FramerSplit, UploadEndedByInactivityThenCommands) {
    const Transcript t = expect_same_at_every_split(
        {Step{at_ms(0), "AT+UPL=100,2000\r\nhello"}, Step{at_ms(1999), " world"},
         Step{at_ms(4000), "\r\nAT+QFLST\r\n"}},
        at_ms(30'000));
    EXPECT_EQ(t.events, (Events{"line:AT+UPL=100,2000", "upload:hello world", "upload-end:timeout",
                                "line:AT+QFLST"}));
}

// Random host input built from tokens that open and end every mode, plus random bytes.
std::vector<Step> random_session(SeededRandom& random, int writes) {
    static const std::vector<std::string> kTokens = {"AT\r\n",
                                                     "ATI\r",
                                                     "ATE0\r",
                                                     "ATE1\r\n",
                                                     "AT+SEND=5\r\n",
                                                     "AT+SEND\r\n",
                                                     "AT+UPL=40,1500\r\n",
                                                     "+++",
                                                     "\x1A",
                                                     "\x1B",
                                                     "\r",
                                                     "\n",
                                                     "\b",
                                                     "+",
                                                     "AT+X"};
    std::vector<Step> steps;
    std::int64_t ms = 0;
    for (int w = 0; w < writes; ++w) {
        ms += random.uniform(0, 3) == 0 ? random.uniform(0, 3000) : random.uniform(0, 50);
        std::string bytes;
        const std::uint32_t parts = random.uniform(1, 4);
        for (std::uint32_t p = 0; p < parts; ++p) {
            if (random.uniform(0, 1) == 0) {
                bytes += kTokens[random.uniform(0, static_cast<std::uint32_t>(kTokens.size() - 1))];
            } else {
                for (std::uint32_t n = random.uniform(1, 8); n > 0; --n) {
                    bytes.push_back(static_cast<char>(random.uniform(0, 255)));
                }
            }
        }
        steps.push_back(Step{at_ms(ms), bytes});
    }
    return steps;
}

TEST(FramerSplit, RandomSessionsGiveTheSameEventsAtEverySplit) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        SeededRandom random(seed);
        const std::vector<Step> steps = random_session(random, 12);
        const Transcript t = expect_same_at_every_split(steps, at_ms(100'000));
        EXPECT_FALSE(t.echo.empty()) << "seed " << seed;
    }
}

TEST(FramerRobustness, RandomBytesInAllModesNeverCrashAndKeepMemoryBounded) {
    for (std::uint64_t seed = 100; seed < 130; ++seed) {
        SeededRandom random(seed);
        testing::Host host;
        for (const Step& step : random_session(random, 400)) {
            host.send(step.bytes, step.at);
            ASSERT_EQ(host.framer().buffered(), 0u) << "seed " << seed;
            ASSERT_LT(host.framer().retained_capacity(), 32u * 1024u) << "seed " << seed;
        }
        host.finish(at_ms(10'000'000));
        EXPECT_FALSE(host.transcript().events.empty()) << "seed " << seed;
        EXPECT_NE(host.framer().mode(), Framer::Mode::Upload)
            << "an upload cannot outlive its timeout; seed " << seed;
    }
}

TEST(FramerRobustness, TheSameSeedGivesTheSameTranscript) {
    auto run = [](std::uint64_t seed) {
        SeededRandom random(seed);
        return testing::replay(random_session(random, 200), at_ms(1'000'000));
    };
    EXPECT_EQ(run(7), run(7));
    EXPECT_NE(run(7), run(8));
}

}  // namespace
}  // namespace atcoap::at
