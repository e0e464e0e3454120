// The shell over a pseudo-terminal: a host opens the slave path the shell announces.

#include "io/pty_port.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <csignal>
#include <filesystem>

#include "fake_host_core.hpp"
#include "io/clock.hpp"
#include "io/shell.hpp"
#include "support/temp_dir.hpp"

namespace atcoap::io {
namespace {

using namespace std::chrono_literals;
using testing::CapturingLogger;
using testing::FakeCore;
using testing::Fd;
using testing::FdReader;

constexpr auto kBound = 5s;

PortOptions pty_options(std::string link = {}) {
    PortOptions options;
    options.kind = PortKind::Pty;
    options.pty_link = std::move(link);
    return options;
}

int open_host(const std::string& path) {
    return ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
}

void send(const Fd& fd, std::string_view text) {
    ASSERT_EQ(::write(fd.get(), text.data(), text.size()), static_cast<ssize_t>(text.size()));
}

using test::TempDir;

TEST(ShellOverPty, AnswersAHostThatOpensTheSlave) {
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, pty_options(), log);
    ASSERT_TRUE(shell.open());
    EXPECT_EQ(shell.port_name().rfind("/dev/pts/", 0), 0u) << shell.port_name();

    Fd host(open_host(shell.port_name()));
    ASSERT_GE(host.get(), 0);
    FdReader reader(host.get());
    send(host, "at\r");
    EXPECT_TRUE(shell.run_until([&] { return reader.has("AT\r"); }, kBound));
    EXPECT_EQ(reader.text, "AT\r");  // and no echo from the terminal itself
    EXPECT_EQ(core.received, "at\r");
}

TEST(ShellOverPty, KeepsServingAfterTheHostClosesAndReopensTheSlave) {
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, pty_options(), log);
    ASSERT_TRUE(shell.open());

    for (int round = 0; round < 3; ++round) {
        Fd host(open_host(shell.port_name()));
        ASSERT_GE(host.get(), 0);
        FdReader reader(host.get());
        send(host, "ati" + std::to_string(round) + "\r");
        const std::string answer = "ATI" + std::to_string(round) + "\r";
        EXPECT_TRUE(shell.run_until([&] { return reader.has(answer); }, kBound)) << round;
    }
    EXPECT_FALSE(shell.exit_code());
}

TEST(ShellOverPty, KeepsWhatWasWrittenBeforeTheFirstHostForIt) {
    FakeCore core;
    core.on_host_bytes(as_bytes("rdy\r\n"), TimePoint{});  // the start-up banner
    CapturingLogger log;
    Shell shell(core, pty_options(), log);
    ASSERT_TRUE(shell.open());
    Fd host(open_host(shell.port_name()));
    ASSERT_GE(host.get(), 0);
    FdReader reader(host.get());
    EXPECT_TRUE(shell.run_until([&] { return reader.has("RDY\r\n"); }, kBound));
    EXPECT_EQ(core.hosts_attached, 0);  // the first host: nothing of an earlier one to drop
}

TEST(ShellOverPty, DiscardsOutputWhileNoHostIsAttachedAndStartsTheNextOneClean) {
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, pty_options(), log);
    ASSERT_TRUE(shell.open());
    {
        Fd first(open_host(shell.port_name()));
        ASSERT_GE(first.get(), 0);
        FdReader reader(first.get());
        core.deadline_on_bytes = monotonic_now() + 200ms;  // output later, with nobody there
        send(first, "half a li");
        ASSERT_TRUE(shell.run_until([&] { return reader.has("HALF A LI"); }, kBound));
    }
    ASSERT_TRUE(shell.run_until([&] { return log.count("output is discarded") > 0; }, kBound));
    ASSERT_TRUE(shell.run_until([&] { return !core.timeouts.empty(); }, kBound));

    Fd second(open_host(shell.port_name()));
    ASSERT_GE(second.get(), 0);
    FdReader reader(second.get());
    ASSERT_TRUE(shell.run_until([&] { return core.hosts_attached == 1; }, kBound));
    send(second, "at\r");
    EXPECT_TRUE(shell.run_until([&] { return reader.has("AT\r"); }, kBound));
    EXPECT_EQ(reader.text, "AT\r");  // not TIMEOUT, written while nobody listened
}

TEST(ShellOverPty, PassesEveryByteValueUnchangedBothWays) {
    FakeCore core;
    core.uppercase = false;
    CapturingLogger log;
    Shell shell(core, pty_options(), log);
    ASSERT_TRUE(shell.open());
    Fd host(open_host(shell.port_name()));
    ASSERT_GE(host.get(), 0);
    FdReader reader(host.get());

    std::string all;
    for (int value = 0; value < 256; ++value) {
        all.push_back(static_cast<char>(value));
    }
    send(host, all);
    // Ctrl+C, Ctrl+Z, XON/XOFF, CR, DEL and ESC would each be eaten or changed by a cooked line.
    EXPECT_TRUE(shell.run_until([&] { return reader.has(all); }, kBound));
    EXPECT_EQ(core.received, all);
    EXPECT_EQ(reader.text, all);
}

TEST(ShellOverPty, CreatesTheLinkAndRemovesItWhenTheRunEnds) {
    TempDir dir;
    const std::string link = dir.path() / "modem";
    FakeCore core;
    CapturingLogger log;
    {
        Shell shell(core, pty_options(link), log);
        ASSERT_TRUE(shell.open());
        EXPECT_EQ(std::filesystem::read_symlink(link), shell.port_name());

        Fd host(open_host(link));
        ASSERT_GE(host.get(), 0);
        FdReader reader(host.get());
        send(host, "at\r");
        EXPECT_TRUE(shell.run_until([&] { return reader.has("AT\r"); }, kBound));

        ASSERT_EQ(std::raise(SIGTERM), 0);
        EXPECT_TRUE(shell.run_until([&] { return shell.exit_code().has_value(); }, kBound));
        EXPECT_EQ(shell.exit_code(), 0);
        EXPECT_FALSE(std::filesystem::is_symlink(link));  // gone at the signal, not at exit
    }
    EXPECT_FALSE(std::filesystem::is_symlink(link));
}

TEST(ShellOverPty, ReplacesAStaleLinkLeftByAnEarlierRun) {
    TempDir dir;
    const std::string link = dir.path() / "modem";
    std::filesystem::create_symlink("/dev/pts/nonexistent", link);
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, pty_options(link), log);
    ASSERT_TRUE(shell.open());
    EXPECT_EQ(std::filesystem::read_symlink(link), shell.port_name());
}

TEST(ShellOverPty, RefusesToReplaceAFileThatIsNotALink) {
    TempDir dir;
    const std::string link = dir.path() / "notes.txt";
    Fd file(::open(link.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    ASSERT_GE(file.get(), 0);
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, pty_options(link), log);
    auto opened = shell.open();
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().find("not a symbolic link"), std::string::npos) << opened.error();
    EXPECT_TRUE(std::filesystem::is_regular_file(link));
    EXPECT_EQ(shell.run(), 1);
}

}  // namespace
}  // namespace atcoap::io
