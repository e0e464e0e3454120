#pragma once
// The words of a netem spec and the values in them (spec.cpp's helpers): percentages, times,
// rates and counts as tc writes them (tc(8) "PARAMETERS"), each refused with the clause quoted.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netem/spec.hpp"

namespace atcoap::netem::detail {

std::vector<std::string_view> split_words(std::string_view text);

/// `"<clause>": <what>`.
std::string quote_error(std::string_view clause, std::string_view what);

/// One clause: its keyword and the words it takes, read one at a time.
class Clause {
  public:
    Clause(const std::vector<std::string_view>& words, std::size_t start)
        : words_(words), start_(start), next_(start + 1) {}

    std::string_view keyword() const { return words_[start_]; }
    /// The next word, or an empty one at the end of the spec.
    std::string_view peek() const;
    std::string_view take();
    /// Whether the next word starts like a number (tc's NEXT_IS_NUMBER).
    bool next_is_number() const;
    /// Just past the last word taken.
    std::size_t end() const { return next_; }

    /// The clause as written so far, quoted, and what was wrong with it.
    std::string error(std::string_view what) const;
    /// tc's optional correlation after a value: refused, since it is not modelled.
    std::optional<std::string> no_correlation();

  private:
    const std::vector<std::string_view>& words_;
    std::size_t start_;
    std::size_t next_;
};

/// Each takes the next word of `c`; on error returns the line, else sets `out`.
std::optional<std::string> parse_percent(Clause& c, double& out);
std::optional<std::string> parse_time(Clause& c, Nanoseconds& out);
std::optional<std::string> parse_rate(Clause& c, std::uint64_t& out);
std::optional<std::string> parse_count(Clause& c, std::string_view what, std::size_t max,
                                       std::size_t& out);

}  // namespace atcoap::netem::detail
