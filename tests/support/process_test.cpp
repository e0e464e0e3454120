// The child-process runner, its channels and the temporary directory.

#include "support/process.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

#include "support/temp_dir.hpp"

namespace atcoap::test {
namespace {

constexpr Millis kBound{5000};

TEST(ChildProcess, EchoesThroughItsPipesAndExitsZeroAtTheEndOfInput) {
    std::string error;
    auto cat = ChildProcess::start("cat", {}, error);
    ASSERT_NE(cat, nullptr) << error;
    ASSERT_TRUE(cat->in().write_all("one\r\ntwo\r\n", kBound));
    ASSERT_TRUE(cat->out().wait_for("two\r\n", kBound)) << cat->out().unread();
    EXPECT_EQ(cat->out().take_through("\r\n"), "one\r\n");
    cat->out().consume(1);
    EXPECT_EQ(cat->out().take_all(), "wo\r\n");

    cat->in().close();
    const auto ended = cat->wait_exit(kBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_TRUE(ended->exited_zero());
}

TEST(ChildProcess, OnATerminalHasItsThreeStandardFdsOnOneTerminal) {
    std::string error;
    // A cooked terminal turns the LF of echo into CR LF (ONLCR): proof that it is one.
    auto sh = ChildProcess::start_on_terminal(
        "sh", {"-c", "test -t 0 && test -t 1 && test -t 2 && echo all three"}, error);
    ASSERT_NE(sh, nullptr) << error;
    EXPECT_TRUE(sh->out().wait_for("all three\r\n", kBound)) << sh->out().unread();
    const auto ended = sh->wait_exit(kBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_TRUE(ended->exited_zero());
}

TEST(ChildProcess, ReportsTheExitCodeAndKeepsWhatWasWrittenToStandardError) {
    std::string error;
    auto shell = ChildProcess::start("sh", {"-c", "echo oops >&2; exit 3"}, error);
    ASSERT_NE(shell, nullptr) << error;
    const auto ended = shell->wait_exit(kBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->code, 3);
    EXPECT_FALSE(ended->exited_zero());
    EXPECT_TRUE(shell->err().wait_for_end(kBound));
    EXPECT_EQ(shell->err().unread(), "oops\n");
}

TEST(ChildProcess, ReportsTheSignalThatEndedIt) {
    std::string error;
    auto cat = ChildProcess::start("cat", {}, error, ErrorOutput::Discard);
    ASSERT_NE(cat, nullptr) << error;
    EXPECT_LT(cat->err().fd(), 0);
    cat->send_signal(SIGKILL);
    const auto ended = cat->wait_exit(kBound);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->signal, SIGKILL);
    EXPECT_FALSE(ended->code.has_value());
}

TEST(ChildProcess, GivesUpWaitingAtTheBoundAndTheDestructorEndsTheChild) {
    std::string error;
    auto cat = ChildProcess::start("cat", {}, error);
    ASSERT_NE(cat, nullptr) << error;
    EXPECT_FALSE(cat->wait_exit(Millis{20}).has_value());
    EXPECT_TRUE(cat->alive());
    EXPECT_FALSE(cat->out().wait_for("never", Millis{20}));
    const pid_t pid = cat->pid();
    cat.reset();
    EXPECT_NE(::kill(pid, 0), 0);  // reaped: the pid names no process of ours any more
}

TEST(ChildProcess, NamesAProgramThatCannotStart) {
    std::string error;
    EXPECT_EQ(ChildProcess::start("/nonexistent/atcoap-program", {}, error), nullptr);
    EXPECT_NE(error.find("/nonexistent/atcoap-program"), std::string::npos) << error;
}

TEST(ChildProcess, WritingToAChildThatHasEndedFailsInsteadOfEndingTheCaller) {
    std::string error;
    auto shell = ChildProcess::start("sh", {"-c", "exit 0"}, error);
    ASSERT_NE(shell, nullptr) << error;
    ASSERT_TRUE(shell->wait_exit(kBound).has_value());
    EXPECT_FALSE(shell->in().write_all("AT\r\n", kBound));
}

TEST(TempDir, HoldsFilesAndIsRemovedWithThem) {
    std::filesystem::path path;
    {
        const TempDir dir;
        path = dir.path();
        ASSERT_TRUE(std::filesystem::is_directory(path));
        EXPECT_TRUE(dir.write_file("b", "bytes"));
        EXPECT_TRUE(dir.write_file(".hidden", ""));
        EXPECT_TRUE(dir.write_file("a", ""));
        EXPECT_EQ(dir.visible_entries(), (std::vector<std::string>{"a", "b"}));
        EXPECT_EQ(std::filesystem::file_size(path / "b"), 5U);
        EXPECT_FALSE(dir.write_file("missing/c", ""));
    }
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempDir, EachOneIsFresh) {
    const TempDir first;
    const TempDir second;
    EXPECT_NE(first.path(), second.path());
    EXPECT_TRUE(first.visible_entries().empty());
}

}  // namespace
}  // namespace atcoap::test
