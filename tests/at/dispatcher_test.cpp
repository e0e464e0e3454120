#include "at/dispatcher.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/capturing_logger.hpp"

namespace atcoap::at {
namespace {

using test_support::CapturingLogger;

class DispatcherTest : public ::testing::Test {
  protected:
    DispatcherTest() {
        dispatcher.add({.name = "+CMEE",
                        .errors = ErrorStyle::Cme,
                        .params = {{"n", IntRange{0, 2}}},
                        .read =
                            [this](const Args&) {
                                responder.info("+CMEE: " + std::to_string(cmee));
                                return Outcome::ok();
                            },
                        .write =
                            [this](const Args& args) {
                                cmee = args.integer(0);
                                responder.set_cmee(static_cast<CmeeMode>(cmee));
                                return Outcome::ok();
                            }});
        dispatcher.add({.name = "+QCOAPSEND",
                        .errors = ErrorStyle::Plain,
                        .params = {{"clientID", IntRange{0, 5}}},
                        .write = [this](const Args&) {
                            responder.prompt();
                            return Outcome::pending();
                        }});
    }

    std::string run(std::string_view line) {
        dispatcher.run_line(line);
        const Bytes out = responder.take_output();
        return std::string(out.begin(), out.end());
    }

    Responder responder;
    CapturingLogger logger;
    Dispatcher dispatcher{responder, logger};
    std::int64_t cmee = 1;
};

TEST_F(DispatcherTest, BareAtAnswersOk) {
    EXPECT_EQ(run("AT"), "\r\nOK\r\n");
}

TEST_F(DispatcherTest, AnUnknownCommandAnswersPlainErrorAndLogsWhy) {
    EXPECT_EQ(run("AT+FOO"), "\r\nERROR\r\n");
    ASSERT_EQ(logger.lines.size(), 1u);
    EXPECT_NE(logger.lines[0].find("AT+FOO"), std::string::npos);
    EXPECT_NE(logger.lines[0].find("unknown command"), std::string::npos);
}

TEST_F(DispatcherTest, AParameterErrorOfAGeneralCommandIsCmeError50) {
    EXPECT_EQ(run("AT+CMEE=7"), "\r\n+CME ERROR: 50\r\n");
    ASSERT_EQ(logger.lines.size(), 1u);
    EXPECT_NE(logger.lines[0].find("<n>"), std::string::npos);
}

TEST_F(DispatcherTest, AParameterErrorOfACoapCommandIsPlainError) {
    EXPECT_EQ(run("AT+QCOAPSEND=9"), "\r\nERROR\r\n");
}

TEST_F(DispatcherTest, ATestFormWithoutHandlerAnswersOk) {
    EXPECT_EQ(run("AT+CMEE=?"), "\r\nOK\r\n");
}

TEST_F(DispatcherTest, AMissingFormIsPlainError) {
    EXPECT_EQ(run("AT+QCOAPSEND?"), "\r\nERROR\r\n");
}

TEST_F(DispatcherTest, RunsConcatenatedCommandsWithOneFinalResult) {
    EXPECT_EQ(run("AT+CMEE=2;+CMEE?;+CMEE?"), "\r\n+CMEE: 2\r\n\r\n+CMEE: 2\r\n\r\nOK\r\n");
}

TEST_F(DispatcherTest, TheFirstFailingCommandEndsTheLine) {
    EXPECT_EQ(run("AT+CMEE=0;+FOO;+CMEE=2"), "\r\nERROR\r\n");
    EXPECT_EQ(cmee, 0);
}

TEST_F(DispatcherTest, APendingCommandLeavesTheResponseOpenUntilFinished) {
    EXPECT_EQ(run("AT+QCOAPSEND=0;+CMEE=2"), "\r\n> ");
    EXPECT_TRUE(responder.response_open());
    EXPECT_FALSE(dispatcher.finish_pending(Outcome::ok()));
    const Bytes out = responder.take_output();
    EXPECT_EQ(std::string(out.begin(), out.end()), "\r\nOK\r\n");
    EXPECT_EQ(cmee, 2);
}

TEST_F(DispatcherTest, AFailedPendingCommandReportsItsErrorAndSkipsTheRest) {
    run("AT+QCOAPSEND=0;+CMEE=2");
    dispatcher.finish_pending(Outcome::error("payload over 1024 bytes"));
    const Bytes out = responder.take_output();
    EXPECT_EQ(std::string(out.begin(), out.end()), "\r\nERROR\r\n");
    EXPECT_EQ(cmee, 1);
    ASSERT_FALSE(logger.lines.empty());
    EXPECT_NE(logger.lines.back().find("payload over 1024 bytes"), std::string::npos);
}

TEST_F(DispatcherTest, ASyntaxErrorAnswersErrorAndLogs) {
    EXPECT_EQ(run("AT+CMEE=\"1"), "\r\nERROR\r\n");
    EXPECT_EQ(logger.lines.size(), 1u);
}

}  // namespace
}  // namespace atcoap::at
