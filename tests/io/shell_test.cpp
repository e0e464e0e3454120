// The shell over the stdio port, with pipes for the host's two ends: the read/drain/write cycle,
// the timer, and the end of input.

#include "io/shell.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <csignal>

#include "fake_host_core.hpp"
#include "io/clock.hpp"

namespace atcoap::io {
namespace {

using namespace std::chrono_literals;
using testing::CapturingLogger;
using testing::FakeCore;
using testing::Fd;
using testing::FdReader;
using testing::StdioHost;

constexpr auto kBound = 5s;  // generous: every wait below ends on an event long before

TEST(ShellOverStdio, PassesHostBytesToTheCoreAndWritesItsAnswerBack) {
    StdioHost host;
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    FdReader reader(host.from_modem.get());

    host.send("at+qcoapcfg?\r");
    EXPECT_TRUE(shell.run_until([&] { return reader.has("AT+QCOAPCFG?\r"); }, kBound));
    EXPECT_EQ(core.received, "at+qcoapcfg?\r");
    EXPECT_FALSE(shell.exit_code());
}

TEST(ShellOverStdio, KeepsTheOrderOfManyWritesInFlight) {
    StdioHost host;
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    FdReader reader(host.from_modem.get());

    std::string expected;
    for (int i = 0; i < 50; ++i) {
        const std::string line = "line" + std::to_string(i) + "\r\n";
        host.send(line);
        expected += line;
    }
    std::string upper = expected;
    for (char& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    EXPECT_TRUE(shell.run_until([&] { return reader.has(upper); }, kBound));
    EXPECT_EQ(reader.text, upper);
}

TEST(ShellOverStdio, ExitsZeroAtEndOfInputOnceTheOutputIsFlushed) {
    StdioHost host;
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    FdReader reader(host.from_modem.get());

    host.send("ati\r");
    host.to_modem.reset();
    EXPECT_TRUE(shell.run_until([&] { return shell.exit_code().has_value(); }, kBound));
    EXPECT_EQ(shell.exit_code(), 0);
    EXPECT_TRUE(reader.has("ATI\r"));
}

TEST(ShellOverStdio, RunReturnsZeroOnceAnInputThatAlreadyEndedIsServed) {
    StdioHost host;
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    FdReader reader(host.from_modem.get());
    host.send("at+qcoapopen=0\r");
    host.to_modem.reset();  // the input has ended before the loop starts: run() cannot hang

    EXPECT_EQ(shell.run(), 0);
    EXPECT_TRUE(reader.has("AT+QCOAPOPEN=0\r"));
}

TEST(ShellOverStdio, WaitsAtEndOfInputWhileTheCoreIsBusyUntilItsDeadline) {
    StdioHost host;
    FakeCore core;
    core.busy_until_deadline = true;
    const TimePoint deadline = monotonic_now() + 30ms;
    core.deadline_on_bytes = deadline;
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    FdReader reader(host.from_modem.get());

    host.send("at+qcoapsend\r");
    host.to_modem.reset();
    EXPECT_TRUE(shell.run_until([&] { return shell.exit_code().has_value(); }, kBound));
    EXPECT_EQ(shell.exit_code(), 0);
    ASSERT_EQ(core.timeouts.size(), 1u);
    EXPECT_GE(core.timeouts[0], deadline);
    // What the core said at its deadline still reached the host before the exit.
    EXPECT_TRUE(reader.has("AT+QCOAPSEND\rTIMEOUT\r\n"));
}

TEST(ShellOverStdio, DoesNotWaitAtEndOfInputForABusyCoreWithNoDeadline) {
    StdioHost host;
    FakeCore core;
    core.busy_always = true;
    CapturingLogger log;
    Shell shell(core, host.options(), log);

    host.to_modem.reset();
    EXPECT_TRUE(shell.run_until([&] { return shell.exit_code().has_value(); }, kBound));
    EXPECT_EQ(shell.exit_code(), 0);
    EXPECT_TRUE(core.timeouts.empty());
}

TEST(ShellTimer, CallsOnTimeoutAtEachDeadlineAndReArmsForTheNext) {
    StdioHost host;
    FakeCore core;
    const TimePoint first = monotonic_now() + 20ms;
    // Far enough apart that a loaded machine's late timer still tells the first from the second.
    const TimePoint second = first + 250ms;
    core.deadline = first;
    core.next_deadlines = {second};
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    FdReader reader(host.from_modem.get());

    EXPECT_TRUE(shell.run_until([&] { return core.timeouts.size() == 2; }, kBound));
    EXPECT_GE(core.timeouts[0], first);
    EXPECT_LT(core.timeouts[0], second);
    EXPECT_GE(core.timeouts[1], second);
    EXPECT_TRUE(shell.run_until([&] { return reader.has("TIMEOUT\r\nTIMEOUT\r\n"); }, kBound));
}

TEST(ShellTimer, FollowsADeadlineThatMovesLaterInsteadOfFiringTheOldOne) {
    StdioHost host;
    FakeCore core;
    core.deadline = monotonic_now() + 10ms;
    const TimePoint later = monotonic_now() + 60ms;
    core.deadline_on_bytes = later;
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    ASSERT_TRUE(shell.open());

    host.send("a");
    EXPECT_TRUE(shell.run_until([&] { return !core.timeouts.empty(); }, kBound));
    ASSERT_EQ(core.received, "a");
    EXPECT_GE(core.timeouts[0], later);
}

TEST(ShellTimer, ReArmsAtOnceForADeadlineThatMovesEarlier) {
    StdioHost host;
    FakeCore core;
    core.deadline = monotonic_now() + 60s;  // far beyond the bound: only a re-arm can fire
    const TimePoint sooner = monotonic_now() + 20ms;
    core.deadline_on_bytes = sooner;
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    ASSERT_TRUE(shell.open());

    host.send("a");
    EXPECT_TRUE(shell.run_until([&] { return !core.timeouts.empty(); }, kBound));
    ASSERT_FALSE(core.timeouts.empty());
    EXPECT_GE(core.timeouts[0], sooner);
}

TEST(ShellTimer, CallsNoTimeoutWhenTheDeadlineIsGoneBeforeTheArmedWaitEnds) {
    StdioHost host;
    FakeCore core;
    // Far enough out that the bytes below clear the deadline first, even on a loaded machine.
    const TimePoint first = monotonic_now() + 300ms;
    core.deadline = first;
    core.clear_deadline_on_bytes = true;
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    FdReader reader(host.from_modem.get());
    ASSERT_TRUE(shell.open());

    host.send("a");
    ASSERT_TRUE(shell.run_until([&] { return reader.has("A"); }, kBound));
    ASSERT_FALSE(core.deadline);
    // The wait armed for `first` may still end; the core, which no longer asks for time, must
    // not hear of it.
    EXPECT_FALSE(shell.run_until([&] { return !core.timeouts.empty(); }, 400ms));
    EXPECT_GT(monotonic_now(), first);
}

TEST(ShellOutboxes, HandsTheNetworkItsRequestsBeforeWritingHostOutput) {
    StdioHost host;
    FakeCore core;
    // A close of a socket that is not open: a request the network carries out at no cost.
    core.requests_on_bytes = {net::CloseSocket{net::SocketId{0, 1}}};
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    FdReader reader(host.from_modem.get());

    host.send("s");
    EXPECT_TRUE(shell.run_until([&] { return reader.has("S"); }, kBound));
    EXPECT_EQ(core.drained, (std::vector<std::string>{"network", "host"}));
}

TEST(ShellTimer, ArmsNoTimerWhenTheCoreHasNoDeadline) {
    StdioHost host;
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, host.options(), log);

    host.send("x");
    FdReader reader(host.from_modem.get());
    EXPECT_TRUE(shell.run_until([&] { return reader.has("X"); }, kBound));
    // Nothing but the host can wake the loop now: a short bounded run sees no timeout call.
    EXPECT_FALSE(shell.run_until([&] { return !core.timeouts.empty(); }, 30ms));
}

TEST(ShellOverStdio, ReadsARegularFileAsHostInput) {
    // A script redirected from a file: epoll cannot watch regular files, reads never block.
    Fd file(::memfd_create("host-script", MFD_CLOEXEC));
    ASSERT_GE(file.get(), 0);
    ASSERT_EQ(::write(file.get(), "at\r", 3), 3);
    ASSERT_EQ(::lseek(file.get(), 0, SEEK_SET), 0);
    StdioHost host;
    PortOptions options = host.options();
    options.stdin_fd = file.get();
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, options, log);
    FdReader reader(host.from_modem.get());

