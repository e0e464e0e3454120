#include "fleet/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "fleet/summary.hpp"

namespace atcoap::fleet {

namespace {

using Point = Timeline::Point;

void merge_into(Point& into, const Point& next) {
    into.elapsed = std::max(into.elapsed, next.elapsed);
    into.length += next.length;
    into.iterations += next.iterations;
    into.requests += next.requests;
    into.responses += next.responses;
    into.failures += next.failures;
    into.p50 = std::max(into.p50, next.p50);
    into.p90 = std::max(into.p90, next.p90);
    into.p99 = std::max(into.p99, next.p99);
}

Point point_of(const Record& r) {
    const FleetStats& s = r.stats;
    Point p;
    p.elapsed = r.elapsed;
    p.length = r.length;
    p.iterations = s.iterations_started;
    p.requests = s.requests;
    for (const auto& [code, count] : s.responses) {
        p.responses += count;
    }
    p.failures = s.iterations_failed;
    for (const auto& [code, count] : s.at_failures) {
        p.failures += count;
    }
    p.p50 = s.latency.percentile(0.5);
    p.p90 = s.latency.percentile(0.9);
    p.p99 = s.latency.percentile(0.99);
    return p;
}

double per_second(std::uint64_t count, Duration length) {
    return length.count() <= 0
               ? 0.0
               : static_cast<double>(count) * 1000.0 / static_cast<double>(length.count());
}

double millis(std::uint64_t micros) {
    return static_cast<double>(micros) / 1000.0;
}

struct Series {
    std::string_view name;
    std::string_view colour;
    std::function<double(const Point&)> value;
};

constexpr double kWidth = 760, kHeight = 200, kLeft = 60, kTop = 10, kBottom = 30;

/// The smallest of 1, 2, 5 x 10^n at or above `v` (at least 1): the top of the y axis.
double nice_top(double v) {
    if (!std::isfinite(v)) {
        return 1;
    }
    for (double step = 1;; step *= 10) {
        for (const double m : {1.0, 2.0, 5.0}) {
            if (step * m >= v) {
                return step * m;
            }
        }
    }
}

void chart(std::string& out, std::string_view title, std::string_view unit,
           const std::vector<Point>& points, const std::vector<Series>& series) {
    fmt::format_to(std::back_inserter(out), "<h2>{}</h2>\n", html_escape(title));
    if (points.empty()) {
        out += "<p>No intervals were recorded.</p>\n";
        return;
    }
    double top = 0;
    for (const Series& s : series) {
        for (const Point& p : points) {
            top = std::max(top, s.value(p));
        }
    }
    top = nice_top(top);
    const double first =
        static_cast<double>((points.front().elapsed - points.front().length).count());
    const double span = std::max(1.0, static_cast<double>(points.back().elapsed.count()) - first);
    const double plot_w = kWidth - kLeft - 10, plot_h = kHeight - kTop - kBottom;
    const auto x = [&](const Point& p) {
        return kLeft + (static_cast<double>(p.elapsed.count()) - first) / span * plot_w;
    };
    const auto y = [&](double v) { return kTop + plot_h - v / top * plot_h; };
    fmt::format_to(std::back_inserter(out),
                   "<svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\">\n"
                   "<rect x=\"{2}\" y=\"{3}\" width=\"{4}\" height=\"{5}\" class=\"plot\"/>\n"
                   "<text x=\"{6}\" y=\"{7}\" class=\"y\">{8} {9}</text>\n"
                   "<text x=\"{6}\" y=\"{10}\" class=\"y\">0</text>\n"
                   "<text x=\"{2}\" y=\"{11}\">{12:.1f} s</text>\n"
                   "<text x=\"{13}\" y=\"{11}\" class=\"y\">{14:.1f} s</text>\n",
                   kWidth, kHeight, kLeft, kTop, plot_w, plot_h, kLeft - 4, kTop + 10, top,
                   html_escape(unit), kTop + plot_h, kHeight - 10, first / 1000.0, kLeft + plot_w,
                   (first + span) / 1000.0);
    for (const Series& s : series) {
        fmt::format_to(std::back_inserter(out), "<polyline fill=\"none\" stroke=\"{}\" points=\"",
                       s.colour);
        for (const Point& p : points) {
            fmt::format_to(std::back_inserter(out), "{:.1f},{:.1f} ", x(p), y(s.value(p)));
        }
        out += "\"/>\n";
        if (points.size() == 1) {  // a line of one point draws nothing: a dot
            fmt::format_to(std::back_inserter(out),
                           "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n",
                           x(points[0]), y(s.value(points[0])), s.colour);
        }
    }
    out += "</svg>\n<p class=\"legend\">";
    for (const Series& s : series) {
        fmt::format_to(std::back_inserter(out), "<span style=\"color:{}\">&#9632; {}</span> ",
                       s.colour, html_escape(s.name));
    }
    out += "</p>\n";
}

void table(std::string& out, const Record& final_record) {
    out += "<h2>Summary</h2>\n<table>\n";
    for (const auto& [label, value] : summary_rows(final_record.stats, final_record.length)) {
        fmt::format_to(std::back_inserter(out), "<tr><th>{}</th><td>{}</td></tr>\n",
                       html_escape(label), html_escape(value));
    }
    out += "</table>\n";
}

constexpr std::string_view kStyle =
    "body{font-family:sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse}th,td{padding:2px 12px;border-bottom:1px solid #ddd}"
    "th{text-align:left;font-weight:normal}td{text-align:right;font-family:monospace}"
    "svg text{font-size:11px}svg text.y{text-anchor:end}"
    ".plot{fill:#fafafa;stroke:#999}.legend{font-size:13px}";

}  // namespace

void Timeline::add(const Record& interval) {
    const Point point = point_of(interval);
    if (in_last_ != 0) {
        merge_into(points_.back(), point);
    } else {
        if (points_.size() == kMaxPoints) {
            halve();
        }
        points_.push_back(point);
    }
    in_last_ = (in_last_ + 1) % stride_;
}

// Neighbours merge pairwise: the resolution halves, the totals stay (docs/FLEET.md, "The
// report"); later intervals fill points of the new stride.
void Timeline::halve() {
    std::vector<Point> merged;
    merged.reserve(kMaxPoints / 2 + 1);
    for (std::size_t i = 0; i < points_.size(); i += 2) {
        merged.push_back(points_[i]);
        if (i + 1 < points_.size()) {
            merge_into(merged.back(), points_[i + 1]);
        }
    }
    points_ = std::move(merged);
    stride_ *= 2;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// One page with nothing to fetch: the style is inline, the charts are inline SVG, no script.
std::string html_report(const Timeline& timeline, const Record& final_record) {
    const RunInfo& run = final_record.run;
    const std::string title =
        fmt::format("atcoap fleet: {} modems, seed {}, {} shard{}", run.modems, run.seed,
                    run.shard_count, run.shard_count == 1 ? "" : "s");
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>{0}</title>\n<style>{1}</style>\n</head>\n<body>\n<h1>{0}</h1>\n",
        html_escape(title), kStyle);
    const auto& points = timeline.points();
    chart(
        out, "Requests and iterations per second", "/s", points,
        {{"requests/s", "#1f77b4", [](const Point& p) { return per_second(p.requests, p.length); }},
         {"iterations/s", "#2ca02c",
          [](const Point& p) { return per_second(p.iterations, p.length); }}});
    chart(out, "Latency percentiles", "ms", points,
          {{"p50", "#2ca02c", [](const Point& p) { return millis(p.p50); }},
           {"p90", "#ff7f0e", [](const Point& p) { return millis(p.p90); }},
           {"p99", "#d62728", [](const Point& p) { return millis(p.p99); }}});
    chart(out, "Failures per interval", "", points,
          {{"AT failures and failed iterations", "#d62728",
            [](const Point& p) { return static_cast<double>(p.failures); }}});
    table(out, final_record);
    out += "</body>\n</html>\n";
    return out;
}

}  // namespace atcoap::fleet
