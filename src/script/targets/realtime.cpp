#include "script/targets/realtime.hpp"

#include "io/clock.hpp"

namespace atcoap::script {

RealTimeRun::RealTimeRun(asio::io_context& context, const Script& script, Variables variables,
                         control::Target* control, const OnStep& on_step)
    : context_(context),
      runner_(script, std::move(variables), control),
      on_step_(on_step),
      timer_(context) {}

RealTimeRun::~RealTimeRun() {
    life_.reset();
    timer_.cancel();
}

RunResult RealTimeRun::run(Writer writer, std::chrono::steady_clock::time_point began) {
    writer_ = std::move(writer);
    const auto started = std::chrono::steady_clock::now();
    started_ = true;
    runner_.start(io::monotonic_now());
    after_runner_call();
    context_.restart();
    while (!finished()) {
        // Zero handlers ran: the loop was stopped (a signal closed the shell) or has no work,
        // which cannot be while the timer waits for a running step.
        if (context_.run_one() == 0) {
            on_target_failed("the target stopped before the script ended");
        }
    }
    timer_.cancel();
    ++timer_generation_;
    result_.verdict = runner_.verdict() == Verdict::Running ? Verdict::Failed : runner_.verdict();
    if (result_.failure_context.empty()) {
        result_.failure_context = runner_.failure_context();
    }
    // One clock for both, so that the wall time (which also counts the set-up) is never less.
    const auto ended = std::chrono::steady_clock::now();
    result_.script_time = std::chrono::duration_cast<Duration>(ended - started);
    result_.wall_time = std::chrono::duration_cast<Duration>(ended - began);
    return std::move(result_);
}

void RealTimeRun::on_output(ByteView bytes) {
    if (!started_ || finished()) {
        return;
    }
    runner_.on_output(bytes, io::monotonic_now());
    after_runner_call();
}

void RealTimeRun::on_target_failed(std::string reason) {
    if (finished()) {
        return;
    }
    result_.target_error = std::move(reason);
    result_.failure_context = runner_.failure_context();
}

bool RealTimeRun::finished() const {
    return !result_.target_error.empty() || runner_.verdict() != Verdict::Running;
}

// The one place the Runner's outboxes are drained: its input goes to the port, its reports to
// the caller as each step ends, and the timer follows its deadline.
void RealTimeRun::after_runner_call() {
    if (Bytes input = runner_.take_input(); !input.empty() && result_.target_error.empty()) {
        writer_(std::move(input));
    }
    for (StepReport& report : runner_.take_reports()) {
        if (on_step_) {
            on_step_(report);
        }
        result_.steps.push_back(std::move(report));
    }
    arm_timer();
}

void RealTimeRun::arm_timer() {
    ++timer_generation_;
    timer_.cancel();
    const std::optional<TimePoint> deadline = runner_.next_deadline();
    if (!deadline || finished()) {
        return;
    }
    timer_.expires_at(io::to_steady(*deadline));
    timer_.async_wait(
        [this, generation = timer_generation_, life = std::weak_ptr(life_)](std::error_code error) {
            if (!life.expired() && !error) {
                on_timer(generation);
            }
        });
}

void RealTimeRun::on_timer(unsigned generation) {
    if (generation != timer_generation_ || finished()) {
        return;
    }
    // The steady clock may wake us a hair before the millisecond the Runner counts in.
    const TimePoint now = io::monotonic_now();
    if (const auto deadline = runner_.next_deadline(); deadline && *deadline <= now) {
        runner_.on_timeout(now);
        after_runner_call();
    } else {
        arm_timer();
    }
}

RunResult target_failed(std::string reason) {
    RunResult result;
    result.verdict = Verdict::Failed;
    result.target_error = std::move(reason);
    return result;
}

}  // namespace atcoap::script
