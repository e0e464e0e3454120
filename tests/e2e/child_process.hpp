#pragma once
// The program under test as a child process with its standard input, output and error on pipes.
// The destructor kills a child that is still alive, so a failing test never leaves one behind.

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "channel.hpp"

namespace atcoap::e2e {

/// How a child ended: its exit code, or the signal that killed it.
struct ExitStatus {
    std::optional<int> code;
    std::optional<int> signal;
};

class ChildProcess {
  public:
    /// Starts `program` with `arguments`; nullptr (and a message on `error`) when it cannot.
    static std::unique_ptr<ChildProcess> start(const std::string& program,
                                               const std::vector<std::string>& arguments,
                                               std::string& error);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    Channel& in() { return stdin_; }
    Channel& out() { return stdout_; }
    Channel& err() { return stderr_; }

    /// Sends `signal` if the child has not been reaped yet.
    void send_signal(int signal);

    /// Waits until the child exits or `bound` passes; its status once it has exited.
    std::optional<ExitStatus> wait_exit(Millis bound);

    bool alive() const { return !exit_.has_value(); }

  private:
    ChildProcess(pid_t pid, int pidfd, int in, int out, int err);
    bool try_reap();

    pid_t pid_;
    int pidfd_;  // readable once the child has exited
    Channel stdin_;
    Channel stdout_;
    Channel stderr_;
    std::optional<ExitStatus> exit_;
};

}  // namespace atcoap::e2e
