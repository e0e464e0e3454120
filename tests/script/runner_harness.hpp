#pragma once
// Scripts built by hand for the runner's tests (the parser is tested on its own), and a runner
// driven in virtual time.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "script/runner.hpp"

namespace atcoap::script::testing {

/// "AT+X=${ID}" as a Template: literal parts and `${NAME}` references.
inline Template tmpl(std::string_view text) {
    Template out;
    while (!text.empty()) {
        const auto open = text.find("${");
        if (open != 0) {
            out.parts.push_back({false, std::string(text.substr(0, open))});
            if (open == std::string_view::npos) {
                break;
            }
            text.remove_prefix(open);
            continue;
        }
        const auto close = text.find('}');
        out.parts.push_back({true, std::string(text.substr(2, close - 2))});
        text.remove_prefix(close + 1);
    }
    return out;
}

inline Pattern pattern(std::string_view text) {
    return Pattern{tmpl(text), nullptr, {}, std::nullopt};
}

/// A script of one file, "t.at", one step a line.
class Builder {
  public:
    Builder& add(std::string text, Action action) {
        script_.steps.push_back(Step{{"t.at", ++line_, 1}, std::move(text), std::move(action)});
        return *this;
    }
    Builder& send(std::string_view text) {
        return add("send " + std::string(text), Send{tmpl(text)});
    }
    Builder& write(std::string_view text) {
        return add("write " + std::string(text), Write{tmpl(text)});
    }
    Builder& key(char byte) { return add(byte == 0x1A ? "ctrl-z" : "esc", Key{byte}); }
    Builder& expect(std::string_view re, std::optional<Duration> within = std::nullopt) {
        return add("expect " + std::string(re), Expect{Expect::Kind::Next, pattern(re), within});
    }
    Builder& urc(std::string_view re, std::optional<Duration> within = std::nullopt) {
        return add("expect-urc " + std::string(re), Expect{Expect::Kind::Urc, pattern(re), within});
    }
    Builder& none(Duration within, std::string_view re) {
        return add("expect-none " + std::string(re),
                   Expect{Expect::Kind::None, pattern(re), within});
    }
    Builder& wait(Duration time) { return add("wait", Wait{time}); }
    Builder& set(std::string name, std::string_view value) {
        return add("set " + name, Set{name, tmpl(value)});
    }
    Builder& line_end(LineEnd end) { return add("line-end", SetLineEnd{end}); }
    Builder& timeout(Duration time) { return add("timeout", SetTimeout{time}); }
    Builder& control(std::vector<std::string_view> words) {
        Control step;
        std::string text;
        for (const auto word : words) {
            step.words.push_back(tmpl(word));
            text += (text.empty() ? "" : " ") + std::string(word);
        }
        return add(text, std::move(step));
    }
    Script build() const { return script_; }

  private:
    Script script_{"t.at", {}};
    int line_ = 0;
};

/// A runner in virtual time: milliseconds since 0.
class Drive {
  public:
    explicit Drive(const Builder& builder, Variables variables = {},
                   control::Target* control = nullptr)
        : script(builder.build()), runner(script, std::move(variables), control) {}
    Drive(const Drive&) = delete;  // the runner reads this Drive's script
    Drive& operator=(const Drive&) = delete;

    Drive& start(std::int64_t ms = 0) {
        runner.start(at_ms(ms));
        collect();
        return *this;
    }
    Drive& out(std::string_view bytes, std::int64_t ms) {
        runner.on_output(as_bytes(bytes), at_ms(ms));
        collect();
        return *this;
    }
    Drive& tick(std::int64_t ms) {
        runner.on_timeout(at_ms(ms));
        collect();
        return *this;
    }
    /// Fires the deadline until the runner holds none.
    Drive& run_out() {
        while (const auto deadline = runner.next_deadline()) {
            runner.on_timeout(*deadline);
            collect();
        }
        return *this;
    }
    std::string take_sent() { return std::exchange(sent, {}); }
    /// "LINE@MS" or "LINE@MS FAILED: DETAIL" per report.
    std::vector<std::string> lines() const {
        std::vector<std::string> out;
        for (const auto& report : reports) {
            out.push_back(std::to_string(report.pos.line) + "@" +
                          std::to_string(report.at.count()) +
                          (report.ok ? "" : " FAILED: " + report.detail));
        }
        return out;
    }
    const StepReport& last() const { return reports.back(); }

    Script script;  // before the runner, which reads it
    Runner runner;
    std::string sent;
    std::vector<StepReport> reports;

  private:
    void collect() {
        const Bytes bytes = runner.take_input();
        sent += as_text(bytes);
        for (auto& report : runner.take_reports()) {
            reports.push_back(std::move(report));
        }
    }
};

inline Duration ms(std::int64_t count) {
    return Duration{count};
}
inline Duration s(std::int64_t count) {
    return Duration{count * 1000};
}

}  // namespace atcoap::script::testing
