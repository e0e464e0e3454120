#include "exchange_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace atcoap::bench {

namespace {

std::string errno_text(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

void close_fd(int& fd) {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

// The file actions that put our pipe ends on the child's 0 and 1 (dup2 clears close-on-exec
// on the copy, so only these two reach the program) and its standard error where asked.
bool prepare_actions(posix_spawn_file_actions_t& actions, int in_read, int out_write,
                     Child::Stderr stderr_to) {
    bool ok = posix_spawn_file_actions_adddup2(&actions, in_read, STDIN_FILENO) == 0 &&
              posix_spawn_file_actions_adddup2(&actions, out_write, STDOUT_FILENO) == 0;
    if (ok && stderr_to == Child::Stderr::Discard) {
        ok = posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0) ==
             0;
    }
    return ok;
}

}  // namespace

bool ChildEnd::exited_zero() const {
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

Result<Child, std::string> Child::start(const std::vector<std::string>& argv, Stderr stderr_to) {
    int to_child[2] = {-1, -1};
    int from_child[2] = {-1, -1};
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) {
        close_fd(to_child[0]);
        close_fd(to_child[1]);
        return fail(errno_text("pipe2"));
    }
    std::vector<char*> args;
    for (const std::string& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));  // posix_spawn's signature, not ours
    }
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    pid_t pid = -1;
    int error = EINVAL;
    if (prepare_actions(actions, to_child[0], from_child[1], stderr_to)) {
        error = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    }
    posix_spawn_file_actions_destroy(&actions);
    close_fd(to_child[0]);
    close_fd(from_child[1]);
    if (error != 0) {
        close_fd(to_child[1]);
        close_fd(from_child[0]);
        return fail("cannot start " + argv[0] + ": " + std::strerror(error));
    }
    return Child(pid, to_child[1], from_child[0]);
}

Child::Child(Child&& other) noexcept
    : pid_(other.pid_), in_(other.in_), out_(other.out_), end_(other.end_) {
    other.pid_ = -1;
    other.in_ = -1;
    other.out_ = -1;
}

Child::~Child() {
    if (pid_ > 0 && !end_) {
        stop(SIGKILL, std::chrono::milliseconds(2000));
    }
    close_fd(in_);
    close_fd(out_);
}

bool Child::write_all(std::string_view bytes) {
    return write_all_to(in_, bytes);
}

bool write_all_to(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t wrote = ::write(fd, bytes.data(), bytes.size());
        if (wrote < 0 && errno == EINTR) {
            continue;
        }
        if (wrote <= 0) {
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(wrote));
    }
    return true;
}

bool Child::read_some(std::string& buffer, Clock::time_point deadline) {
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() < 0) {
            return false;
        }
        pollfd poll_fd{out_, POLLIN, 0};
        const int ready = ::poll(&poll_fd, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            return false;
        }
        char chunk[4096];
        const ssize_t got = ::read(out_, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            output_ended_ = true;  // end of its output, or a broken pipe
            return false;
        }
        buffer.append(chunk, static_cast<std::size_t>(got));
        return true;
    }
}

void Child::close_input() {
    close_fd(in_);
}

std::optional<ChildEnd> Child::try_reap() {
    if (end_) {
        return end_;
    }
    int status = 0;
    const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
    if (reaped == pid_) {
        end_ = ChildEnd{status};
    } else if (reaped < 0) {
        end_ = ChildEnd{-1};  // not our child any more: nothing left to wait for
    }
    return end_;
}

ChildEnd Child::finish(std::chrono::milliseconds bound) {
    if (pid_ <= 0) {
        return ChildEnd{-1};
    }
    const auto deadline = Clock::now() + bound;
    while (Clock::now() < deadline) {
        if (auto end = try_reap()) {
            return *end;
        }
        // Only the end of a child is polled this way, never an exchange.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(pid_, SIGKILL);
    int status = 0;
    end_ = ChildEnd{::waitpid(pid_, &status, 0) == pid_ ? status : -1};
    return *end_;
}

ChildEnd Child::stop(int signal, std::chrono::milliseconds bound) {
    if (pid_ > 0 && !try_reap()) {
        ::kill(pid_, signal);
    }
    return finish(bound);
}

namespace {

// The values of `keys` ("Name:" then a number of kB) in a /proc file, in order; nullopt unless
// every key was found.
template <std::size_t N>
std::optional<std::array<long, N>> proc_values(const std::string& path,
                                               const std::array<std::string_view, N>& keys) {
    std::ifstream file(path);
    std::array<long, N> values{};
    std::size_t found = 0;
    std::string line;
    while (std::getline(file, line)) {
        std::istringstream fields(line);
        std::string key;
        long kib = 0;
        fields >> key >> kib;
        for (std::size_t i = 0; i < N; ++i) {
            if (key == keys[i]) {
                values[i] = kib;
                ++found;
            }
        }
    }
    if (found != N) {
        return std::nullopt;
    }
    return values;
}

}  // namespace

std::optional<Memory> read_memory(pid_t pid) {
    const std::string proc = "/proc/" + std::to_string(pid);
    const auto status =
        proc_values<2>(proc + "/status", std::array<std::string_view, 2>{"VmRSS:", "VmHWM:"});
    const auto rollup = proc_values<2>(proc + "/smaps_rollup",
                                       std::array<std::string_view, 2>{"Pss:", "Anonymous:"});
    if (!status || !rollup) {
        return std::nullopt;
    }
    return Memory{(*status)[0], (*status)[1], (*rollup)[0], (*rollup)[1]};
}

std::optional<CpuTime> read_cpu(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/schedstat");
    CpuTime time;
    if (!(file >> time.on_cpu_ns >> time.waiting_ns)) {
        return std::nullopt;
    }
    return time;
}

std::string load_average() {
    std::ifstream file("/proc/loadavg");
    std::string one;
    std::string five;
    std::string fifteen;
    file >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

}  // namespace atcoap::bench
