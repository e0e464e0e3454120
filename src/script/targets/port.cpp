// `atcoap script --serial DEV [--baud N]` and `--pty PATH` (docs/SCRIPTS.md): whatever answers on
// a terminal, a real module or another atcoap, driven in real time. A serial device and a
// pseudo-terminal are both terminals, so one path serves both: open, raw 8N1 without flow
// control, the speed when one is given, and the input that waited before the run thrown away.

#include "io/port.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <asio/serial_port.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "script/run.hpp"
#include "script/targets/realtime.hpp"

namespace atcoap::script {
namespace {

std::string errno_text(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

/// Raw mode as cfmakeraw(3) sets it (no echo, no line editing, no signals from keys, no CR/NL
/// translation, 8 bits, no parity), one stop bit, no hardware or software flow control, and
/// the modem lines ignored (CLOCAL): a module's UART as its manual configures it.
Status<std::string> make_raw(int fd, const std::string& path) {
    termios settings{};
    if (::tcgetattr(fd, &settings) != 0) {
        return fail(errno_text(path + " is not a terminal"));
    }
    ::cfmakeraw(&settings);
    settings.c_cflag |= static_cast<tcflag_t>(CLOCAL | CREAD);
    settings.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | CRTSCTS);
    settings.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    settings.c_cc[VMIN] = 1;
    settings.c_cc[VTIME] = 0;
    if (::tcsetattr(fd, TCSANOW, &settings) != 0) {
        return fail(errno_text("setting raw mode on " + path));
    }
    return Done{};
}

/// Opens `port` as a raw terminal on `serial`; the reason when it cannot.
Status<std::string> open_terminal(asio::serial_port& serial, const PortTarget& port) {
    if (port.baud == 0u) {
        // B0 is no speed: it drops DTR, which hangs the line up.
        return fail(port.path + ": 0 baud would hang the line up; give a speed such as 115200");
    }
    const int fd = ::open(port.path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        return fail(errno_text("cannot open " + port.path));
    }
    if (auto raw = make_raw(fd, port.path); !raw) {
        ::close(fd);
        return raw;
    }
    std::error_code error;
    serial.assign(fd, error);
    if (error) {
        ::close(fd);
        return fail("cannot watch " + port.path + ": " + error.message());
    }
    if (port.baud) {
        serial.set_option(asio::serial_port::baud_rate(*port.baud), error);
        if (error) {
            return fail(port.path + ": cannot set " + std::to_string(*port.baud) +
                        " baud: " + error.message());
        }
    }
    // What the target said before the script started (a start-up banner, an earlier session's
    // leftovers) is not the answer to any step.
    if (::tcflush(fd, TCIFLUSH) != 0) {
        return fail(errno_text("discarding the input of " + port.path));
    }
    return Done{};
}

}  // namespace

RunResult run_port(const Script& script, Variables variables, const PortTarget& port,
                   const OnStep& on_step) {
    const auto began = std::chrono::steady_clock::now();
    asio::io_context context;
    asio::serial_port serial(context);
    if (auto opened = open_terminal(serial, port); !opened) {
        return target_failed(opened.error());
    }
    RealTimeRun run(context, script, std::move(variables), nullptr, on_step);
    io::ReadLoop<asio::serial_port> reader(
        serial, [&run](ByteView bytes) { run.on_output(bytes); },
        [&run, &port](std::error_code error) {
            // A terminal has no end of file: zero bytes means it went away (hung up, unplugged).
            run.on_target_failed(port.path + " closed" +
                                 (error ? ": " + error.message() : std::string()));
        });
    io::WriteQueue<asio::serial_port> writer(serial, [&run, &port](std::error_code error) {
        if (error) {
            run.on_target_failed("writing " + port.path + ": " + error.message());
        }
    });
    reader.start();
    RunResult result = run.run([&writer](Bytes bytes) { writer.push(std::move(bytes)); }, began);
    reader.stop();
    writer.clear();
    std::error_code ignored;
    serial.close(ignored);
    return result;
}

}  // namespace atcoap::script
