#include "script/echo.hpp"

#include <gtest/gtest.h>

#include <string>

namespace atcoap::script {
namespace {

using Kind = EchoFilter::Kind;

/// Whether the filter takes `line` for an echo, and what is left of the line.
std::pair<bool, std::string> feed(EchoFilter& filter, std::string line) {
    const bool echo = filter.is_echo(line);
    return {echo, line};
}

TEST(EchoFilter, SkipsTheEchoOfACommandLineAndOfItsPayload) {
    // ATE1 (docs/DIALECT.md §1): `AT+QCOAPSEND=...` comes back, then the prompt, the payload
    // typed after it, and the answer.
    EchoFilter filter;
    filter.sent("AT+QCOAPSEND=0,1,2,1,2\r\n", Kind::Command, 1024);
    EXPECT_TRUE(feed(filter, "AT+QCOAPSEND=0,1,2,1,2").first);
    EXPECT_FALSE(feed(filter, ">").first);
    filter.sent("OK", Kind::Payload, 1024);
    EXPECT_TRUE(feed(filter, "OK").first) << "the payload's echo";
    EXPECT_FALSE(feed(filter, "OK").first) << "the answer";
}

TEST(EchoFilter, APayloadEqualToTheAnswerIsTheAnswerWhenEchoIsOff) {
    // ATE0: the command line comes back as nothing, so `write OK` cannot eat the answer OK.
    EchoFilter filter;
    filter.sent("AT+QCOAPSEND=0,1,2,1,2", Kind::Command, 1024);
    EXPECT_FALSE(feed(filter, ">").first);
    filter.clear();  // the runner read the prompt: the command's echo is behind it
    filter.sent("OK", Kind::Payload, 1024);
    EXPECT_FALSE(feed(filter, "OK").first);
    // A later command line that is echoed (ATE1 again) turns payload echoes back on.
    filter.sent("AT", Kind::Command, 1024);
    EXPECT_TRUE(feed(filter, "AT").first);
    filter.sent("Hi", Kind::Payload, 1024);
    EXPECT_TRUE(feed(filter, "Hi").first);
}

TEST(EchoFilter, APayloadEchoedOnThePromptLineLeavesThePrompt) {
    EchoFilter filter;
    filter.sent("Hi", Kind::Payload, 1024);
    EXPECT_EQ(feed(filter, "> Hi"), std::make_pair(false, std::string(">")));
    EXPECT_TRUE(filter.empty());
}

TEST(EchoFilter, AFinalResultCodeEndsTheSearch) {
    EchoFilter filter;
    filter.sent("ATI\r\n", Kind::Command, 1024);
    EXPECT_FALSE(feed(filter, "+CME ERROR: 50").first);
    EXPECT_TRUE(filter.empty());
    EXPECT_FALSE(feed(filter, "ATI").first) << "a line like it after the answer is output";
}

TEST(EchoFilter, CutsLongLinesAsOutputIsCutAndKeepsABoundedNumber) {
    EchoFilter filter;
    filter.sent("abcdefg", Kind::Payload, 3);
    EXPECT_TRUE(feed(filter, "abc").first);
    EXPECT_TRUE(feed(filter, "def").first);
    EXPECT_TRUE(feed(filter, "g").first);
    for (std::size_t i = 0; i < kMaxEchoLines + 5; ++i) {
        filter.sent("line" + std::to_string(i) + "\r", Kind::Command, 1024);
    }
    EXPECT_FALSE(feed(filter, "line0").first) << "the oldest were forgotten";
    EXPECT_TRUE(feed(filter, "line5").first);
}

}  // namespace
}  // namespace atcoap::script
