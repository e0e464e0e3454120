#include "at/dispatcher.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
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

/// What the test table's handlers work with: one per dispatcher, as a modem has its parts.
struct Context {
    Responder responder;
    CapturingLogger logger;
    std::int64_t cmee = 1;
    TimePoint handler_time{};
};

CommandRow<Context> cmee_row() {
    return {.name = "+CMEE",
            .errors = ErrorStyle::Cme,
            .params = {{"n", IntRange{0, 2}}},
            .read =
                [](Context& c, const Args&, TimePoint) {
                    c.responder.info("+CMEE: " + std::to_string(c.cmee));
                    return Outcome::ok();
                },
            .write =
                [](Context& c, const Args& args, TimePoint) {
                    c.cmee = args.integer(0);
                    c.responder.set_cmee(static_cast<CmeeMode>(c.cmee));
                    return Outcome::ok();
                }};
}

CommandRow<Context> send_row() {
    return {.name = "+QCOAPSEND",
            .errors = ErrorStyle::Plain,
            .params = {{"clientID", IntRange{0, 5}}},
            .write = [](Context& c, const Args&, TimePoint now) {
                c.responder.prompt();
                c.handler_time = now;
                return Outcome::data_phase(std::make_unique<TestPhase>());
            }};
}

const CommandTable<Context>& test_table() {
    static const CommandTable<Context> table({cmee_row(), send_row()});
    return table;
}

std::string output_of(Responder& responder) {
    const Bytes out = responder.take_output();
    return std::string(out.begin(), out.end());
}

class DispatcherTest : public ::testing::Test {
  protected:
    std::string run(std::string_view line) {
        phase = dispatcher.run_line(line, at_ms(7));
        return output_of(context.responder);
    }

    Context context;
    Responder& responder = context.responder;
    CapturingLogger& logger = context.logger;
    std::int64_t& cmee = context.cmee;
    Dispatcher<Context> dispatcher{test_table(), context};
    std::unique_ptr<DataPhase> phase;
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
    EXPECT_EQ(context.handler_time, at_ms(7));
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
    EXPECT_EQ(context.handler_time, at_ms(9));
    const Bytes out = responder.take_output();
    EXPECT_EQ(std::string(out.begin(), out.end()), "\r\n> ");
}

TEST(DispatcherTable, PrintLinesWritesItsLinesAndSucceeds) {
    std::vector<CommandRow<Context>> rows;
    rows.push_back({.name = "+LINES", .execute = print_lines<Context>({"one", "two"})});
    const CommandTable<Context> table(std::move(rows));
    Context context;
    Dispatcher<Context> dispatcher(table, context);
    EXPECT_FALSE(dispatcher.run_line("AT+LINES", at_ms(0)));
    EXPECT_EQ(output_of(context.responder), "\r\none\r\ntwo\r\n\r\nOK\r\n");
}

TEST(DispatcherTable, FindsEveryRowWhateverTheOrderItWasGiven) {
    std::vector<CommandRow<Context>> rows;
    for (const char* name : {"+QFUPL", "E", "+CGSN", "I", "+QCOAPSEND", "+CGMI", "+A"}) {
        rows.push_back({.name = name});
    }
    const CommandTable<Context> table(std::move(rows));
    EXPECT_EQ(table.size(), 7U);
    for (const char* name : {"+QFUPL", "E", "+CGSN", "I", "+QCOAPSEND", "+CGMI", "+A"}) {
        const CommandRow<Context>* row = table.find(name);
        ASSERT_NE(row, nullptr) << name;
        EXPECT_EQ(row->name, name);
    }
    for (const char* name : {"", "+", "+B", "+CGS", "+CGSNX", "J", "+QFUPLX", "e"}) {
        EXPECT_EQ(table.find(name), nullptr) << name;
    }
}

TEST(DispatcherTable, TwoRowsOfOneNameAreRefused) {
    std::vector<CommandRow<Context>> rows;
    rows.push_back(cmee_row());
    rows.push_back(send_row());
    rows.push_back(cmee_row());
    try {
        const CommandTable<Context> table(std::move(rows));
        FAIL() << "a table with two +CMEE rows was built";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("+CMEE"), std::string::npos);
    }
}

// A fleet's modems share one table: each dispatcher keeps its own line, pending phase and
// context, and the handlers act on the context of the dispatcher that runs them.
TEST(DispatcherTable, DispatchersSharingATableKeepTheirOwnLinesAndContexts) {
    Context first;
    Context second;
    Dispatcher<Context> a(test_table(), first);
    Dispatcher<Context> b(test_table(), second);
    std::unique_ptr<DataPhase> phase = a.run_line("AT+QCOAPSEND=0;+CMEE=2", at_ms(1));
    ASSERT_TRUE(phase);
    EXPECT_EQ(output_of(first.responder), "\r\n> ");
    EXPECT_FALSE(b.run_line("AT+CMEE=0;+CMEE?", at_ms(2)));
    EXPECT_EQ(output_of(second.responder), "\r\n+CMEE: 0\r\n\r\nOK\r\n");
    EXPECT_FALSE(a.finish_phase(Outcome::ok(), at_ms(3)));  // the rest of a's own line
    EXPECT_EQ(output_of(first.responder), "\r\nOK\r\n");
    EXPECT_EQ(first.cmee, 2);
    EXPECT_EQ(second.cmee, 0);
    EXPECT_EQ(first.handler_time, at_ms(1));
    EXPECT_EQ(second.handler_time, TimePoint{});
}

TEST_F(DispatcherTest, ASyntaxErrorAnswersErrorAndLogs) {
    EXPECT_EQ(run("AT+CMEE=\"1"), "\r\nERROR\r\n");
    EXPECT_EQ(logger.lines.size(), 1u);
}

}  // namespace
}  // namespace atcoap::at
