#include "netem/spec.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <set>
#include <vector>

#include "netem/spec_words.hpp"

namespace atcoap::netem {

namespace {

using detail::Clause;
using detail::parse_count;
using detail::parse_percent;
using detail::parse_rate;
using detail::parse_time;

constexpr std::string_view kClauses =
    "loss, delay, distribution, duplicate, reorder, gap, corrupt, rate, limit or blackhole";

/// Walks the words of a spec clause by clause.
class Parser {
  public:
    explicit Parser(std::string_view text) : words_(detail::split_words(text)) {}

    Result<Spec, std::string> run() {
        if (words_.empty()) {
            return fail(std::string("\"\": an empty spec; expected ") + std::string(kClauses));
        }
        while (at_ < words_.size()) {
            Clause clause(words_, at_);
            if (auto error = one_clause(clause)) {
                return fail(std::move(*error));
            }
            at_ = clause.end();
        }
        if (auto error = check_combination()) {
            return fail(std::move(*error));
        }
        return spec_;
    }

  private:
    using Error = std::optional<std::string>;

    Error one_clause(Clause& c) {
        const std::string_view word = c.keyword();
        if (!seen_.insert(std::string(word)).second) {
            return c.error("given twice; each clause at most once");
        }
        if (word == "loss") {
            return loss(c);
        }
        if (word == "delay") {
            return delay(c);
        }
        if (word == "distribution") {
            return distribution(c);
        }
        if (word == "duplicate" || word == "reorder" || word == "corrupt") {
            return percent_clause(c, word == "duplicate" ? spec_.duplicate
                                     : word == "reorder" ? spec_.reorder
                                                         : spec_.corrupt);
        }
        if (word == "gap") {
            return count_clause(c, "a gap", kMaxGap, spec_.gap);
        }
        if (word == "rate") {
            return rate(c);
        }
        if (word == "limit") {
            std::size_t limit = 0;
            if (auto error = count_clause(c, "a limit", kMaxLimit, limit)) {
                return error;
            }
            spec_.limit = limit;
            return std::nullopt;
        }
        if (word == "blackhole") {
            spec_.blackhole = true;
            return std::nullopt;
        }
        return c.error("unknown clause; expected " + std::string(kClauses));
    }

    Error loss(Clause& c) {
        if (c.peek() == "state") {
            c.take();
            return c.error("the 4-state loss model is not supported; use loss gemodel");
        }
        if (c.peek() == "gemodel") {
            c.take();
            return gemodel(c);
        }
        if (c.peek() == "random") {
            c.take();
        }
        double p = 0;
        if (auto error = parse_percent(c, p)) {
            return error;
        }
        spec_.loss = p;
        return c.no_correlation();
    }

    Error gemodel(Clause& c) {
        GilbertElliott model;
        if (auto error = parse_percent(c, model.p)) {
            return error;
        }
        model.r = 1 - model.p;
        std::array<double*, 3> optional_values{&model.r, &model.bad_loss, &model.good_loss};
        for (double* value : optional_values) {
            if (!c.next_is_number()) {
                break;
            }
            if (auto error = parse_percent(c, *value)) {
                return error;
            }
        }
        if (c.next_is_number()) {
            c.take();
            return c.error("gemodel takes at most four numbers: p, r, 1-h and 1-k");
        }
        spec_.gemodel = model;
        return std::nullopt;
    }

    Error delay(Clause& c) {
        if (auto error = parse_time(c, spec_.delay)) {
            return error;
        }
        if (c.next_is_number()) {
            if (auto error = parse_time(c, spec_.jitter)) {
                return error;
            }
        }
        return c.no_correlation();
    }

    Error distribution(Clause& c) {
        const std::string_view name = c.take();
        if (name == "uniform") {
            spec_.distribution = Distribution::Uniform;
        } else if (name == "normal") {
            spec_.distribution = Distribution::Normal;
        } else {
            return c.error("expected uniform or normal");
        }
        distribution_given_ = true;
        return std::nullopt;
    }

