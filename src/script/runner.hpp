#pragma once
// Runs one script against one AT port, sans-IO (docs/SCRIPTS.md, docs/ARCHITECTURE.md): the
// driver hands in the port's output and the time, and takes out the bytes to send, the next
// deadline and a report per step. The same runner serves virtual time (the built-in target)
// and real time (a server, a serial port), so a script behaves alike on every target.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/time.hpp"
#include "script/echo.hpp"
#include "script/output_lines.hpp"
#include "script/script.hpp"

namespace atcoap::control {
class Target;
}

namespace atcoap::script {

/// How many lines of the port's traffic a failure report shows before the failure.
inline constexpr std::size_t kContextLines = 12;
/// Output lines not yet consumed by an expectation are kept up to this many; past it the
/// oldest is dropped and the report says so (a target that floods cannot exhaust the runner).
inline constexpr std::size_t kMaxPendingLines = 10'000;
/// A line longer than this is cut into pieces of this length.
inline constexpr std::size_t kMaxLineLength = 64 * 1024;

enum class Verdict : std::uint8_t { Running, Passed, Failed, ScriptError };

/// One finished step, for the console, JUnit and TAP.
struct StepReport {
    SourcePos pos;
    std::string text;  // the step as written
    Duration at{};     // since the start of the script, when the step finished
    bool ok = true;
    std::string detail;  // on failure: what was expected and what came instead
};

/// Variables: what the script set or captured, then `given` (command line and target), then
/// `fallback` (the environment).
struct Variables {
    std::map<std::string, std::string, std::less<>> values;
    std::function<std::optional<std::string>(std::string_view)> fallback;
    std::optional<std::string> find(std::string_view name) const;
};

/// What a runner keeps for its driver besides the verdict.
enum class Keep : std::uint8_t {
    /// A report per step, and the traffic around a failure (atcoap script: console, JUnit, TAP).
    Everything,
    /// The failed step's report only, no traffic: a fleet's iterations, which count verdicts.
    Verdict,
};

class Runner {
  public:
    /// `script` is shared, not copied: it must outlive the runner (the drivers hold it for the
    /// run; a fleet's runners, one per device and iteration, all read the one script its
    /// command parsed). `control`: the target's control side, or nullptr (then the script has
    /// no control step: refuse_control() ran before).
    Runner(const Script& script, Variables variables, control::Target* control,
           Keep keep = Keep::Everything);
    /// A temporary script would be gone before the runner's first step.
    Runner(Script&& script, Variables variables, control::Target* control,
           Keep keep = Keep::Everything) = delete;

    /// Starts the first step at `now`.
    void start(TimePoint now);
    /// Bytes the AT port wrote.
    void on_output(ByteView bytes, TimePoint now);
    /// Time has reached next_deadline().
    void on_timeout(TimePoint now);
    /// When the running step times out or ends (a wait, an expectation's timeout).
    std::optional<TimePoint> next_deadline() const;
    /// Bytes to write to the AT port, in order.
    Bytes take_input();
    /// Reports of the steps finished since the last take.
    std::vector<StepReport> take_reports();

    Verdict verdict() const { return verdict_; }
    /// On failure: the traffic around it ("> " host, "< " port, one line each, escaped).
    const std::vector<std::string>& failure_context() const { return failure_context_; }

  private:
    // Implementation: see runner.cpp.
    enum class Progress : std::uint8_t { Done, Waiting, Stopped };

    void advance(TimePoint now);
    Progress begin(TimePoint now);
    Progress begin_expect(const Expect& expect, TimePoint now);
    Progress run_control(const Control& control);
    Progress check_expect();
    Progress expire();
    bool prepare_pattern(const Pattern& pattern);
    std::optional<std::string> resolve(const Template& text);
    std::string pattern_text() const;
    bool matches(std::string_view line, bool capture);
    void consume(OutputLines::Pending::iterator line);
    /// `echo`: what the module may echo the bytes as; nullopt: never echoed (Ctrl+Z, ESC).
    void send(std::string_view bytes, std::optional<EchoFilter::Kind> echo);
    bool keep_line(std::string& line);
    void note_traffic(bool sent, std::string_view line);
    std::vector<std::string> traffic() const;
    void finish(TimePoint now);
    void stop(Verdict verdict, std::string detail);
    const Step& step() const { return script_->steps[index_]; }

    /// A line of traffic as it came; made printable only for a failure's report.
    struct Traffic {
        bool sent = false;  // "> " host, else "< " port
        bool cut = false;   // longer than kMaxLineLength: its start only
        std::string line;
    };

    const Script* script_;  // never null
    Variables variables_;
    control::Target* control_ = nullptr;
    Keep keep_;
    OutputLines lines_{kMaxPendingLines, kMaxLineLength};
    // The last kContextLines lines, both directions (Keep::Everything only): a ring whose
    // oldest is traffic_[traffic_next_] once full, each slot's string reused.
    std::vector<Traffic> traffic_;
    std::size_t traffic_next_ = 0;
    EchoFilter echo_;              // what was sent, whose echo the script does not read
    std::uint64_t echo_from_ = 0;  // the first output line that may be its echo
    bool started_ = false;
    TimePoint start_{};
    TimePoint now_{};        // of the call being handled, for the reports
    std::size_t index_ = 0;  // the running step, or the next to start
    bool running_ = false;   // steps_[index_] has started and waits (for a line or its time)
    TimePoint deadline_{};   // when running_
    LineEnd line_end_ = LineEnd::CrLf;
    Duration timeout_ = kDefaultTimeout;
    // The running expectation's: the script's own (compiled when parsed), or own_regex_ (a
    // pattern with variables, compiled when its step begins).
    const re2::RE2* regex_ = nullptr;
    const std::string* literal_ = nullptr;  // its Pattern::literal, matched without RE2
    std::shared_ptr<const re2::RE2> own_regex_;
    std::uint64_t scan_from_ = 0;  // unread lines before this one did not match it
    Bytes input_;
    std::vector<StepReport> reports_;
    Verdict verdict_ = Verdict::Running;
    std::vector<std::string> failure_context_;
};

}  // namespace atcoap::script
