#include "cli/ctl.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/control.hpp"
#include "control/ctl_request.hpp"

namespace atcoap::cli {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

int complain(const std::string& what) {
    std::fprintf(stderr, "atcoap ctl: %s\n", what.c_str());
    return 1;
}

/// A connected socket to the control socket at `path`, or -1 with the reason in `error`. Only a
/// socket of this user is trusted: another user's file at a shared path could read commands.
int connect_to(const std::string& path, std::string& error) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        error = path + ": " + std::strerror(errno) + " (is atcoap running with --control?)";
        return -1;
    }
    if (!S_ISSOCK(info.st_mode) || info.st_uid != ::geteuid()) {
        error = path + ": not a socket of this user";
        return -1;
    }
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof(address.sun_path)) {
        error = path + ": path too long";
        return -1;
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        error = path + ": " + std::strerror(errno);
        if (fd >= 0) {
            ::close(fd);
        }
        return -1;
    }
    return fd;
}

/// Reads line by line from a socket, each wait bounded by a deadline (none: wait forever).
class LineReader {
  public:
    explicit LineReader(int fd) : fd_(fd) {}

    /// The next line without its '\n'; nullopt at end of file, on an error or past `deadline`.
    std::optional<std::string> next(std::optional<Clock::time_point> deadline) {
        while (true) {
            if (const auto end = buffer_.find('\n'); end != std::string::npos) {
                std::string line = buffer_.substr(0, end);
                buffer_.erase(0, end + 1);
                return line;
            }
            int wait = -1;
            if (deadline) {
                const auto left =
                    std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
                if (left.count() <= 0) {
                    timed_out_ = true;
                    return std::nullopt;
                }
                wait = static_cast<int>(left.count());
            }
            pollfd p{fd_, POLLIN, 0};
            const int ready = ::poll(&p, 1, wait);
            if (ready < 0 && errno == EINTR) {
                continue;
            }
            if (ready <= 0) {
                timed_out_ = ready == 0;
                return std::nullopt;
            }
            char chunk[4096];
            const ssize_t got = ::read(fd_, chunk, sizeof(chunk));
            if (got <= 0) {
                return std::nullopt;
            }
            buffer_.append(chunk, static_cast<std::size_t>(got));
        }
    }
    bool timed_out() const { return timed_out_; }

  private:
    int fd_;
    std::string buffer_;
    bool timed_out_ = false;
};

bool send_all(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

int stream_events(LineReader& reader) {
    while (const auto line = reader.next(std::nullopt)) {
        const json message = json::parse(*line, nullptr, false);
        if (message.is_object() && message.contains("event")) {
            std::printf("%s\n", line->c_str());
            std::fflush(stdout);
        }
    }
    return 0;  // the socket closed: atcoap ended
}

/// Waits for the reply to request 1, skipping events; prints it and gives the exit code.
int await_reply(LineReader& reader, Clock::time_point deadline, bool quitting) {
    while (const auto line = reader.next(deadline)) {
        const json reply = json::parse(*line, nullptr, false);
        if (!reply.is_object() || reply.contains("event")) {
            continue;
        }
        if (const auto error = reply.find("error"); error != reply.end()) {
            std::fprintf(stderr, "atcoap ctl: %s\n", error->value("desc", *line).c_str());
            return 1;
        }
        if (const auto value = reply.find("return"); value != reply.end()) {
            if (!(value->is_object() && value->empty())) {
                std::printf("%s\n",
                            value->dump(2, ' ', false, json::error_handler_t::replace).c_str());
            }
            return 0;
        }
    }
    if (quitting && !reader.timed_out()) {
        return 0;  // atcoap closed the socket as it ended
    }
    return complain(reader.timed_out() ? "no reply in time" : "the control socket closed");
}

}  // namespace

int run_ctl(const CtlCommandLine& line) {
    const bool events = line.words.size() == 1 && line.words[0] == "events";
    json request;
    if (!events) {
        auto built = control::ctl_request(line.words);
        if (!built) {
            std::fprintf(stderr, "%s\n", built.error().c_str());
            return 2;
        }
        request = std::move(*built);
    }
    const std::string path = line.socket.empty() ? default_control_path() : line.socket;
    std::string error;
    const int fd = connect_to(path, error);
    if (fd < 0) {
        return complain(error);
    }
    LineReader reader(fd);
    const auto deadline =
        Clock::now() + std::chrono::milliseconds(static_cast<long>(line.timeout * 1000));
    int code = 0;
    const auto greeting = reader.next(deadline);
    if (!greeting || !json::parse(*greeting, nullptr, false).contains("atcoap")) {
        code = complain(path + ": no greeting from atcoap");
    } else if (events) {
        code = stream_events(reader);
    } else if (!send_all(fd, request.dump() + "\n")) {
        code = complain(path + ": " + std::strerror(errno));
    } else {
        code = await_reply(reader, deadline, line.words[0] == "quit");
    }
    ::close(fd);
    return code;
}

}  // namespace atcoap::cli
