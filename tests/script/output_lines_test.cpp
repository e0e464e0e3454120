// The AT port's output as lines (script/output_lines.hpp, docs/SCRIPTS.md "Output lines"):
// every line end, the prompt, and both bounds driven past.

#include "script/output_lines.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "script/runner.hpp"

namespace atcoap::script {
namespace {

std::vector<std::string> unread(const OutputLines& lines) {
    std::vector<std::string> out;
    for (const auto& line : lines.pending()) {
        out.push_back(line.text);
    }
    return out;
}

std::vector<std::string> cut_whole(std::string_view bytes) {
    OutputLines lines(100, 1000);
    lines.feed(bytes, {});
    return unread(lines);
}

TEST(OutputLines, CutsAtCrLfAndCrLfAndSkipsEmptyLines) {
    EXPECT_EQ(cut_whole("\r\nOK\r\n"), (std::vector<std::string>{"OK"}));
    EXPECT_EQ(cut_whole("a\rb\nc\r\nd\n\r\r\n\ne"), (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(OutputLines, GivesTheSameLinesWhereverTheBytesAreSplit) {
    const std::string bytes = "AT+X\r\r\n+X: 1\r\n\r\nOK\r\n\r\n> ";
    const auto whole = cut_whole(bytes);
    EXPECT_EQ(whole, (std::vector<std::string>{"AT+X", "+X: 1", "OK", ">"}));
    for (std::size_t split = 0; split <= bytes.size(); ++split) {
        OutputLines lines(100, 1000);
        lines.feed(std::string_view(bytes).substr(0, split), {});
        lines.feed(std::string_view(bytes).substr(split), {});
        EXPECT_EQ(unread(lines), whole) << "split at " << split;
    }
}

TEST(OutputLines, APromptIsALineOnlyWhenItEndsTheOutputAtALineStart) {
    EXPECT_EQ(cut_whole("\r\n> "), (std::vector<std::string>{">"}));
    EXPECT_EQ(cut_whole("> Hello\r\n"), (std::vector<std::string>{"> Hello"}));
    OutputLines lines(100, 1000);
    lines.feed("a> ", {});
    EXPECT_TRUE(lines.pending().empty());
    EXPECT_EQ(lines.partial(), "a> ");
    lines.feed(">", {});
    lines.feed("", {});
    EXPECT_EQ(lines.partial(), "a> >");
}

TEST(OutputLines, TellsEachLineAndKeepsWhatTheFilterMakesOfIt) {
    OutputLines lines(100, 1000);
    std::vector<std::string> told;
    lines.feed("echo\r\nOK\r\n> x\r\n", [&](std::string& line) {
        told.emplace_back(line);
        if (line == "> x") {
            line = ">";
        }
        return line != "echo";
    });
    EXPECT_EQ(told, (std::vector<std::string>{"echo", "OK", "> x"}));
    EXPECT_EQ(unread(lines), (std::vector<std::string>{"OK", ">"}));
    EXPECT_EQ(lines.pending().front().seq, 1u);
}

TEST(OutputLines, ALongLineIsCutIntoPiecesOfTheLimit) {
    OutputLines lines(100, 4);
    lines.feed("abcdefghij\r\n", {});
    EXPECT_EQ(unread(lines), (std::vector<std::string>{"abcd", "efgh", "ij"}));
    // A piece cut for length is no line start: a `> ` after it is no prompt.
    lines.feed("wxyz> ", {});
    EXPECT_EQ(lines.partial(), "> ");
    EXPECT_EQ(lines.pending().back().text, "wxyz");
}

TEST(OutputLines, PastThePendingBoundTheOldestGoesAndIsCounted) {
    OutputLines lines(3, 100);
    lines.feed("1\n2\n3\n4\n5\n", {});
    EXPECT_EQ(unread(lines), (std::vector<std::string>{"3", "4", "5"}));
    EXPECT_EQ(lines.dropped(), 2u);
    EXPECT_EQ(lines.next_seq(), 5u);
    EXPECT_EQ(lines.from(0)->text, "3");
    EXPECT_EQ(lines.from(3)->text, "4");
    EXPECT_EQ(lines.from(5), lines.pending().end());
}

TEST(OutputLines, ErasingALineKeepsTheOthersInOrder) {
    OutputLines lines(10, 100);
    lines.feed("a\nb\nc\n", {});
    lines.erase(lines.from(1));
    EXPECT_EQ(unread(lines), (std::vector<std::string>{"a", "c"}));
    EXPECT_EQ(lines.from(1)->text, "c");
}

TEST(OutputLines, TheRealBoundsHold) {
    OutputLines lines(kMaxPendingLines, kMaxLineLength);
    lines.feed(std::string(kMaxLineLength + 1, 'x') + "\n", {});
    ASSERT_EQ(lines.pending().size(), 2u);
    EXPECT_EQ(lines.pending()[0].text.size(), kMaxLineLength);
    EXPECT_EQ(lines.pending()[1].text, "x");
    std::string many;
    for (std::size_t i = 0; i < kMaxPendingLines; ++i) {
        many += "l\n";
    }
    lines.feed(many, {});
    EXPECT_EQ(lines.pending().size(), kMaxPendingLines);
    EXPECT_EQ(lines.dropped(), 2u);
}

}  // namespace
}  // namespace atcoap::script
