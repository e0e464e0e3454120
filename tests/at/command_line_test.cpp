#include "at/command_line.hpp"

#include <gtest/gtest.h>

namespace atcoap::at {
namespace {

std::vector<Invocation> split(std::string_view line) {
    auto result = split_command_line(line);
    EXPECT_TRUE(result.ok()) << line;
    return result.ok() ? result.value() : std::vector<Invocation>{};
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
    EXPECT_FALSE(split_command_line("AT+QFDEL=\"abc").ok());
}

TEST(SplitCommandLine, RefusesAPlusWithoutName) {
    EXPECT_FALSE(split_command_line("AT+=1").ok());
}

TEST(SplitCommandLine, RefusesGarbageAfterAReadForm) {
    EXPECT_FALSE(split_command_line("AT+CMEE?x").ok());
}

TEST(SplitArguments, SplitsAtCommasOutsideQuotes) {
    auto args = split_arguments("0,\"a,b\",12");
    ASSERT_TRUE(args.ok());
    ASSERT_EQ(args->size(), 3u);
    EXPECT_EQ((*args)[0].text, "0");
    EXPECT_FALSE((*args)[0].quoted);
    EXPECT_EQ((*args)[1].text, "a,b");
    EXPECT_TRUE((*args)[1].quoted);
    EXPECT_EQ((*args)[2].text, "12");
}

TEST(SplitArguments, MarksEmptyPositionsAsAbsent) {
    auto args = split_arguments("1,,3");
    ASSERT_TRUE(args.ok());
    ASSERT_EQ(args->size(), 3u);
    EXPECT_FALSE((*args)[1].present);
}

TEST(SplitArguments, AnEmptyQuotedStringIsPresent) {
    auto args = split_arguments("\"\"");
    ASSERT_TRUE(args.ok());
    EXPECT_TRUE((*args)[0].quoted);
    EXPECT_TRUE((*args)[0].text.empty());
}

TEST(SplitArguments, RefusesTextAfterAClosingQuote) {
    EXPECT_FALSE(split_arguments("\"a\"b,1").ok());
    EXPECT_FALSE(split_arguments("a\"b").ok());
}

}  // namespace
}  // namespace atcoap::at
