#include "io/stderr_logger.hpp"

#include <unistd.h>

#include <utility>

namespace atcoap::io {

namespace {

void write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t wrote = ::write(fd, text.data() + done, text.size() - done);
        if (wrote <= 0) {
            return;  // nowhere left to report to
        }
        done += static_cast<std::size_t>(wrote);
    }
}

}  // namespace

StderrLogger::StderrLogger(std::string prefix, LogLevel minimum, int fd)
    : prefix_(std::move(prefix)), minimum_(minimum), fd_(fd) {}

void StderrLogger::log(LogLevel level, std::string_view line) {
    if (!enabled(level)) {
        return;
    }
    // A terminal may share stderr with a raw-mode stdin, where "\n" alone no longer returns the
    // cursor; "\r\n" reads right either way. One write per line keeps lines whole.
    const char* end = ::isatty(fd_) == 1 ? "\r\n" : "\n";
    write_all(fd_, prefix_ + std::string(line) + end);
}

}  // namespace atcoap::io
