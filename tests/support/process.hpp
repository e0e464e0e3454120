#pragma once
// A program started as a child process with its standard input and output (and, if asked, its
// standard error) on pipes: the end-to-end tests drive atcoap through them as a host drives a
// module's UART, and the benchmark does the same to time it. Every wait has a bound; the
// destructor kills a child that is still alive, so a failure never leaves one behind.

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/channel.hpp"

namespace atcoap::test {

/// How a child ended: its exit code, or the signal that killed it.
struct ExitStatus {
    std::optional<int> code;
    std::optional<int> signal;

    bool exited_zero() const { return code == 0; }
};

/// Where the child's standard error goes.
enum class ErrorOutput { Pipe, Inherit, Discard };

class ChildProcess {
  public:
    /// Starts `program` (found on PATH when it holds no '/') with `arguments`; nullptr (and a
    /// message on `error`) when it cannot.
    static std::unique_ptr<ChildProcess> start(const std::string& program,
                                               const std::vector<std::string>& arguments,
                                               std::string& error,
                                               ErrorOutput error_output = ErrorOutput::Pipe);
    /// Starts `program` with its standard input, output and error on one new pseudo-terminal,
    /// as a person's terminal would be; in() and out() are the terminal's master side and err()
    /// is closed. The terminal starts in the kernel's default (cooked) mode.
    static std::unique_ptr<ChildProcess> start_on_terminal(
        const std::string& program, const std::vector<std::string>& arguments, std::string& error);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    Channel& in() { return stdin_; }
    Channel& out() { return stdout_; }
    /// A closed channel unless the standard error is ErrorOutput::Pipe.
    Channel& err() { return stderr_; }

    pid_t pid() const { return pid_; }

    /// Sends `signal` if the child has not been reaped yet.
    void send_signal(int signal);

    /// Waits until the child exits or `bound` passes, reading its output meanwhile so that it
    /// never blocks on a full pipe; its status once it has exited.
    std::optional<ExitStatus> wait_exit(Millis bound);

    bool alive() const { return !exit_.has_value(); }

  private:
    ChildProcess(pid_t pid, int pidfd, int in, int out, int err);
    bool try_reap();

    pid_t pid_;
    int pidfd_;  // readable once the child has exited
    // start_on_terminal: our copy of the terminal's slave side, so that reading the master
    // never fails with EIO before the child has opened it or after it has closed it.
    int terminal_ = -1;
    Channel stdin_;
    Channel stdout_;
    Channel stderr_;
    std::optional<ExitStatus> exit_;
};

}  // namespace atcoap::test
