#pragma once
// An AT script (docs/SCRIPTS.md) as the parser hands it to the runner: a flat list of steps,
// includes already inlined, every step carrying the place it was written. Text that may hold
// `${NAME}` references is a Template, resolved when its step runs.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/time.hpp"

namespace re2 {
class RE2;
}

namespace atcoap::script {

/// Where something was written: 1-based line and column (in bytes) of a file as named to the
/// parser (an include's name is resolved against the including file's directory).
struct SourcePos {
    std::string file;
    int line = 0;
    int column = 0;
};

/// Literal bytes (escapes already decoded) and variable references, in order.
struct TemplatePart {
    bool variable = false;
    std::string text;  // the bytes, or the variable's name
};
struct Template {
    std::vector<TemplatePart> parts;
    bool has_variables() const {
        for (const auto& part : parts) {
            if (part.variable) {
                return true;
            }
        }
        return false;
    }
};

/// A regular expression (RE2 syntax) matched against one whole output line. A variable's
/// value is inserted quoted (RE2::QuoteMeta), so it matches itself literally. Named groups
/// `(?P<NAME>...)` set variable NAME when the line matches.
struct Pattern {
    Template source;
    /// Compiled at parse time when the source has no variables; else at run time.
    std::shared_ptr<const re2::RE2> compiled;
    std::vector<std::string> captures;  // the named groups, in order
    /// Set when the source has no variables and no byte RE2 reads as an operator (`OK`,
    /// `Not Found`): a line matches it when equal to it, which the runner checks without RE2.
    std::optional<std::string> literal;
};

enum class LineEnd : std::uint8_t { Cr, CrLf };

// The steps. Each runs when the one before it has finished.
/// `send TEXT`: the text and the script's line end.
struct Send {
    Template text;
};
/// `write "TEXT"` or `write hex HEX`: bytes as they are (a payload in a `> ` or CONNECT phase).
struct Write {
    Template bytes;
};
/// `ctrl-z` (0x1A) or `esc` (0x1B).
struct Key {
    char byte = 0;
};
/// `expect [within T] RE`: the next output line matches.
/// `expect-urc [within T] RE`: a line matching comes within T; lines before it stay unread.
/// `expect-none T RE`: no line matching comes within T; nothing is consumed.
struct Expect {
    enum class Kind : std::uint8_t { Next, Urc, None };
    Kind kind = Kind::Next;
    Pattern pattern;
    std::optional<Duration> within;  // nullopt: the script's default timeout (never for None)
};
/// `wait T`: time passes (none of the wall clock's in virtual time).
struct Wait {
    Duration time{};
};
/// `set NAME VALUE`.
struct Set {
    std::string name;
    Template value;
};
/// `line-end cr|crlf`, `timeout T`: settings for the steps after it.
struct SetLineEnd {
    LineEnd line_end = LineEnd::CrLf;
};
struct SetTimeout {
    Duration timeout{};
};
/// A fault from the control vocabulary (docs/CONTROL.md): the words of `atcoap ctl`
/// (`radio off`, `netem up loss 30%`, `reboot`, ...). Only targets with a control side run it.
struct Control {
    std::vector<Template> words;
};

using Action = std::variant<Send, Write, Key, Expect, Wait, Set, SetLineEnd, SetTimeout, Control>;

struct Step {
    SourcePos pos;
    std::string text;  // the step as written (its line, trimmed), for reports
    Action action;
};

struct Script {
    std::string file;  // as given to the parser
    std::vector<Step> steps;
    bool uses_control() const;
};

inline constexpr Duration kDefaultTimeout = std::chrono::seconds(5);

}  // namespace atcoap::script