    Error percent_clause(Clause& c, std::optional<double>& into) {
        double p = 0;
        if (auto error = parse_percent(c, p)) {
            return error;
        }
        into = p;
        return c.no_correlation();
    }

    template <class Count>
    Error count_clause(Clause& c, std::string_view what, std::size_t max, Count& into) {
        std::size_t n = 0;
        if (auto error = parse_count(c, what, max, n)) {
            return error;
        }
        into = static_cast<Count>(n);
        return std::nullopt;
    }

    Error rate(Clause& c) {
        std::uint64_t bits = 0;
        if (auto error = parse_rate(c, bits)) {
            return error;
        }
        spec_.rate = bits;
        if (c.next_is_number()) {
            c.take();
            return c.error("packet overhead and cell sizes are not supported");
        }
        return std::nullopt;
    }

    // tc's own rules (q_netem.c): reordering needs a delay, a gap needs reordering (and is 1
    // when not given), a distribution needs jitter.
    Error check_combination() {
        if (spec_.reorder && spec_.delay.count() == 0) {
            return detail::quote_error("reorder", "reordering needs a delay (delay T)");
        }
        if (spec_.reorder && spec_.gap == 0) {
            spec_.gap = 1;
        }
        if (!spec_.reorder && spec_.gap != 0) {
            return detail::quote_error("gap", "a gap needs reorder P%");
        }
        if (distribution_given_ && spec_.jitter.count() == 0) {
            return detail::quote_error("distribution", "a distribution needs a delay with jitter");
        }
        if (spec_.blackhole && seen_.size() > 1) {
            return detail::quote_error("blackhole", "blackhole drops everything; give it alone");
        }
        return std::nullopt;
    }

    std::vector<std::string_view> words_;
    std::size_t at_ = 0;
    Spec spec_;
    std::set<std::string> seen_;
    bool distribution_given_ = false;
};

std::string fixed_text(double value) {
    char buffer[64];
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return std::string(buffer, result.ptr);
}

std::string percent_text(double fraction) {
    return fixed_text(std::round(fraction * 1e8) / 1e6) + "%";
}

/// Whole milliseconds as such, anything finer in microseconds (to the nanosecond).
std::string time_text(Nanoseconds time) {
    if (time.count() % 1'000'000 == 0) {
        return std::to_string(time.count() / 1'000'000) + "ms";
    }
    return fixed_text(static_cast<double>(time.count()) / 1000.0) + "us";
}

void add_loss(const Spec& spec, std::string& out) {
    if (spec.loss) {
        out += " loss " + percent_text(*spec.loss);
    }
    if (const auto& g = spec.gemodel) {
        out += " loss gemodel " + percent_text(g->p) + " " + percent_text(g->r) + " " +
               percent_text(g->bad_loss) + " " + percent_text(g->good_loss);
    }
}

void add_delay(const Spec& spec, std::string& out) {
    if (spec.delay.count() == 0 && spec.jitter.count() == 0) {
        return;
    }
    out += " delay " + time_text(spec.delay);
    if (spec.jitter.count() != 0) {
        out += " " + time_text(spec.jitter);
        out += spec.distribution == Distribution::Normal ? " distribution normal"
                                                         : " distribution uniform";
    }
}

}  // namespace

Result<Spec, std::string> parse_spec(std::string_view text) {
    return Parser(text).run();
}

std::string to_string(const Spec& spec) {
    if (spec.blackhole) {
        return "blackhole";
    }
    std::string out;
    add_loss(spec, out);
    add_delay(spec, out);
    if (spec.duplicate) {
        out += " duplicate " + percent_text(*spec.duplicate);
    }
    if (spec.reorder) {
        out += " reorder " + percent_text(*spec.reorder) + " gap " + std::to_string(spec.gap);
    }
    if (spec.corrupt) {
        out += " corrupt " + percent_text(*spec.corrupt);
    }
    if (spec.rate) {
        out += " rate " + std::to_string(*spec.rate) + "bit";
    }
    if (spec.limit != kDefaultLimit) {
        out += " limit " + std::to_string(spec.limit);
    }
    return out.empty() ? std::string("none") : out.substr(1);
}

}  // namespace atcoap::netem
