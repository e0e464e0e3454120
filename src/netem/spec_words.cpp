#include "netem/spec_words.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace atcoap::netem::detail {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// A decimal number at the start of `word` (digits, an optional fraction, an optional leading
/// minus so that negative values get the range's message); the rest of the word is the unit.
std::optional<std::pair<double, std::string_view>> number_and_unit(std::string_view word) {
    double value = 0;
    const auto [end, error] =
        std::from_chars(word.data(), word.data() + word.size(), value, std::chars_format::fixed);
    if (error != std::errc() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return std::pair{value, word.substr(static_cast<std::size_t>(end - word.data()))};
}

bool same_letters(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

struct Unit {
    std::string_view name;
    double scale;
};

std::optional<double> scale_of(std::string_view unit, const auto& table) {
    for (const Unit& u : table) {
        if (same_letters(unit, u.name)) {
            return u.scale;
        }
    }
    return std::nullopt;
}

// tc(8) "TIMES": a bare number is microseconds.
constexpr std::array<Unit, 10> kTimeUnits{{{"", 1e3},
                                           {"s", 1e9},
                                           {"sec", 1e9},
                                           {"secs", 1e9},
                                           {"ms", 1e6},
                                           {"msec", 1e6},
                                           {"msecs", 1e6},
                                           {"us", 1e3},
                                           {"usec", 1e3},
                                           {"usecs", 1e3}}};

// tc(8) "RATES": a bare number is bits per second. tc's "bps" means bytes per second, a
// trap we do not set: only the bit units are taken.
constexpr std::array<Unit, 5> kRateUnits{
    {{"", 1}, {"bit", 1}, {"kbit", 1e3}, {"mbit", 1e6}, {"gbit", 1e9}}};

}  // namespace

std::vector<std::string_view> split_words(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < text.size() && !is_space(text[i])) {
            ++i;
        }
        if (i > start) {
            words.push_back(text.substr(start, i - start));
        }
    }
    return words;
}

std::string quote_error(std::string_view clause, std::string_view what) {
    std::string line = "\"";
    line += clause;
    line += "\": ";
    line += what;
    return line;
}

std::string_view Clause::peek() const {
    return next_ < words_.size() ? words_[next_] : std::string_view{};
}

std::string_view Clause::take() {
    const std::string_view word = peek();
    if (next_ < words_.size()) {
        ++next_;
    }
    return word;
}

bool Clause::next_is_number() const {
    const std::string_view word = peek();
    return !word.empty() &&
           ((word[0] >= '0' && word[0] <= '9') || word[0] == '.' || word[0] == '-');
}

std::string Clause::error(std::string_view what) const {
    std::string clause;
    for (std::size_t i = start_; i < next_; ++i) {
        clause += (i == start_ ? "" : " ");
        clause += words_[i];
    }
    return quote_error(clause, what);
}

std::optional<std::string> Clause::no_correlation() {
    if (!next_is_number()) {
        return std::nullopt;
    }
    take();
    return error("a correlation is not supported (tc's optional last number)");
}

std::optional<std::string> parse_percent(Clause& c, double& out) {
    const auto parsed = number_and_unit(c.take());
    if (!parsed || !(parsed->second.empty() || parsed->second == "%")) {
        return c.error("expected a percentage such as 5%");
    }
    if (parsed->first < 0 || parsed->first > 100) {
        return c.error("a percentage is 0 to 100");
    }
    out = parsed->first / 100;
    return std::nullopt;
}

std::optional<std::string> parse_time(Clause& c, Nanoseconds& out) {
    const auto parsed = number_and_unit(c.take());
    const auto scale = parsed ? scale_of(parsed->second, kTimeUnits) : std::nullopt;
    if (!scale) {
        return c.error("expected a time such as 100ms (s, ms or us; a bare number is us)");
    }
    const double ns = parsed->first * *scale;
    if (ns < 0 || ns > static_cast<double>(kMaxTime.count())) {
        return c.error("a time is 0 to 3600s");
    }
    out = Nanoseconds(std::llround(ns));
    return std::nullopt;
}

std::optional<std::string> parse_rate(Clause& c, std::uint64_t& out) {
    const auto parsed = number_and_unit(c.take());
    const auto scale = parsed ? scale_of(parsed->second, kRateUnits) : std::nullopt;
    if (!scale) {
        return c.error("expected a rate such as 64kbit (bit, kbit, mbit or gbit)");
    }
    const double bits = std::round(parsed->first * *scale);
    if (bits < 1 || bits > static_cast<double>(kMaxRate)) {
        return c.error("a rate is 1bit to 100gbit");
    }
    out = static_cast<std::uint64_t>(bits);
    return std::nullopt;
}

std::optional<std::string> parse_count(Clause& c, std::string_view what, std::size_t max,
                                       std::size_t& out) {
    const std::string_view word = c.take();
    std::size_t n = 0;
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), n);
    if (word.empty() || error == std::errc::invalid_argument || end != word.data() + word.size()) {
        return c.error("expected a whole number");
    }
    if (error == std::errc::result_out_of_range || n < 1 || n > max) {
        return c.error(std::string(what) + " is 1 to " + std::to_string(max));
    }
    out = n;
    return std::nullopt;
}

}  // namespace atcoap::netem::detail
