#include "at/dispatcher.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/capturing_logger.hpp"

namespace atcoap::at {
namespace {

using test::CapturingLogger;

/// A `> ` phase that the test ends by hand.
class TestPhase final : public DataPhase {
  public:
    PhaseInput input() const override { return PromptUntilCtrlZ{1024}; }
    Outcome finish(const FramerEvent&, TimePoint) override { return Outcome::ok(); }
};

class DispatcherTest : public ::testing::Test {
  protected:
    DispatcherTest() {
        dispatcher.add({.name = "+CMEE",
                        .errors = ErrorStyle::Cme,
                        .params = {{"n", IntRange{0, 2}}},
                        .read =
                            [this](const Args&, TimePoint) {
                                responder.info("+CMEE: " + std::to_string(cmee));
                                return Outcome::ok();
                            },
                        .write =
                            [this](const Args& args, TimePoint) {
                                cmee = args.integer(0);
                                responder.set_cmee(static_cast<CmeeMode>(cmee));
                                return Outcome::ok();
                            }});
        dispatcher.add({.name = "+QCOAPSEND",
                        .errors = ErrorStyle::Plain,
                        .params = {{"clientID", IntRange{0, 5}}},
                        .write = [this](const Args&, TimePoint now) {
                            responder.prompt();
                            handler_time = now;
                            return Outcome::data_phase(std::make_unique<TestPhase>());
                        }});
    }

    std::string run(std::string_view line) {
        phase = dispatcher.run_line(line, at_ms(7));
        const Bytes out = responder.take_output();
        return std::string(out.begin(), out.end());
    }

    Responder responder;
    CapturingLogger logger;
    Dispatcher dispatcher{responder, logger};
    std::int64_t cmee = 1;
    std::unique_ptr<DataPhase> phase;
    TimePoint handler_time{};
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

TEST_F(DispatcherTest, ADataPhaseLeavesTheResponseOpenUntilFinished) {
    EXPECT_EQ(run("AT+QCOAPSEND=0;+CMEE=2"), "\r\n> ");
    ASSERT_TRUE(phase);
    EXPECT_TRUE(std::holds_alternative<PromptUntilCtrlZ>(phase->input()));
    EXPECT_EQ(handler_time, at_ms(7));
    EXPECT_TRUE(responder.response_open());
    EXPECT_EQ(cmee, 1);
    EXPECT_FALSE(dispatcher.finish_phase(Outcome::ok(), at_ms(8)));
    const Bytes out = responder.take_output();
    EXPECT_EQ(std::string(out.begin(), out.end()), "\r\nOK\r\n");
    EXPECT_EQ(cmee, 2);
}

TEST_F(DispatcherTest, AFailedDataPhaseReportsItsErrorAndSkipsTheRest) {
    run("AT+QCOAPSEND=0;+CMEE=2");
    dispatcher.finish_phase(Outcome::error("payload over 1024 bytes"), at_ms(8));
    const Bytes out = responder.take_output();
    EXPECT_EQ(std::string(out.begin(), out.end()), "\r\nERROR\r\n");
    EXPECT_EQ(cmee, 1);
    ASSERT_FALSE(logger.lines.empty());
    EXPECT_NE(logger.lines.back().find("payload over 1024 bytes"), std::string::npos);
}

TEST_F(DispatcherTest, TheRestOfTheLineMayOpenAnotherPhase) {
    EXPECT_EQ(run("AT+QCOAPSEND=0;+QCOAPSEND=1"), "\r\n> ");
    ASSERT_TRUE(phase);
    phase = dispatcher.finish_phase(Outcome::ok(), at_ms(9));
    ASSERT_TRUE(phase);
    EXPECT_EQ(handler_time, at_ms(9));
    const Bytes out = responder.take_output();
    EXPECT_EQ(std::string(out.begin(), out.end()), "\r\n> ");
}

TEST_F(DispatcherTest, PrintLinesWritesItsLinesAndSucceeds) {
    dispatcher.add({.name = "+LINES", .execute = print_lines(responder, {"one", "two"})});
    EXPECT_EQ(run("AT+LINES"), "\r\none\r\ntwo\r\n\r\nOK\r\n");
}

TEST_F(DispatcherTest, ASyntaxErrorAnswersErrorAndLogs) {
    EXPECT_EQ(run("AT+CMEE=\"1"), "\r\nERROR\r\n");
    EXPECT_EQ(logger.lines.size(), 1u);
}

}  // namespace
}  // namespace atcoap::at
