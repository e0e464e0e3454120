#include "script_replay.hpp"

#include <re2/re2.h>

#include <deque>
#include <optional>
#include <sstream>

namespace atcoap::e2e {
namespace {

using Vars = std::map<std::string, std::string>;

/// Reads `${NAME}` at `at` (just past the `$`): the value, quoted for a pattern; nullopt when
/// the variable is undefined.
std::optional<std::string> variable(const std::string& text, std::size_t& at, const Vars& vars,
                                    bool quote) {
    const std::size_t end = text.find('}', at);
    const auto it = vars.find(text.substr(at + 1, end - at - 1));
    if (end == std::string::npos || it == vars.end()) {
        return std::nullopt;
    }
    at = end;
    return quote ? RE2::QuoteMeta(it->second) : it->second;
}

/// A text argument (the rest of the line, or one quoted string with its escapes) or a pattern,
/// variables replaced; nullopt when one is undefined.
std::optional<std::string> resolve(const std::string& text, const Vars& vars, bool pattern) {
    const bool quoted = !pattern && !text.empty() && text.front() == '"';
    static const std::map<char, char> kEscapes{{'r', '\r'},   {'n', '\n'},   {'t', '\t'},
                                               {'e', '\x1b'}, {'z', '\x1a'}, {'\\', '\\'},
                                               {'"', '"'},    {'$', '$'}};
    std::string out;
    for (std::size_t i = quoted ? 1 : 0; i < text.size() - (quoted ? 1 : 0); ++i) {
        if (quoted && text[i] == '\\') {
            const char c = text[++i];
            if (c == 'x') {
                out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
                i += 2;
            } else {
                out.push_back(kEscapes.at(c));
            }
        } else if (text.compare(i, 2, "${") == 0) {
            const auto value = variable(text, ++i, vars, pattern);
            if (!value) {
                return std::nullopt;
            }
            out += *value;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

class Replay {
  public:
    Replay(ChildProcess& modem, Vars vars) : modem_(modem), vars_(std::move(vars)) {}

    std::string step(const std::string& line) {
        std::string keyword;
        std::string argument;
        static const RE2 kStep(R"(([a-z-]+) ?(?:within \d+s )?(.*))");
        if (line.empty() || line.front() == '#' ||
            !RE2::FullMatch(line, kStep, &keyword, &argument)) {
            return "";
        }
        if (keyword == "line-end") {
            line_end_ = argument == "cr" ? "\r" : "\r\n";
        } else if (keyword == "send" || keyword == "write") {
            const auto text = argument.starts_with("hex ") ? std::optional(hex(argument.substr(4)))
                                                           : resolve(argument, vars_, false);
            if (!text) {
                return "undefined variable in: " + line;
            }
            modem_.in().write_all(keyword == "send" ? *text + line_end_ : *text, kAnswerBound);
        } else if (keyword == "ctrl-z" || keyword == "esc") {
            modem_.in().write_all(keyword == "esc" ? "\x1b" : "\x1a", kAnswerBound);
        } else if (keyword.starts_with("expect")) {
            return expect(argument, keyword == "expect-urc") ? "" : "failed: " + line + next();
        }
        return "";
    }

  private:
    static std::string hex(const std::string& digits) {
        std::string out;
        for (std::size_t i = 0; i + 1 < digits.size(); i += 2) {
            out.push_back(static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16)));
        }
        return out;
    }

    std::string next() const { return lines_.empty() ? " (no line)" : " (got: " + lines_[0] + ")"; }

    bool expect(const std::string& pattern, bool urc) {
        const auto resolved = resolve(pattern, vars_, true);
        if (!resolved) {
            return false;
        }
        const RE2 re(*resolved);
        for (std::size_t at = 0;; ++at) {
            while (at >= lines_.size()) {
                if (!more()) {
                    return false;
                }
            }
            if (matches(re, lines_[at])) {
                lines_.erase(lines_.begin() + static_cast<std::ptrdiff_t>(at));
                return true;
            }
            if (!urc) {
                return false;
            }
        }
    }

    bool matches(const RE2& re, const std::string& line) {
        std::vector<std::string> values(static_cast<std::size_t>(re.NumberOfCapturingGroups()));
        std::vector<RE2::Arg> args(values.size());
        std::vector<RE2::Arg*> pointers;
        for (std::size_t i = 0; i < values.size(); ++i) {
            args[i] = &values[i];
            pointers.push_back(&args[i]);
        }
        if (!RE2::FullMatchN(line, re, pointers.data(), static_cast<int>(pointers.size()))) {
            return false;
        }
        for (const auto& [name, index] : re.NamedCapturingGroups()) {
            vars_[name] = values[static_cast<std::size_t>(index - 1)];
        }
        return true;
    }

    /// Reads output until one more line (docs/SCRIPTS.md, "Output lines").
    bool more() {
        Channel& out = modem_.out();
        const std::size_t before = lines_.size();
        while (lines_.size() == before) {
            if (out.unread().empty() && !out.wait_for_size(1, kAnswerBound)) {
                return false;
            }
            const std::string chunk = out.take_all();
            for (const char c : chunk) {
                if (c == '\r' || c == '\n') {
                    if (!partial_.empty()) {
                        lines_.push_back(std::move(partial_));
                    }
                    partial_.clear();
                } else {
                    partial_.push_back(c);
                }
            }
            if (partial_ == "> ") {
                lines_.push_back(">");
                partial_.clear();
            }
        }
        return true;
    }

    ChildProcess& modem_;
    Vars vars_;
    std::string line_end_ = "\r\n";
    std::deque<std::string> lines_;
    std::string partial_;
};

}  // namespace

std::string replay_recording(const std::string& script, ChildProcess& modem, Vars vars) {
    Replay replay(modem, std::move(vars));
    std::istringstream lines(script);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        const std::string failure = replay.step(line);
        if (!failure.empty()) {
            return "line " + std::to_string(number) + ": " + failure;
        }
    }
    return "";
}

}  // namespace atcoap::e2e
