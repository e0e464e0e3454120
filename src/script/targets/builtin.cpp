// The builtin target (docs/SCRIPTS.md): the modem core and the test server's cores joined by the
// simulated link (src/sim), and the script's Runner driven beside them in virtual time. Every
// event of either side runs at its exact time and nothing waits on the wall clock, so a CON
// that gives up after minutes finishes in milliseconds and a seed repeats a run byte for byte.

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

#include "base/hex.hpp"
#include "control/modem_control.hpp"
#include "script/run.hpp"
#include "script/targets/flush_first.hpp"
#include "sim/simulation.hpp"

namespace atcoap::script {
namespace {

/// A script may run this long in virtual time; past it the run ends as a script error (a
/// `wait 48h`, or an expectation nothing can meet while the server keeps notifying).
constexpr Duration kMaxVirtualTime = std::chrono::hours(24);
/// The driver's loop runs at most this many rounds (an event of the simulation, a deadline of
/// the runner, a handover between them): a script or a party that spins ends, and says so.
constexpr std::uint64_t kMaxRounds = 1'000'000;
/// The simulated network's one-way delay: no loss, so faults come from the script's steps.
constexpr Duration kLinkDelay{20};

sim::SimulationOptions simulation_options(const BuiltinOptions& options) {
    sim::SimulationOptions sim;
    sim.seed = options.seed;
    sim.keep_history = false;  // the runner takes output as it comes; a long run keeps nothing
    sim.modem.impairment_seed = options.seed;
    sim.to_server.delay = kLinkDelay;
    sim.to_modem.delay = kLinkDelay;
    sim.dtls = server::DtlsOptions{};
    if (auto key = parse_hex(options.psk_key_hex)) {  // checked by run_builtin()
        sim.dtls->keys.push_back(server::PskEntry{options.psk_identity, std::move(*key)});
    }
    return sim;
}

void add_target_variables(Variables& variables, const BuiltinOptions& options,
                          const sim::SimulationOptions& sim) {
    auto& values = variables.values;
    values.try_emplace("HOST", "127.0.0.1");
    values.try_emplace("PORT", std::to_string(sim.server_port));
    values.try_emplace("DTLS_PORT", std::to_string(sim.dtls_port));
    values.try_emplace("IMEI", sim.modem.identity.imei);
    values.try_emplace("PSK_ID", options.psk_identity);
    values.try_emplace("PSK_KEY", options.psk_key_hex);
}

/// One run: the simulation, the modem's control side and the runner, and the loop between them.
class BuiltinRun {
  public:
    BuiltinRun(const Script& script, Variables variables, const sim::SimulationOptions& options,
               const OnStep& on_step)
        : sim_(options),
          control_(sim_.modem(), hooks()),
          flushing_(control_, [this] { hand_input_over(); }),
          runner_(script, std::move(variables), &flushing_),
          on_step_(on_step) {}

    RunResult run();

  private:
    control::ControlHooks hooks() {
        control::ControlHooks hooks;
        hooks.now = [this] { return sim_.now(); };
        hooks.wall = [] { return control::Timestamp{}; };
        hooks.listening = [] { return false; };  // no control client reads events here
        hooks.event = [](std::string) {};
        hooks.changed = [this] { sim_.settle(); };
        hooks.quit = [] {};
        return hooks;
    }

    void hand_input_over();
    void exchange();
    bool step();
    void stop(std::string why);

    sim::Simulation sim_;
    control::ModemControl control_;
    FlushFirst flushing_;
    Runner runner_;
    const OnStep& on_step_;
    RunResult result_;
    TimePoint start_{};
    std::uint64_t rounds_ = 0;
};

RunResult BuiltinRun::run() {
    const auto wall_start = std::chrono::steady_clock::now();
    sim_.take_output();  // RDY and APP RDY: the script starts with a modem that has started
    start_ = sim_.now();
    runner_.start(start_);
    exchange();
    while (runner_.verdict() == Verdict::Running && step()) {
        exchange();
    }
    result_.script_time = sim_.now() - start_;
    if (runner_.verdict() != Verdict::Running) {
        result_.verdict = runner_.verdict();
        result_.failure_context = runner_.failure_context();
    }
    result_.wall_time =
        std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - wall_start);
    return std::move(result_);
}

// What the runner wrote before a control step reaches the modem before the step acts: a
// `send` then `radio off` must meet the modem in that order.
void BuiltinRun::hand_input_over() {
    const Bytes input = runner_.take_input();
    if (!input.empty()) {
        sim_.type(as_text(input));
    }
}

// Input to the modem, output to the runner, at the current instant, until neither has more.
void BuiltinRun::exchange() {
    for (bool moved = true; moved && ++rounds_ <= kMaxRounds;) {
        const Bytes input = runner_.take_input();
        if (!input.empty()) {
            sim_.type(as_text(input));
        }
        const std::string output = sim_.take_output();
        if (!output.empty()) {
            runner_.on_output(as_bytes(output), sim_.now());
        }
        for (StepReport& report : runner_.take_reports()) {
            if (on_step_) {
                on_step_(report);
            }
            result_.steps.push_back(std::move(report));
        }
        moved = !input.empty() || !output.empty();
    }
}

// The next thing due, the simulation's before the runner's at the same instant (a line that
// arrives at an expectation's deadline still meets it); false when the run must stop.
bool BuiltinRun::step() {
    if (++rounds_ > kMaxRounds) {
        stop("the builtin target ran " + std::to_string(kMaxRounds) +
             " rounds without the script ending");
        return false;
    }
    const auto deadline = runner_.next_deadline();
    const auto event = sim_.next_event();
    if (!deadline && !event) {
        stop("the script waits for nothing: no step has a deadline and nothing is due");
        return false;
    }
    const bool simulation_first = event && (!deadline || *event <= *deadline);
    const TimePoint next = simulation_first ? *event : *deadline;
    if (next - start_ > kMaxVirtualTime) {
        stop("the script ran past the builtin target's bound of 24 h of virtual time");
        return false;
    }
    if (simulation_first) {
        sim_.step_to(next);
    } else {
        sim_.advance_to(next);
        runner_.on_timeout(sim_.now());
    }
    return true;
}

void BuiltinRun::stop(std::string why) {
    result_.verdict = Verdict::ScriptError;
    result_.target_error = std::move(why);
}

}  // namespace

RunResult run_builtin(const Script& script, Variables variables, const BuiltinOptions& options,
                      const OnStep& on_step) {
    if (const auto key = parse_hex(options.psk_key_hex); !key || key->empty()) {
        RunResult result;
        result.verdict = Verdict::ScriptError;
        // The key itself is never quoted: errors reach logs and CI output.
        result.target_error = "the builtin server's PSK key is not hex of 1 byte or more";
        return result;
    }
    const sim::SimulationOptions sim = simulation_options(options);
    add_target_variables(variables, options, sim);
    try {
        BuiltinRun run(script, std::move(variables), sim, on_step);
        return run.run();
    } catch (const std::exception& error) {
        // The simulation's own guard: a party that keeps producing events at one instant.
        RunResult result;
        result.verdict = Verdict::Failed;
        result.target_error = std::string("the builtin target: ") + error.what();
        return result;
    }
}

}  // namespace atcoap::script
