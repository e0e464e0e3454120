#pragma once
// The declarative parameter schema: each command row lists its write-form parameters, and the
// dispatcher checks and converts them before a handler runs, so handlers receive typed,
// validated values (docs/ARCHITECTURE.md, "every AT command is one table row").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "at/command_line.hpp"
#include "base/result.hpp"

namespace atcoap::at {

/// A decimal integer in [min, max], unquoted (V.250 numeric constant).
struct IntRange {
    std::int64_t min;
    std::int64_t max;
};

/// A quoted string of at most max_length bytes.
struct QuotedString {
    std::size_t max_length;
};

/// Text taken as written, quoted or not, for handlers that interpret it themselves
/// (tokens and option values, docs/DIALECT.md §3).
struct AnyText {
    std::size_t max_length;
};

struct ParamSpec {
    std::string_view name;
    std::variant<IntRange, QuotedString, AnyText> kind;
    bool optional = false;
};

/// A parameter error, for the log: which parameter and which rule it broke.
struct ParamError {
    std::size_t index = 0;  // 1-based position
    std::string reason;
};

/// Validated parameters of one write command.
class Args {
  public:
    struct Value {
        bool present = false;
        std::int64_t integer = 0;
        std::string_view text;  // views the command line: copy what outlives the handler
        bool quoted = false;
    };

    explicit Args(std::vector<Value> values) : values_(std::move(values)) {}
    Args() = default;

    /// For validate(), which refills one Args per dispatcher and so reuses its storage.
    std::vector<Value>& values() { return values_; }

    std::size_t size() const { return values_.size(); }
    bool has(std::size_t index) const { return index < values_.size() && values_[index].present; }
    std::int64_t integer(std::size_t index) const { return values_.at(index).integer; }
    std::string_view text(std::size_t index) const { return values_.at(index).text; }
    bool quoted(std::size_t index) const { return values_.at(index).quoted; }

  private:
    std::vector<Value> values_;
};

/// Checks `raw` against `specs`: count, presence, range, quoting and length; fills `out`,
/// whose texts view the same text as `raw`'s.
Status<ParamError> validate(const std::vector<RawArg>& raw, const std::vector<ParamSpec>& specs,
                            Args& out);

/// A decimal integer of at most 18 digits, no sign; nullopt for anything else.
std::optional<std::int64_t> parse_decimal(std::string_view text);

}  // namespace atcoap::at
