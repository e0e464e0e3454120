#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <utility>

extern char** environ;

namespace atcoap::test {

namespace {

using Clock = std::chrono::steady_clock;
using Pipes = std::array<std::array<int, 2>, 3>;  // standard input, output, error

void close_pipes(Pipes& pipes) {
    for (auto& ends : pipes) {
        for (int& fd : ends) {
            if (fd >= 0) {
                ::close(fd);
                fd = -1;
            }
        }
    }
}

/// Our ends and theirs close on exec; the child's copies on 0, 1 and 2 are made by dup2, which
/// clears that flag on the copy, so only those reach the program.
bool make_pipes(Pipes& pipes, ErrorOutput error_output) {
    for (std::size_t i = 0; i < pipes.size(); ++i) {
        if ((i < 2 || error_output == ErrorOutput::Pipe) &&
            ::pipe2(pipes[i].data(), O_CLOEXEC) != 0) {
            return false;
        }
    }
    return true;
}

/// Spawns the child on `pipes`; 0 or the error number.
int spawn(pid_t& pid, char* const* argv, const Pipes& pipes, ErrorOutput error_output) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipes[0][0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipes[1][1], STDOUT_FILENO);
    if (error_output == ErrorOutput::Pipe) {
        posix_spawn_file_actions_adddup2(&actions, pipes[2][1], STDERR_FILENO);
    } else if (error_output == ErrorOutput::Discard) {
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    }
    // We ignore SIGPIPE; an ignored signal would survive exec and change the program.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t default_signals;
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGPIPE);
    posix_spawnattr_setsigdefault(&attributes, &default_signals);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
    const int error = ::posix_spawnp(&pid, argv[0], &actions, &attributes, argv, environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return error;
}

}  // namespace

std::unique_ptr<ChildProcess> ChildProcess::start(const std::string& program,
                                                  const std::vector<std::string>& arguments,
                                                  std::string& error, ErrorOutput error_output) {
    // A write to a child that died must fail with EPIPE, not end this process.
    ::signal(SIGPIPE, SIG_IGN);
    std::vector<std::string> words{program};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& word : words) {
        argv.push_back(word.data());
    }
    argv.push_back(nullptr);

    Pipes pipes{{{-1, -1}, {-1, -1}, {-1, -1}}};
    if (!make_pipes(pipes, error_output)) {
        error = std::string("pipe: ") + std::strerror(errno);
        close_pipes(pipes);
        return nullptr;
    }
    pid_t pid = -1;
    if (const int failed = spawn(pid, argv.data(), pipes, error_output); failed != 0) {
        error = "cannot start " + program + ": " + std::strerror(failed);
        close_pipes(pipes);
        return nullptr;
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

std::unique_ptr<ChildProcess> ChildProcess::start_on_terminal(
    const std::string& program, const std::vector<std::string>& arguments, std::string& error) {
    ::signal(SIGPIPE, SIG_IGN);
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    std::array<char, 128> name{};
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0 ||
        ::ptsname_r(master, name.data(), name.size()) != 0) {
        error = std::string("pseudo-terminal: ") + std::strerror(errno);
        if (master >= 0) {
            ::close(master);
        }
        return nullptr;
    }
    const int slave = ::open(name.data(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    const int in = slave < 0 ? -1 : ::fcntl(master, F_DUPFD_CLOEXEC, 0);
    if (slave < 0 || in < 0) {
        error = std::string("pseudo-terminal: ") + std::strerror(errno);
        for (const int fd : {master, slave, in}) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
        return nullptr;
    }
    std::vector<std::string> words{program};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& word : words) {
        argv.push_back(word.data());
    }
    argv.push_back(nullptr);
    // The same fd on 0, 1 and 2: dup2 clears close-on-exec on the copies only.
    Pipes ends{{{slave, -1}, {-1, slave}, {-1, slave}}};
    pid_t pid = -1;
    if (const int failed = spawn(pid, argv.data(), ends, ErrorOutput::Pipe); failed != 0) {
        error = "cannot start " + program + ": " + std::strerror(failed);
        for (const int fd : {master, slave, in}) {
            ::close(fd);
        }
        return nullptr;
    }
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    std::unique_ptr<ChildProcess> child(new ChildProcess(pid, pidfd, in, master, -1));
    child->terminal_ = slave;
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
    if (pidfd_ >= 0) {
        ::close(pidfd_);
    }
    if (terminal_ >= 0) {
        ::close(terminal_);
    }
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
    // The child may exit between two polls with its last output still in the pipes: take it, so
    // that a caller reading the output after the exit sees all of it.
    if (!alive()) {
        stdout_.read_available();
        stderr_.read_available();
    }
    return exit_;
}

}  // namespace atcoap::test
