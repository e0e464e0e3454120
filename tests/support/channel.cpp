#include "support/channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <utility>

namespace atcoap::test {

namespace {

using Clock = std::chrono::steady_clock;

/// Milliseconds left until `deadline`, for poll(); 0 once it has passed.
int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(left);
}

/// Waits until `fd` is ready for `events` or `deadline` passes; true when ready (or hung up).
bool poll_until(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd entry{fd, events, 0};
        const int ready = ::poll(&entry, 1, remaining_ms(deadline));
        if (ready > 0) {
            return true;
        }
        if (ready == 0 || errno != EINTR) {
            return false;
        }
    }
}

}  // namespace

Channel::Channel(int fd) : fd_(fd) {
    // Our end only: the peer holds its own open file description, which stays blocking.
    if (fd_ >= 0) {
        ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    }
}

Channel::~Channel() {
    close();
}

Channel::Channel(Channel&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), unread_(std::move(other.unread_)), ended_(other.ended_) {}

Channel& Channel::operator=(Channel&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = std::exchange(other.fd_, -1);
        unread_ = std::move(other.unread_);
        ended_ = other.ended_;
    }
    return *this;
}

void Channel::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

bool Channel::write_all(std::string_view data, Millis bound) {
    // Write first and poll only when the peer is behind: a write that fits costs one call.
    const auto deadline = Clock::now() + bound;
    while (!data.empty()) {
        if (fd_ < 0) {
            return false;
        }
        const ssize_t written = ::write(fd_, data.data(), data.size());
        if (written > 0) {
            data.remove_prefix(static_cast<std::size_t>(written));
            continue;
        }
        const bool retry = written < 0 && (errno == EINTR ||
                                           (errno == EAGAIN && poll_until(fd_, POLLOUT, deadline)));
        if (!retry) {
            return false;
        }
    }
    return true;
}

bool Channel::read_some(Deadline deadline) {
    if (fd_ < 0 || ended_ || !poll_until(fd_, POLLIN, deadline)) {
        return false;
    }
    std::array<char, 4096> buffer{};
    const ssize_t got = ::read(fd_, buffer.data(), buffer.size());
    if (got > 0) {
        unread_.append(buffer.data(), static_cast<std::size_t>(got));
        return true;
    }
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
        return true;
    }
    // End of file, or EIO from a pseudo-terminal whose other side is gone.
    ended_ = true;
    return false;
}

void Channel::read_available() {
    const auto now = Clock::now();
    for (std::size_t before = unread_.size(); read_some(now) && unread_.size() > before;
         before = unread_.size()) {
    }
}

bool Channel::wait_for(std::string_view pattern, Millis bound) {
    const auto deadline = Clock::now() + bound;
    while (unread_.find(pattern) == std::string::npos) {
        if (!read_some(deadline)) {
            return false;
        }
    }
    return true;
}

bool Channel::wait_for_size(std::size_t count, Millis bound) {
    const auto deadline = Clock::now() + bound;
    while (unread_.size() < count) {
        if (!read_some(deadline)) {
            return false;
        }
    }
    return true;
}

bool Channel::wait_for_end(Millis bound) {
    const auto deadline = Clock::now() + bound;
    while (!ended_) {
        if (!read_some(deadline) && !ended_) {
            return false;
        }
    }
    return true;
}

std::string Channel::take_through(std::string_view pattern) {
    const auto at = unread_.find(pattern);
    if (at == std::string::npos) {
        return take_all();
    }
    std::string taken = unread_.substr(0, at + pattern.size());
    unread_.erase(0, at + pattern.size());
    return taken;
}

std::string Channel::take_all() {
    return std::exchange(unread_, std::string());
}

void Channel::consume(std::size_t count) {
    unread_.erase(0, count);
}

}  // namespace atcoap::test
