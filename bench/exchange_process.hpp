#pragma once
// Child processes on pipes for the exchange benchmark: atcoap and the relay are driven through
// their standard input and output exactly as a host drives a module's UART, and the CoAP server
// runs beside them. Every wait has a bound, so a stuck peer ends the run with an error instead of
// hanging it.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace atcoap::bench {

using Clock = std::chrono::steady_clock;

/// How a child ended.
struct ChildEnd {
    int status = 0;  // as waitpid reports it
    bool exited_zero() const;
};

/// A process started with posix_spawnp. Its standard input and output are pipes to us;
/// standard error is inherited or sent to /dev/null. The destructor kills and reaps a child
/// that is still running.
/// Writes every byte to `fd`, retrying after EINTR; false when the other end is gone.
bool write_all_to(int fd, std::string_view bytes);

class Child {
  public:
    enum class Stderr { Inherit, Discard };

    static Result<Child, std::string> start(const std::vector<std::string>& argv, Stderr stderr_to);
    ~Child();
    Child(Child&& other) noexcept;
    Child& operator=(Child&&) = delete;
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    pid_t pid() const { return pid_; }

    /// Writes every byte to the child's standard input; false if the pipe broke.
    bool write_all(std::string_view bytes);

    /// Appends what the child wrote to `buffer`, waiting until `deadline` for at least one
    /// byte. False at the deadline or at the end of its output.
    bool read_some(std::string& buffer, Clock::time_point deadline);

    /// True once read_some() has seen the end of the child's output.
    bool output_ended() const { return output_ended_; }

    /// Closes our end of the child's standard input: the child sees the end of its input.
    void close_input();

    /// Waits up to `bound` for the child to exit by itself, then kills it; how it ended.
    ChildEnd finish(std::chrono::milliseconds bound);

    /// Sends `signal`, then waits up to `bound` as finish() does.
    ChildEnd stop(int signal, std::chrono::milliseconds bound);

  private:
    Child(pid_t pid, int in, int out) : pid_(pid), in_(in), out_(out) {}
    std::optional<ChildEnd> try_reap();

    pid_t pid_;
    int in_;
    int out_;
    std::optional<ChildEnd> end_;
    bool output_ended_ = false;
};

/// VmRSS and VmHWM from /proc/PID/status, Pss and Anonymous from /proc/PID/smaps_rollup, in
/// KiB. RSS counts every resident page mapped, shared library code included; PSS divides shared
/// pages among their users; Anonymous is the process's own data (heap, stacks).
struct Memory {
    long rss_kib = 0;
    long hwm_kib = 0;
    long pss_kib = 0;
    long anon_kib = 0;
};
std::optional<Memory> read_memory(pid_t pid);

/// Time on a CPU and time spent waiting for one, from /proc/PID/schedstat (nanoseconds), of
/// the process's main thread.
struct CpuTime {
    double on_cpu_ns = 0;
    double waiting_ns = 0;
};
std::optional<CpuTime> read_cpu(pid_t pid);

/// The three load averages from /proc/loadavg, as the kernel prints them.
std::string load_average();

}  // namespace atcoap::bench
