// The script runner (docs/SCRIPTS.md): one step after the other, sans-IO. Steps that take no
// time chain at once; an expectation or a wait holds until output comes or its deadline.

#include "script/runner.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <utility>

#include "base/printable.hpp"
#include "script/display.hpp"

namespace atcoap::script {
namespace {

/// Calls `each` with every line of `text` as the output is cut (at CR or LF, empty pieces
/// skipped).
template <typename Each>
void for_each_line(std::string_view text, Each each) {
    while (!text.empty()) {
        const auto end = find_line_end(text);
        const auto line = text.substr(0, end);
        if (!line.empty()) {
            each(line);
        }
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    }
}

std::string quoted(std::string_view line) {
    return "\"" + printable(line) + "\"";
}

}  // namespace

Runner::Runner(const Script& script, Variables variables, control::Target* control, Keep keep)
    : script_(&script), variables_(std::move(variables)), control_(control), keep_(keep) {}

void Runner::start(TimePoint now) {
    if (started_) {
        return;
    }
    started_ = true;
    start_ = now;
    advance(now);
}

void Runner::on_output(ByteView bytes, TimePoint now) {
    if (verdict_ != Verdict::Running) {
        return;
    }
    if (started_ && running_ && deadline_ < now) {
        advance(now);  // the step's time ran out before these bytes came
    }
    lines_.feed(as_text(bytes), [this](std::string& line) { return keep_line(line); });
    if (!started_ || verdict_ != Verdict::Running || !running_) {
        return;
    }
    now_ = now;
    if (std::holds_alternative<Expect>(step().action)) {
        const Progress progress = check_expect();
        if (progress == Progress::Done) {
            finish(now);
        }
    }
    advance(now);
}

void Runner::on_timeout(TimePoint now) {
    if (started_) {
        advance(now);
    }
}

std::optional<TimePoint> Runner::next_deadline() const {
    if (verdict_ != Verdict::Running || !running_) {
        return std::nullopt;
    }
    return deadline_;
}

Bytes Runner::take_input() {
    return std::exchange(input_, {});
}

std::vector<StepReport> Runner::take_reports() {
    return std::exchange(reports_, {});
}

void Runner::advance(TimePoint now) {
    now_ = now;
    while (verdict_ == Verdict::Running) {
        if (!running_) {
            if (index_ == script_->steps.size()) {
                verdict_ = Verdict::Passed;
                return;
            }
            const Progress progress = begin(now);
            if (progress == Progress::Done) {
                finish(now);
                continue;
            }
            if (progress == Progress::Stopped) {
                return;
            }
            running_ = true;
        }
        if (deadline_ > now) {
            return;
        }
        // A step that ran out did so at its deadline, also when the driver tells it late.
        now_ = deadline_;
        if (expire() == Progress::Done) {
            finish(deadline_);
        }
        now_ = now;
    }
}

Runner::Progress Runner::begin(TimePoint now) {
    const Action& action = step().action;
    if (const auto* send_step = std::get_if<Send>(&action)) {
        auto text = resolve(send_step->text);
        if (!text) {
            return Progress::Stopped;
        }
        send(*text, EchoFilter::Kind::Command);
        send(line_end_ == LineEnd::CrLf ? "\r\n" : "\r", std::nullopt);
    } else if (const auto* write = std::get_if<Write>(&action)) {
        auto bytes = resolve(write->bytes);
        if (!bytes) {
            return Progress::Stopped;
        }
        send(*bytes, EchoFilter::Kind::Payload);
    } else if (const auto* key = std::get_if<Key>(&action)) {
        send(std::string_view(&key->byte, 1), std::nullopt);  // Ctrl+Z, ESC: never echoed
    } else if (const auto* expect = std::get_if<Expect>(&action)) {
        return begin_expect(*expect, now);
    } else if (const auto* wait = std::get_if<Wait>(&action)) {
        if (wait->time > Duration::zero()) {
            deadline_ = now + wait->time;
            return Progress::Waiting;
        }
    } else if (const auto* set = std::get_if<Set>(&action)) {
        auto value = resolve(set->value);
        if (!value) {
            return Progress::Stopped;
        }
        variables_.values.insert_or_assign(set->name, std::move(*value));
    } else if (const auto* line_end = std::get_if<SetLineEnd>(&action)) {
        line_end_ = line_end->line_end;
    } else if (const auto* timeout = std::get_if<SetTimeout>(&action)) {
        timeout_ = timeout->timeout;
    } else if (const auto* control = std::get_if<Control>(&action)) {
        return run_control(*control);
    }
    return Progress::Done;
}

Runner::Progress Runner::begin_expect(const Expect& expect, TimePoint now) {
    if (!prepare_pattern(expect.pattern)) {
        return Progress::Stopped;
    }
    deadline_ = now + expect.within.value_or(timeout_);
    scan_from_ = 0;  // expect-urc and expect-none look at every unread line, old ones too
    return check_expect();
}

Runner::Progress Runner::check_expect() {
    const auto& expect = std::get<Expect>(step().action);
    const auto& pending = lines_.pending();
    if (expect.kind == Expect::Kind::Next) {
        if (pending.empty()) {
            return Progress::Waiting;
        }
        if (!matches(pending.front().text, true)) {
            stop(Verdict::Failed, "expected a line matching /" + visible(pattern_text()) +
                                      "/, got " + quoted(pending.front().text));
            return Progress::Stopped;
        }
        consume(pending.begin());
        return Progress::Done;
    }
    for (auto line = lines_.from(scan_from_); line != pending.end(); ++line) {
        if (!matches(line->text, expect.kind == Expect::Kind::Urc)) {
            continue;
        }
        if (expect.kind == Expect::Kind::None) {
            stop(Verdict::Failed, "expected no line matching /" + visible(pattern_text()) +
                                      "/ within " +
                                      duration_text(expect.within.value_or(timeout_)) + ", got " +
                                      quoted(line->text));
            return Progress::Stopped;
        }
        consume(line);
        return Progress::Done;
    }
    scan_from_ = lines_.next_seq();
    return Progress::Waiting;
}

Runner::Progress Runner::expire() {
    const auto* expect = std::get_if<Expect>(&step().action);
    if (expect == nullptr || expect->kind == Expect::Kind::None) {
        return Progress::Done;  // a wait, or an expect-none that saw nothing matching
    }
    const Duration within = expect->within.value_or(timeout_);
    std::string detail = expect->kind == Expect::Kind::Next
                             ? "no line came within " + duration_text(within) +
                                   " (expected one matching /" + visible(pattern_text()) + "/)"
                             : "no line matching /" + visible(pattern_text()) + "/ came within " +
                                   duration_text(within);
    if (!lines_.partial().empty()) {
        detail += "; an unfinished line: " + quoted(lines_.partial());
    }
    stop(Verdict::Failed, std::move(detail));
    return Progress::Stopped;
}

std::optional<std::string> Runner::resolve(const Template& text) {
    std::string out;
    for (const auto& part : text.parts) {
        if (!part.variable) {
            out += part.text;
            continue;
        }
        auto value = variables_.find(part.text);
        if (!value) {
            stop(Verdict::ScriptError,
                 "script error: variable ${" + part.text + "} is not defined");
            return std::nullopt;
        }
        out += *value;
    }
    return out;
}

bool Runner::prepare_pattern(const Pattern& pattern) {
    if (pattern.compiled && !pattern.source.has_variables()) {
        regex_ = pattern.compiled.get();  // the script's, compiled once for every run
        literal_ = pattern.literal ? &*pattern.literal : nullptr;
        return true;
    }
    std::string source;
    for (const auto& part : pattern.source.parts) {
        if (!part.variable) {
            source += part.text;
            continue;
        }
        auto value = variables_.find(part.text);
        if (!value) {
            stop(Verdict::ScriptError,
                 "script error: variable ${" + part.text + "} is not defined");
            return false;
        }
        source += re2::RE2::QuoteMeta(*value);  // a value matches itself only (docs/SCRIPTS.md)
    }
    re2::RE2::Options options;
    options.set_log_errors(false);  // the error goes into the report, not to stderr
    auto regex = std::make_shared<const re2::RE2>(source, options);
    if (!regex->ok()) {
        stop(Verdict::ScriptError,
             "script error: bad pattern /" + visible(source) + "/: " + regex->error());
        return false;
    }
    own_regex_ = std::move(regex);
    regex_ = own_regex_.get();
    return true;
}

// The running expectation's source, variables inserted.
std::string Runner::pattern_text() const {
    if (own_regex_) {
        return own_regex_->pattern();
    }
    std::string text;
    for (const auto& part : std::get<Expect>(step().action).pattern.source.parts) {
        text += part.text;  // no variables: the pattern was compiled when parsed
    }
    return text;
}

bool Runner::matches(std::string_view line, bool capture) {
    if (literal_ != nullptr) {
        return line == *literal_;  // no groups to capture
    }
    const re2::RE2& regex = *regex_;
    const re2::StringPiece text(line.data(), line.size());
    if (!capture || regex.NumberOfCapturingGroups() == 0 || regex.NamedCapturingGroups().empty()) {
        return re2::RE2::FullMatchN(text, regex, nullptr, 0);
    }
    const int groups = regex.NumberOfCapturingGroups();
    std::vector<std::string> values(static_cast<std::size_t>(groups));
    std::vector<re2::RE2::Arg> args;
    args.reserve(values.size());
    std::vector<const re2::RE2::Arg*> arg_pointers;
    for (auto& value : values) {
        arg_pointers.push_back(&args.emplace_back(&value));
    }
    if (!re2::RE2::FullMatchN(text, regex, arg_pointers.data(), groups)) {
        return false;
    }
    for (const auto& [name, index] : regex.NamedCapturingGroups()) {
        variables_.values.insert_or_assign(name, values[static_cast<std::size_t>(index - 1)]);
    }
    return true;
}

void Runner::consume(OutputLines::Pending::iterator line) {
    if (line->seq >= echo_from_) {
        echo_.clear();  // an answer to what was sent has been read: its echo is behind it
    }
    lines_.erase(line);
}

void Runner::send(std::string_view bytes, std::optional<EchoFilter::Kind> echo) {
    input_.insert(input_.end(), bytes.begin(), bytes.end());
    if (keep_ == Keep::Everything) {
        for_each_line(bytes, [this](std::string_view line) { note_traffic(true, line); });
    }
    if (echo) {
        if (echo_.empty()) {
            echo_from_ = lines_.next_seq();
        }
        echo_.sent(bytes, *echo, kMaxLineLength);
    }
}

bool Runner::keep_line(std::string& line) {
    if (keep_ == Keep::Everything) {
        note_traffic(false, line);
    }
    // With echo on the port repeats what the runner sent: not output a script expects.
    return !echo_.is_echo(line);
}

void Runner::note_traffic(bool sent, std::string_view line) {
    if (traffic_.size() < kContextLines) {
        if (traffic_.empty()) {
            traffic_.reserve(kContextLines);
        }
        traffic_.emplace_back();
    }
    Traffic& slot = traffic_[traffic_next_];  // the new one, or once full the oldest
    traffic_next_ = (traffic_next_ + 1) % kContextLines;
    // What the runner sends is cut at no length: a long payload shows its start.
    slot.sent = sent;
    slot.cut = line.size() > kMaxLineLength;
    slot.line.assign(line.substr(0, kMaxLineLength));
}

// The traffic kept, oldest first, as a failure report shows it.
std::vector<std::string> Runner::traffic() const {
    std::vector<std::string> lines;
    lines.reserve(traffic_.size());
    const std::size_t oldest = traffic_.size() < kContextLines ? 0 : traffic_next_;
    for (std::size_t i = 0; i < traffic_.size(); ++i) {
        const Traffic& entry = traffic_[(oldest + i) % traffic_.size()];
        lines.push_back((entry.sent ? "> " : "< ") + printable(entry.line) +
                        (entry.cut ? "..." : ""));
    }
    return lines;
}

void Runner::finish(TimePoint now) {
    if (keep_ == Keep::Everything) {
        reports_.push_back(StepReport{step().pos, step().text, now - start_, true, {}});
    }
    running_ = false;
    regex_ = nullptr;
    literal_ = nullptr;
    own_regex_.reset();
    ++index_;
}

void Runner::stop(Verdict verdict, std::string detail) {
    if (lines_.dropped() > 0) {
        detail += " (" + std::to_string(lines_.dropped()) +
                  " unread output lines were dropped: " + "at most " +
                  std::to_string(kMaxPendingLines) + " are kept)";
    }
    reports_.push_back(
        StepReport{step().pos, step().text, now_ - start_, false, std::move(detail)});
    verdict_ = verdict;
    running_ = false;
    regex_ = nullptr;
    literal_ = nullptr;
    own_regex_.reset();
    failure_context_ = traffic();
}

}  // namespace atcoap::script
