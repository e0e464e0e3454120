#pragma once
// The real-time driver both live targets share (docs/SCRIPTS.md, "Running scripts"): the sans-IO
// Runner on an Asio loop, with the monotonic clock's now, one steady_timer at the Runner's next
// deadline, the port's output fed in and the Runner's input handed to a writer. What the port is
// (the modem in this process, a serial device, a pseudo-terminal) is the caller's.

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "script/run.hpp"

namespace atcoap::script {

class RealTimeRun {
  public:
    /// Takes the bytes the Runner sends to the port, in order; never blocks.
    using Writer = std::function<void(Bytes)>;

    RealTimeRun(asio::io_context& context, const Script& script, Variables variables,
                control::Target* control, const OnStep& on_step);
    ~RealTimeRun();
    RealTimeRun(const RealTimeRun&) = delete;
    RealTimeRun& operator=(const RealTimeRun&) = delete;

    /// Starts the script now, writing through `writer`, and runs the loop until the verdict is
    /// in (every step has a time, so this ends), the target fails or the loop is stopped. The
    /// result's wall time counts from `began` (the target's set-up included).
    RunResult run(Writer writer, std::chrono::steady_clock::time_point began);

    /// Bytes the port wrote.
    void on_output(ByteView bytes);
    /// The target went away (the port closed, a write failed): the script fails with `reason`.
    void on_target_failed(std::string reason);

  private:
    void after_runner_call();
    void arm_timer();
    void on_timer(unsigned generation);
    bool finished() const;

    asio::io_context& context_;
    Runner runner_;
    const OnStep& on_step_;
    Writer writer_;
    asio::steady_timer timer_;
    unsigned timer_generation_ = 0;
    bool started_ = false;
    RunResult result_;
    std::shared_ptr<char> life_ = std::make_shared<char>();
};

/// A result for a target that never ran: the script fails with `reason` (a port that would not
/// open), no step ran.
RunResult target_failed(std::string reason);

}  // namespace atcoap::script