    EXPECT_TRUE(shell.run_until([&] { return shell.exit_code().has_value(); }, kBound));
    EXPECT_EQ(shell.exit_code(), 0);
    EXPECT_TRUE(reader.has("AT\r"));
}

TEST(ShellOverStdio, ExitsOneWhenTheHostStopsReadingItsOutput) {
    StdioHost host;
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    host.from_modem.reset();  // writing now fails with EPIPE

    host.send("at\r");
    EXPECT_TRUE(shell.run_until([&] { return shell.exit_code().has_value(); }, kBound));
    EXPECT_EQ(shell.exit_code(), 1);
    EXPECT_TRUE(log.contains("writing the AT port"));
}

TEST(ShellOverStdio, LeavesTheCallersFdsOpenAndBlockingAfterTheRun) {
    StdioHost host;
    FakeCore core;
    CapturingLogger log;
    {
        Shell shell(core, host.options(), log);
        ASSERT_TRUE(shell.open());
        EXPECT_NE(::fcntl(host.modem_in.get(), F_GETFL) & O_NONBLOCK, 0);
        host.to_modem.reset();
        EXPECT_TRUE(shell.run_until([&] { return shell.exit_code().has_value(); }, kBound));
    }
    EXPECT_EQ(::fcntl(host.modem_in.get(), F_GETFL) & O_NONBLOCK, 0);
    EXPECT_EQ(::fcntl(host.modem_out.get(), F_GETFL) & O_NONBLOCK, 0);
}

TEST(ShellSignals, SigtermEndsTheRunWithExitZero) {
    StdioHost host;
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    ASSERT_TRUE(shell.open());

    ASSERT_EQ(std::raise(SIGTERM), 0);
    EXPECT_TRUE(shell.run_until([&] { return shell.exit_code().has_value(); }, kBound));
    EXPECT_EQ(shell.exit_code(), 0);
    EXPECT_TRUE(log.contains("signal 15"));
}

}  // namespace
}  // namespace atcoap::io
