#include "fleet/summary.hpp"

#include <fmt/format.h>

#include <string_view>

namespace atcoap::fleet {

namespace {

constexpr int kLabelWidth = 20;
constexpr int kValueWidth = 12;

double seconds_of(Duration d) {
    return static_cast<double>(d.count()) / 1000.0;
}

double per_second(std::uint64_t count, Duration d) {
    return d.count() <= 0 ? 0.0 : static_cast<double>(count) / seconds_of(d);
}

/// Microseconds as milliseconds with one decimal ("-" when there are no values).
std::string ms(const LatencyHistogram& h, std::uint64_t micros) {
    return h.count() == 0 ? std::string("-")
                          : fmt::format("{:.1f}", static_cast<double>(micros) / 1000.0);
}

using Rows = std::vector<std::pair<std::string, std::string>>;

void row(Rows& out, std::string label, std::string value) {
    out.emplace_back(std::move(label), std::move(value));
}

void row(Rows& out, std::string label, std::uint64_t value) {
    row(out, std::move(label), std::to_string(value));
}

/// p50, p90, p99, p99.9 and max of a histogram, one row each.
void percentile_rows(Rows& out, std::string_view name, const LatencyHistogram& h) {
    static constexpr std::pair<std::string_view, double> kQuantiles[] = {
        {"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p99.9", 0.999}};
    for (const auto& [label, q] : kQuantiles) {
        row(out, fmt::format("{} {} (ms)", name, label), ms(h, h.percentile(q)));
    }
    row(out, fmt::format("{} max (ms)", name), ms(h, h.max()));
}

}  // namespace

std::string status_line(const FleetStats& total, const FleetStats& interval, Duration length) {
    const LatencyHistogram& h = interval.latency;
    const auto latency = [&h](double q) {
        return h.count() == 0 ? std::string("-") : ms(h, h.percentile(q)) + " ms";
    };
    std::string line = fmt::format(
        "modems {} up | {:.1f} iterations/s | {:.1f} requests/s | p50 {} p99 {} | failures",
        total.modems_up, per_second(interval.iterations_started, length),
        per_second(interval.requests, length), latency(0.5), latency(0.99));
    if (total.at_failures.empty()) {
        line += " none";
    }
    for (const auto& [code, count] : total.at_failures) {
        fmt::format_to(std::back_inserter(line), " {}:{}", code, count);
    }
    fmt::format_to(std::back_inserter(line), " | retransmissions {}", total.retransmissions);
    return line;
}

std::string summary_table(const FleetStats& total, Duration elapsed) {
    std::string out;
    for (const auto& [label, value] : summary_rows(total, elapsed)) {
        fmt::format_to(std::back_inserter(out), "{:<{}}{:>{}}\n", label, kLabelWidth, value,
                       kValueWidth);
    }
    return out;
}

Rows summary_rows(const FleetStats& s, Duration elapsed) {
    Rows out;
    row(out, "elapsed (s)", fmt::format("{:.1f}", seconds_of(elapsed)));
    row(out, "iterations passed", s.iterations_passed);
    row(out, "iterations failed", s.iterations_failed);
    row(out, "requests", s.requests);
    row(out, "requests/s", fmt::format("{:.1f}", per_second(s.requests, elapsed)));
    for (const auto& [code, count] : s.responses) {
        row(out, fmt::format("responses {}", code), count);
    }
    row(out, "retransmissions", s.retransmissions);
    row(out, "give-ups", s.give_ups);
    for (const auto& [code, count] : s.at_failures) {
        row(out, fmt::format("AT failures {}", code), count);
    }
    row(out, "handshakes", s.handshakes);
    row(out, "handshake failures", s.handshake_failures);
    if (s.handshake.count() > 0) {
        percentile_rows(out, "handshake", s.handshake);
    }
    percentile_rows(out, "latency", s.latency);
    return out;
}

}  // namespace atcoap::fleet
