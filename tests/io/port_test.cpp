// Raw tty mode, host:port parsing, the monotonic clock and the OS generator.

#include "io/port.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <set>

#include "fake_host_core.hpp"
#include "io/clock.hpp"
#include "io/shell.hpp"
#include "io/tcp_port.hpp"

namespace atcoap::io {
namespace {

using testing::CapturingLogger;
using testing::FakeCore;
using testing::Fd;
using testing::FdReader;

// A pseudo-terminal pair, so that raw mode is tried on a real terminal without touching ours.
struct PtyPair {
    PtyPair() {
        master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
        EXPECT_GE(master.get(), 0);
        EXPECT_EQ(::grantpt(master.get()), 0);
        EXPECT_EQ(::unlockpt(master.get()), 0);
        char path[128] = {};
        EXPECT_EQ(::ptsname_r(master.get(), path, sizeof(path)), 0);
        slave.reset(::open(path, O_RDWR | O_NOCTTY | O_CLOEXEC));
        EXPECT_GE(slave.get(), 0);
    }
    termios settings() const {
        termios now{};
        EXPECT_EQ(::tcgetattr(slave.get(), &now), 0);
        return now;
    }

    Fd master;
    Fd slave;
};

TEST(RawMode, TurnsOffSignalsLinesEchoAndTranslationOnATerminal) {
    PtyPair pty;
    auto raw = RawMode::enter(pty.slave.get());
    ASSERT_TRUE(raw);
    const termios now = pty.settings();
    EXPECT_EQ(now.c_lflag & (ISIG | ICANON | ECHO | IEXTEN), 0u);
    EXPECT_EQ(now.c_iflag & (ICRNL | IXON | ISTRIP | INLCR | IGNCR), 0u);
    EXPECT_EQ(now.c_oflag & OPOST, 0u);
    EXPECT_EQ(now.c_cflag & CSIZE, static_cast<tcflag_t>(CS8));
    EXPECT_EQ(now.c_cc[VMIN], 1);
    EXPECT_EQ(now.c_cc[VTIME], 0);
}

TEST(RawMode, PutsTheSettingsBackWhenDestroyed) {
    PtyPair pty;
    const termios before = pty.settings();
    ASSERT_NE(before.c_lflag & ICANON, 0u);  // a fresh terminal starts canonical
    {
        auto raw = RawMode::enter(pty.slave.get());
        ASSERT_TRUE(raw);
        RawMode moved = std::move(raw).value();  // the moved-from one must not restore early
        EXPECT_TRUE(moved.active());
        EXPECT_EQ(pty.settings().c_lflag & ICANON, 0u);
    }
    const termios after = pty.settings();
    EXPECT_EQ(after.c_iflag, before.c_iflag);
    EXPECT_EQ(after.c_oflag, before.c_oflag);
    EXPECT_EQ(after.c_cflag, before.c_cflag);
    EXPECT_EQ(after.c_lflag, before.c_lflag);
    EXPECT_EQ(0, std::memcmp(after.c_cc, before.c_cc, sizeof(before.c_cc)));
}

TEST(RawMode, FailsWithNotATerminalOnAPipe) {
    int ends[2];
    ASSERT_EQ(::pipe(ends), 0);
    Fd read_end(ends[0]);
    Fd write_end(ends[1]);
    auto raw = RawMode::enter(read_end.get());
    ASSERT_FALSE(raw);
    EXPECT_EQ(raw.error(), std::errc::inappropriate_io_control_operation);
}

TEST(StdioOnATerminal, IsRawWhileServingAndRestoredWhenASignalEndsTheRun) {
    PtyPair pty;
    const termios before = pty.settings();
    PortOptions options;
    options.stdin_fd = pty.slave.get();
    options.stdout_fd = pty.slave.get();
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, options, log);
    ASSERT_TRUE(shell.open());
    // Raw, except that Ctrl+C still interrupts; Ctrl+Z is not a suspend key.
    EXPECT_EQ(pty.settings().c_lflag & (ICANON | ECHO), 0u);
    EXPECT_NE(pty.settings().c_lflag & ISIG, 0u);
    EXPECT_EQ(pty.settings().c_cc[VSUSP], _POSIX_VDISABLE);

    // Ctrl+Z and ESC typed at the terminal reach the core instead of stopping the program.
    FdReader terminal(pty.master.get());
    ASSERT_EQ(::write(pty.master.get(), "\x1a\x1b\r", 3), 3);
    EXPECT_TRUE(
        shell.run_until([&] { return terminal.has("\x1a\x1b\r"); }, std::chrono::seconds(5)));
    EXPECT_EQ(core.received, "\x1a\x1b\r");

    ASSERT_EQ(std::raise(SIGINT), 0);
    EXPECT_TRUE(
        shell.run_until([&] { return shell.exit_code().has_value(); }, std::chrono::seconds(5)));
    EXPECT_EQ(shell.exit_code(), 0);
    const termios after = pty.settings();
    EXPECT_EQ(after.c_lflag, before.c_lflag);
    EXPECT_EQ(after.c_iflag, before.c_iflag);
    EXPECT_EQ(after.c_oflag, before.c_oflag);
}

TEST(MonotonicClock, ConvertsTimePointsToSteadyTimeExactly) {
    EXPECT_EQ(to_steady(at_ms(1234)).time_since_epoch(), std::chrono::milliseconds(1234));
    const TimePoint now = monotonic_now();
    EXPECT_LE(to_steady(now), std::chrono::steady_clock::now());
    EXPECT_LE(now, monotonic_now());
}

TEST(OsRandom, DrawsWordsThatDifferAcrossSeveralPoolRefills) {
    OsRandom random;
    std::set<std::uint32_t> seen;
    for (int i = 0; i < 300; ++i) {
        seen.insert(random.next_u32());
    }
    // 300 draws of 32 bits: a repeat is a one-in-ten-thousand event, a stuck source is not.
    EXPECT_GE(seen.size(), 299u);
}

}  // namespace
}  // namespace atcoap::io
