#include "at/command_line.hpp"

#include <gtest/gtest.h>

namespace atcoap::at {
namespace {

/// An invocation with its own copies of the texts, which outlive the SplitLine they view.
struct Owned {
    std::string name;
    Form form = Form::Execute;
    std::string args;
};

std::vector<Owned> split(std::string_view line) {
    SplitLine out;
    EXPECT_TRUE(split_command_line(line, out).ok()) << line;
    std::vector<Owned> owned;
    for (const Invocation& command : out.commands) {
        owned.push_back({std::string(command.name), command.form, std::string(command.args)});
    }
    return owned;
}

bool splits(std::string_view line) {
    SplitLine out;
    return split_command_line(line, out).ok();
}

/// The texts view `text`, which the tests pass as string literals.
std::vector<RawArg> arguments(std::string_view text) {
    std::vector<RawArg> out;
    EXPECT_TRUE(split_arguments(text, out).ok()) << text;
    return out;
}

bool splits_arguments(std::string_view text) {
    std::vector<RawArg> out;
    return split_arguments(text, out).ok();
}

TEST(SplitCommandLine, BareAtHasNoCommands) {
    EXPECT_TRUE(split("AT").empty());
}

TEST(SplitCommandLine, ReadsTheFourFormsOfAnExtendedCommand) {
    const auto test = split("AT+QCOAPOPEN=?");
    const auto read = split("AT+QCOAPOPEN?");
    const auto write = split("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    const auto exec = split("AT+CSQ");
    ASSERT_EQ(test.size(), 1u);
    EXPECT_EQ(test[0].form, Form::Test);
    EXPECT_EQ(read[0].form, Form::Read);
    EXPECT_EQ(write[0].form, Form::Write);
    EXPECT_EQ(write[0].args, "0,\"127.0.0.1\",5683");
    EXPECT_EQ(exec[0].form, Form::Execute);
    EXPECT_EQ(exec[0].name, "+CSQ");
}

TEST(SplitCommandLine, NamesAreCaseInsensitiveButQuotedTextIsKept) {
    const auto commands = split("at+qfupl=\"UFS:a B.psk\",10");
    ASSERT_EQ(commands.size(), 1u);
    EXPECT_EQ(commands[0].name, "+QFUPL");
    EXPECT_EQ(commands[0].args, "\"UFS:a B.psk\",10");
}

TEST(SplitCommandLine, DropsSpacesOutsideQuotes) {
    const auto commands = split("AT + CMEE = 2");
    ASSERT_EQ(commands.size(), 1u);
    EXPECT_EQ(commands[0].name, "+CMEE");
    EXPECT_EQ(commands[0].args, "2");
}

TEST(SplitCommandLine, SplitsConcatenatedCommandsAtSemicolons) {
    const auto commands = split("AT+CMEE=2;+QCOAPOPEN?;E0");
    ASSERT_EQ(commands.size(), 3u);
    EXPECT_EQ(commands[0].name, "+CMEE");
    EXPECT_EQ(commands[1].name, "+QCOAPOPEN");
    EXPECT_EQ(commands[1].form, Form::Read);
    EXPECT_EQ(commands[2].name, "E");
    EXPECT_EQ(commands[2].args, "0");
}

TEST(SplitCommandLine, KeepsSemicolonsInsideQuotes) {
    const auto commands = split("AT+QFDEL=\"a;b\";+CSQ");
    ASSERT_EQ(commands.size(), 2u);
    EXPECT_EQ(commands[0].args, "\"a;b\"");
}

TEST(SplitCommandLine, ReadsBasicCommandsBackToBack) {
    const auto commands = split("ATE0I");
    ASSERT_EQ(commands.size(), 2u);
    EXPECT_EQ(commands[0].name, "E");
    EXPECT_EQ(commands[0].form, Form::Write);
    EXPECT_EQ(commands[1].name, "I");
    EXPECT_EQ(commands[1].form, Form::Execute);
}

TEST(SplitCommandLine, RefusesAnUnterminatedString) {
    EXPECT_FALSE(splits("AT+QFDEL=\"abc"));
}

TEST(SplitCommandLine, RefusesAPlusWithoutName) {
    EXPECT_FALSE(splits("AT+=1"));
}

TEST(SplitCommandLine, RefusesGarbageAfterAReadForm) {
    EXPECT_FALSE(splits("AT+CMEE?x"));
}

TEST(SplitCommandLine, AReusedSplitLineHoldsOnlyTheLatestLine) {
    SplitLine out;
    ASSERT_TRUE(split_command_line("AT+CMEE=2;+QCOAPOPEN?;E0", out).ok());
    ASSERT_TRUE(split_command_line("at+qcoapsend=0,0,1,1,0", out).ok());
    ASSERT_EQ(out.commands.size(), 1u);
    EXPECT_EQ(out.commands[0].name, "+QCOAPSEND");
    EXPECT_EQ(out.commands[0].args, "0,0,1,1,0");
}

TEST(SplitCommandLine, AFailedSplitLeavesNoCommandsOfAnEarlierLine) {
    SplitLine out;
    ASSERT_TRUE(split_command_line("AT+CMEE=2", out).ok());
    EXPECT_FALSE(split_command_line("AT+CMEE?x", out).ok());
    EXPECT_TRUE(out.commands.empty());
}

TEST(SplitArguments, ReplacesWhatTheVectorHeldBefore) {
    std::vector<RawArg> out;
    ASSERT_TRUE(split_arguments("1,2,3", out).ok());
    ASSERT_TRUE(split_arguments("\"x\"", out).ok());
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].text, "x");
}

TEST(SplitArguments, SplitsAtCommasOutsideQuotes) {
    const auto args = arguments("0,\"a,b\",12");
    ASSERT_EQ(args.size(), 3u);
    EXPECT_EQ(args[0].text, "0");
    EXPECT_FALSE(args[0].quoted);
    EXPECT_EQ(args[1].text, "a,b");
    EXPECT_TRUE(args[1].quoted);
    EXPECT_EQ(args[2].text, "12");
}

TEST(SplitArguments, MarksEmptyPositionsAsAbsent) {
    const auto args = arguments("1,,3");
    ASSERT_EQ(args.size(), 3u);
    EXPECT_FALSE(args[1].present);
}

TEST(SplitArguments, AnEmptyQuotedStringIsPresent) {
    const auto args = arguments("\"\"");
    ASSERT_EQ(args.size(), 1u);
    EXPECT_TRUE(args[0].quoted);
    EXPECT_TRUE(args[0].text.empty());
}

TEST(SplitArguments, RefusesTextAfterAClosingQuote) {
    EXPECT_FALSE(splits_arguments("\"a\"b,1"));
    EXPECT_FALSE(splits_arguments("a\"b"));
}

}  // namespace
}  // namespace atcoap::at
