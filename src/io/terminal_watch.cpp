#include "io/terminal_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace atcoap::io {

TerminalWatch::TerminalWatch(asio::io_context& context, std::function<void()> on_first_open,
                             std::function<void()> on_last_close)
    : notify_(context),
      on_first_open_(std::move(on_first_open)),
      on_last_close_(std::move(on_last_close)) {}

Status<std::string> TerminalWatch::start(const std::string& path) {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        return fail(std::string("inotify_init1: ") + std::strerror(errno));
    }
    if (::inotify_add_watch(fd, path.c_str(), IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) < 0) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        return fail("watching " + path + ": " + reason);
    }
    std::error_code error;
    notify_.assign(fd, error);
    if (error) {
        ::close(fd);
        return fail("watching " + path + ": " + error.message());
    }
    read_next();
    return Done{};
}

void TerminalWatch::stop() {
    std::error_code ignored;
    notify_.close(ignored);
}

void TerminalWatch::poll_now() {
    if (!notify_.is_open()) {
        return;
    }
    for (;;) {
        const ssize_t got = ::read(notify_.native_handle(), buffer_.data(), buffer_.size());
        if (got <= 0) {
            return;  // EAGAIN: nothing more queued (the descriptor is non-blocking)
        }
        on_events(static_cast<std::size_t>(got));
    }
}

void TerminalWatch::read_next() {
    notify_.async_read_some(asio::buffer(buffer_), [this, life = std::weak_ptr(life_)](
                                                       std::error_code error, std::size_t size) {
        if (life.expired() || error) {
            return;  // stopped, or the watch failed: the port then keeps every host's output
        }
        on_events(size);
        read_next();
    });
}

// One read holds whole events (the kernel never splits one); each open or close moves the count.
void TerminalWatch::on_events(std::size_t size) {
    std::size_t at = 0;
    while (at + sizeof(inotify_event) <= size) {
        inotify_event event{};
        std::memcpy(&event, buffer_.data() + at, sizeof event);
        at += sizeof(inotify_event) + event.len;
        if ((event.mask & IN_OPEN) != 0 && ++opens_ == 1) {
            on_first_open_();
        }
        if ((event.mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE)) != 0 && opens_ > 0 &&
            --opens_ == 0) {
            on_last_close_();
        }
    }
}

}  // namespace atcoap::io
