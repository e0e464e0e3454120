#include "support/capturing_logger.hpp"

#include <gtest/gtest.h>

namespace atcoap::test {
namespace {

TEST(CapturingLogger, KeepsEveryLineInOrderWithItsLevel) {
    CapturingLogger log;
    log.log(LogLevel::Debug, "one");
    log.log(LogLevel::Error, "two");
    EXPECT_EQ(log.lines, (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(log.level_of(0), LogLevel::Debug);
    EXPECT_EQ(log.level_of(1), LogLevel::Error);
}

TEST(CapturingLogger, KeepsNothingBelowItsThresholdAndSaysSo) {
    CapturingLogger log(LogLevel::Info);
    EXPECT_FALSE(log.enabled(LogLevel::Debug));
    EXPECT_TRUE(log.enabled(LogLevel::Info));
    log.log(LogLevel::Debug, "hidden");
    log.log(LogLevel::Warn, "shown");
    EXPECT_EQ(log.lines, (std::vector<std::string>{"shown"}));
}

TEST(CapturingLogger, CountsLinesByFragmentAndLevel) {
    CapturingLogger log;
    log.log(LogLevel::Debug, "request dropped");
    log.log(LogLevel::Warn, "reply dropped");
    log.log(LogLevel::Warn, "reply sent");
    EXPECT_EQ(log.count("dropped"), 2u);
    EXPECT_EQ(log.count("dropped", LogLevel::Warn), 1u);
    EXPECT_EQ(log.count("", LogLevel::Warn), 2u);
    EXPECT_TRUE(log.contains("sent"));
    EXPECT_FALSE(log.contains("lost"));
}

}  // namespace
}  // namespace atcoap::test
