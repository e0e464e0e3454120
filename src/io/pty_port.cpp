#include "io/pty_port.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace atcoap::io {

namespace {

std::string errno_text(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

}  // namespace

PtyPort::PtyPort(asio::io_context& context, std::string link, Logger& log)
    : link_(std::move(link)),
      log_(log),
      master_(context),
      hosts_(
          context, [this] { on_host_opened(); }, [this] { on_host_gone(); }),
      reader_(
          master_,
          [this](ByteView bytes) {
              hosts_.poll_now();  // a host's open or close is applied before its bytes
              events_->on_port_bytes(bytes);
          },
          [this](std::error_code error) {
              // Cannot be EIO while slave_fd_ is open; anything else is the end of the port.
              events_->on_port_end(error ? error : std::make_error_code(std::errc::io_error));
          }),
      writer_(master_, [this](std::error_code error) {
          if (error) {
              log_.log(LogLevel::Error, "writing the pseudo-terminal: " + error.message());
              events_->on_port_end(error);
          } else {
              events_->on_port_drained();
          }
      }) {}

PtyPort::~PtyPort() {
    close();
}

Status<std::string> PtyPort::open_pair() {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) {
        return fail(errno_text("posix_openpt"));
    }
    std::error_code error;
    master_.assign(master, error);
    if (error) {
        ::close(master);
        return fail("watching the pseudo-terminal: " + error.message());
    }
    std::array<char, 128> path{};
    if (::grantpt(master) != 0 || ::unlockpt(master) != 0 ||
        ::ptsname_r(master, path.data(), path.size()) != 0) {
        return fail(errno_text("preparing the pseudo-terminal"));
    }
    slave_path_ = path.data();
    slave_fd_ = ::open(slave_path_.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave_fd_ < 0) {
        return fail(errno_text("opening " + slave_path_));
    }
    // The settings live with the terminal while slave_fd_ keeps it open, so every host that
    // opens the path later finds the raw line without configuring it.
    termios settings{};
    if (::tcgetattr(slave_fd_, &settings) != 0) {
        return fail(errno_text("reading the terminal settings"));
    }
    make_raw(settings);
    if (::tcsetattr(slave_fd_, TCSANOW, &settings) != 0) {
        return fail(errno_text("setting raw mode"));
    }
    return Done{};
}

Status<std::string> PtyPort::open(PortEvents& events) {
    events_ = &events;
    if (auto pair = open_pair(); !pair) {
        close();
        return pair;
    }
    if (!link_.empty()) {
        if (auto link = make_link(); !link) {
            close();
            return link;
        }
    }
    if (auto watching = hosts_.start(slave_path_); !watching) {
        // Not fatal: without the watch every host's output is kept, as before.
        log_.log(LogLevel::Warn, "cannot tell when a host opens the terminal: " + watching.error());
    }
    reader_.start();
    return Done{};
}

void PtyPort::on_host_opened() {
    log_.log(LogLevel::Info, "a host opened " + slave_path_);
    if (host_seen_) {
        discard_output();
        events_->on_host_attached();
    }
    host_seen_ = true;
}

void PtyPort::on_host_gone() {
    log_.log(LogLevel::Info, "the host closed " + slave_path_ +
                                 "; output is discarded until a host opens it again");
    discard_output();
}

// What the terminal holds for the host (written, not read) and what waits to be written.
void PtyPort::discard_output() {
    const bool was_writing = !writer_.idle();
    writer_.clear();
    ::tcflush(slave_fd_, TCIFLUSH);
    if (was_writing) {
        events_->on_port_drained();
    }
}

Status<std::string> PtyPort::make_link() {
    struct stat existing {};
    if (::lstat(link_.c_str(), &existing) == 0 && !S_ISLNK(existing.st_mode)) {
        return fail(link_ + " exists and is not a symbolic link; not replacing it");
    }
    // Create beside it, then rename over: the path never points nowhere in between.
    const std::string temporary = link_ + ".new" + std::to_string(::getpid());
    ::unlink(temporary.c_str());
    if (::symlink(slave_path_.c_str(), temporary.c_str()) != 0) {
        return fail(errno_text("creating the symbolic link " + temporary));
    }
    if (::rename(temporary.c_str(), link_.c_str()) != 0) {
        const std::string reason = errno_text("creating the symbolic link " + link_);
        ::unlink(temporary.c_str());
        return fail(reason);
    }
    linked_ = true;
    return Done{};
}

void PtyPort::remove_link() {
    if (!linked_) {
        return;
    }
    linked_ = false;
    // Only our own link: a second instance may have taken the name over since.
    std::array<char, 256> target{};
    const ssize_t size = ::readlink(link_.c_str(), target.data(), target.size() - 1);
    if (size > 0 && std::string(target.data(), static_cast<std::size_t>(size)) == slave_path_) {
        ::unlink(link_.c_str());
    }
}

void PtyPort::write(Bytes bytes) {
    if (host_seen_ && hosts_.open_count() == 0) {
        return;  // nobody listening
    }
    writer_.push(std::move(bytes));
}

void PtyPort::close() {
    hosts_.stop();
    reader_.stop();
    writer_.clear();
    remove_link();
    std::error_code ignored;
    master_.close(ignored);
    if (slave_fd_ >= 0) {
        ::close(slave_fd_);
        slave_fd_ = -1;
    }
}

}  // namespace atcoap::io
