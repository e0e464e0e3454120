// The shell over a serial device; the device here is the slave of a test-made pseudo-terminal,
// which accepts every termios setting a UART does.

#include "io/serial_port.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>

#include "fake_host_core.hpp"
#include "io/shell.hpp"

namespace atcoap::io {
namespace {

using namespace std::chrono_literals;
using testing::CapturingLogger;
using testing::FakeCore;
using testing::Fd;
using testing::FdReader;

constexpr auto kBound = 5s;

TEST(ShellOverSerial, ServesAHostOnTheOtherEndOfTheLine) {
    Fd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    ASSERT_GE(master.get(), 0);
    ASSERT_EQ(::grantpt(master.get()), 0);
    ASSERT_EQ(::unlockpt(master.get()), 0);
    char path[128] = {};
    ASSERT_EQ(::ptsname_r(master.get(), path, sizeof(path)), 0);
    PortOptions options;
    options.kind = PortKind::Serial;
    options.serial_device = path;
    options.serial_baud = 115200;
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, options, log);
    ASSERT_TRUE(shell.open());

    // The device side is raw now: Ctrl+Z and CR arrive as they are.
    FdReader reader(master.get());
    ASSERT_EQ(::write(master.get(), "at\x1a\r", 4), 4);
    EXPECT_TRUE(shell.run_until([&] { return reader.has("AT\x1a\r"); }, kBound));
    EXPECT_EQ(core.received, "at\x1a\r");
    EXPECT_EQ(reader.text, "AT\x1a\r");
}

TEST(ShellOverSerial, RunExitsOneWhenTheDeviceCannotBeOpened) {
    PortOptions options;
    options.kind = PortKind::Serial;
    options.serial_device = "/dev/atcoap-no-such-device";
    FakeCore core;
    CapturingLogger log;
    Shell shell(core, options, log);
    EXPECT_EQ(shell.run(), 1);
    EXPECT_TRUE(log.contains("cannot open /dev/atcoap-no-such-device"));
}

}  // namespace
}  // namespace atcoap::io
