#include "io/stdio_port.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstring>

namespace atcoap::io {

namespace {

std::string errno_text(const char* what) {
    return std::string(what) + ": " + std::strerror(errno);
}

// Asio puts the descriptors in non-blocking mode, which the open file description shares with
// the shell that started us: put the flags back, or its next read from the terminal fails.
void restore_flags(int fd, int& saved) {
    if (saved >= 0 && ::fcntl(fd, F_GETFL) != saved) {
        ::fcntl(fd, F_SETFL, saved);
    }
    saved = -1;
}

}  // namespace

StdioPort::StdioPort(asio::io_context& context, int in_fd, int out_fd, Logger& log)
    : in_fd_(in_fd),
      out_fd_(out_fd),
      log_(log),
      in_(context),
      out_(context),
      reader_(
          in_, [this](ByteView bytes) { events_->on_port_bytes(bytes); },
          [this](std::error_code error) { events_->on_port_end(error); }),
      writer_(out_, [this](std::error_code error) {
          if (error) {
              log_.log(LogLevel::Error, "writing the AT port: " + error.message());
              events_->on_port_end(error);
          } else {
              events_->on_port_drained();
          }
      }) {}

StdioPort::~StdioPort() {
    close();
}

Status<std::string> StdioPort::assign(Descriptor& descriptor, int fd, int& saved_flags) {
    saved_flags = ::fcntl(fd, F_GETFL);
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (saved_flags < 0 || copy < 0) {
        return fail(errno_text("duplicating a standard fd"));
    }
    std::error_code error;
    descriptor.assign(copy, error);
    if (error) {
        ::close(copy);
        return fail("watching a standard fd: " + error.message());
    }
    return Done{};
}

Status<std::string> StdioPort::open(PortEvents& events) {
    events_ = &events;
    if (::isatty(in_fd_) == 1) {
        auto raw = RawMode::enter(in_fd_, RawMode::Interrupt::KeepCtrlC);
        if (!raw) {
            // Still usable, only Ctrl+Z and ESC may not arrive: warn and go on.
            log_.log(LogLevel::Warn,
                     "cannot put the terminal in raw mode: " + raw.error().message());
        } else {
            raw_ = std::move(raw).value();
        }
    }
    if (auto in = assign(in_, in_fd_, in_flags_); !in) {
        close();
        return in;
    }
    if (auto out = assign(out_, out_fd_, out_flags_); !out) {
        close();
        return out;
    }
    reader_.start();
    return Done{};
}

void StdioPort::write(Bytes bytes) {
    writer_.push(std::move(bytes));
}

void StdioPort::close() {
    reader_.stop();
    writer_.clear();
    std::error_code ignored;
    in_.close(ignored);
    out_.close(ignored);
    restore_flags(in_fd_, in_flags_);
    restore_flags(out_fd_, out_flags_);
    raw_.restore();
}

}  // namespace atcoap::io
