#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

namespace atcoap::e2e {

namespace {

using Clock = std::chrono::steady_clock;

/// Both ends close on exec; the child's copies on 0, 1 and 2 are made by dup2, which clears it.
bool make_pipe(std::array<int, 2>& ends) {
    return ::pipe2(ends.data(), O_CLOEXEC) == 0;
}

void close_pipes(std::array<std::array<int, 2>, 3>& pipes) {
    for (auto& ends : pipes) {
        for (int& fd : ends) {
            if (fd >= 0) {
                ::close(fd);
                fd = -1;
            }
        }
    }
}

/// In the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const std::array<std::array<int, 2>, 3>& pipes, char* const* argv) {
    ::dup2(pipes[0][0], STDIN_FILENO);
    ::dup2(pipes[1][1], STDOUT_FILENO);
    ::dup2(pipes[2][1], STDERR_FILENO);
    // The test ignores SIGPIPE; an ignored signal would survive exec and change the program.
    ::signal(SIGPIPE, SIG_DFL);
    ::execv(argv[0], argv);
    ::_exit(127);
}

}  // namespace

std::unique_ptr<ChildProcess> ChildProcess::start(const std::string& program,
                                                  const std::vector<std::string>& arguments,
                                                  std::string& error) {
    // A write to a child that died must fail with EPIPE, not end the test process.
    ::signal(SIGPIPE, SIG_IGN);
    std::vector<std::string> words{program};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& word : words) {
        argv.push_back(word.data());
    }
    argv.push_back(nullptr);

    std::array<std::array<int, 2>, 3> pipes{{{-1, -1}, {-1, -1}, {-1, -1}}};
    for (auto& ends : pipes) {
        if (!make_pipe(ends)) {
            error = std::string("pipe: ") + std::strerror(errno);
            close_pipes(pipes);
            return nullptr;
        }
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        error = std::string("fork: ") + std::strerror(errno);
        close_pipes(pipes);
        return nullptr;
    }
    if (pid == 0) {
        exec_child(pipes, argv.data());
    }
    // A descriptor that polls readable when the child exits (Linux 5.3), so that waiting for
    // the exit is one more event with a bound.
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    std::unique_ptr<ChildProcess> child(new ChildProcess(pid, pidfd, std::exchange(pipes[0][1], -1),
                                                         std::exchange(pipes[1][0], -1),
                                                         std::exchange(pipes[2][0], -1)));
    close_pipes(pipes);
    return child;
}

ChildProcess::ChildProcess(pid_t pid, int pidfd, int in, int out, int err)
    : pid_(pid), pidfd_(pidfd), stdin_(in), stdout_(out), stderr_(err) {}

ChildProcess::~ChildProcess() {
    if (alive()) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    ::close(pidfd_);
}

void ChildProcess::send_signal(int signal) {
    if (alive()) {
        ::kill(pid_, signal);
    }
}

bool ChildProcess::try_reap() {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) {
        return false;
    }
    ExitStatus ended;
    if (WIFEXITED(status)) {
        ended.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        ended.signal = WTERMSIG(status);
    }
    exit_ = ended;
    return true;
}

std::optional<ExitStatus> ChildProcess::wait_exit(Millis bound) {
    // Drain the child's output meanwhile so that it never blocks on a full pipe.
    const auto deadline = Clock::now() + bound;
    while (alive() && !try_reap()) {
        const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
        if (left <= 0) {
            return std::nullopt;
        }
        std::array<pollfd, 3> fds{{{pidfd_, POLLIN, 0},
                                   {stdout_.ended() ? -1 : stdout_.fd(), POLLIN, 0},
                                   {stderr_.ended() ? -1 : stderr_.fd(), POLLIN, 0}}};
        if (::poll(fds.data(), fds.size(), static_cast<int>(left)) <= 0) {
            continue;
        }
        if (fds[1].revents != 0) {
            stdout_.read_ready();
        }
        if (fds[2].revents != 0) {
            stderr_.read_ready();
        }
    }
    return exit_;
}

}  // namespace atcoap::e2e
