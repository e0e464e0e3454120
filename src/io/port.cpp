#include "io/port.hpp"

#include <cerrno>

#include "io/pty_port.hpp"
#include "io/serial_port.hpp"
#include "io/stdio_port.hpp"
#include "io/tcp_port.hpp"

namespace atcoap::io {

std::unique_ptr<Port> make_port(asio::io_context& context, const PortOptions& options,
                                Logger& log) {
    switch (options.kind) {
        case PortKind::Pty:
            return std::make_unique<PtyPort>(context, options.pty_link, log);
        case PortKind::Tcp:
            return std::make_unique<TcpPort>(context, options.tcp_host, options.tcp_port, log);
        case PortKind::Serial:
            return std::make_unique<SerialPort>(context, options.serial_device, options.serial_baud,
                                                log);
        case PortKind::Stdio:
            break;
    }
    return std::make_unique<StdioPort>(context, options.stdin_fd, options.stdout_fd, log);
}

void make_raw(termios& settings) {
    settings.c_iflag &= ~static_cast<tcflag_t>(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
                                               ICRNL | IXON | IXOFF);
    settings.c_oflag &= ~static_cast<tcflag_t>(OPOST);
    settings.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    settings.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB);
    settings.c_cflag |= static_cast<tcflag_t>(CS8);
    // Every read returns as soon as one byte is there: the modem frames the stream itself.
    settings.c_cc[VMIN] = 1;
    settings.c_cc[VTIME] = 0;
}

void keep_interrupt_key(termios& settings) {
    settings.c_lflag |= static_cast<tcflag_t>(ISIG);
    settings.c_cc[VSUSP] = _POSIX_VDISABLE;
    settings.c_cc[VQUIT] = _POSIX_VDISABLE;
}

Result<RawMode, std::error_code> RawMode::enter(int fd, Interrupt interrupt) {
    termios saved{};
    if (::tcgetattr(fd, &saved) != 0) {
        return fail(std::error_code(errno, std::generic_category()));
    }
    termios raw = saved;
    make_raw(raw);
    if (interrupt == Interrupt::KeepCtrlC) {
        keep_interrupt_key(raw);
    }
    if (::tcsetattr(fd, TCSANOW, &raw) != 0) {
        return fail(std::error_code(errno, std::generic_category()));
    }
    return RawMode(fd, saved);
}

RawMode::RawMode(RawMode&& other) noexcept : fd_(other.fd_), saved_(other.saved_) {
    other.fd_ = -1;
}

RawMode& RawMode::operator=(RawMode&& other) noexcept {
    if (this != &other) {
        restore();
        fd_ = other.fd_;
        saved_ = other.saved_;
        other.fd_ = -1;
    }
    return *this;
}

RawMode::~RawMode() {
    restore();
}

void RawMode::restore() {
    if (fd_ >= 0) {
        // TCSANOW, not TCSADRAIN: waiting for a host that stopped reading could hang the exit.
        ::tcsetattr(fd_, TCSANOW, &saved_);
        fd_ = -1;
    }
}

}  // namespace atcoap::io
