#include "fleet/report.hpp"

#include <gtest/gtest.h>

#include <string>

namespace atcoap::fleet {
namespace {

Record interval(std::int64_t end_ms, std::uint64_t requests, std::uint64_t latency_us) {
    Record r;
    r.elapsed = Duration{end_ms};
    r.length = Duration{1000};
    r.stats.requests = requests;
    r.stats.iterations_started = requests / 2;
    r.stats.responses["2.05"] = requests;
    r.stats.at_failures[-11] = 1;
    r.stats.iterations_failed = 1;
    r.stats.latency.record(latency_us);
    return r;
}

TEST(Timeline, OnePointPerIntervalWithItsFigures) {
    Timeline t;
    t.add(interval(1000, 10, 40'000));
    t.add(interval(2000, 20, 60'000));
    ASSERT_EQ(t.points().size(), 2u);
    const Timeline::Point& p = t.points()[1];
    EXPECT_EQ(p.elapsed, Duration{2000});
    EXPECT_EQ(p.length, Duration{1000});
    EXPECT_EQ(p.requests, 20u);
    EXPECT_EQ(p.iterations, 10u);
    EXPECT_EQ(p.responses, 20u);
    EXPECT_EQ(p.failures, 2u);  // one AT failure, one failed iteration
    EXPECT_EQ(p.p50, 60'000u);
    EXPECT_EQ(p.p99, 60'000u);
}

TEST(Timeline, PastItsBoundNeighboursMergePairwiseAndTheTotalsStay) {
    Timeline t;
    const std::size_t n = Timeline::kMaxPoints * 2 + 3;  // two halvings, then a partial point
    for (std::size_t i = 0; i < n; ++i) {
        t.add(interval(static_cast<std::int64_t>(i + 1) * 1000, i % 7, 1000 + i));
    }
    EXPECT_EQ(t.stride(), 4u);
    EXPECT_LE(t.points().size(), Timeline::kMaxPoints);
    EXPECT_EQ(t.points().size(), (n + 3) / 4);
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    Duration length{0};
    for (const auto& p : t.points()) {
        requests += p.requests;
        failures += p.failures;
        length += p.length;
    }
    std::uint64_t want = 0;
    for (std::size_t i = 0; i < n; ++i) {
        want += i % 7;
    }
    EXPECT_EQ(requests, want);
    EXPECT_EQ(failures, 2 * n);
    EXPECT_EQ(length, Duration{static_cast<std::int64_t>(n) * 1000});
    EXPECT_EQ(t.points().front().elapsed, Duration{4000});
    EXPECT_EQ(t.points().front().length, Duration{4000});
    EXPECT_EQ(t.points().front().p99, 1003u) << "the higher of the merged points";
    EXPECT_EQ(t.points().back().elapsed, Duration{static_cast<std::int64_t>(n) * 1000});
}

TEST(HtmlReport, IsOnePageWithNothingToFetchAndHoldsTheFigures) {
    Timeline t;
    t.add(interval(1000, 10, 40'000));
    t.add(interval(2000, 30, 60'000));
    Record final_record;
    final_record.kind = Record::Kind::Final;
    final_record.run = RunInfo{0, 2, 200, 9};
    final_record.length = Duration{2000};
    final_record.stats.requests = 40;
    final_record.stats.responses["4.04"] = 3;
    final_record.stats.latency.record(40'000);
    const std::string page = html_report(t, final_record);
    EXPECT_TRUE(page.starts_with("<!DOCTYPE html>"));
    for (const char* banned : {"http", "src=", "href", "url(", "@import", "<script", "<link"}) {
        EXPECT_EQ(page.find(banned), std::string::npos) << banned;
    }
    EXPECT_NE(page.find("<title>atcoap fleet: 200 modems, seed 9, 2 shards</title>"),
              std::string::npos);
    EXPECT_EQ(std::count(page.begin(), page.end(), '\n') > 10, true);
    std::size_t charts = 0;
    for (auto at = page.find("<svg"); at != std::string::npos; at = page.find("<svg", at + 1)) {
        ++charts;
    }
    EXPECT_EQ(charts, 3u);
    EXPECT_NE(page.find("<tr><th>requests</th><td>40</td></tr>"), std::string::npos);
    EXPECT_NE(page.find("<tr><th>responses 4.04</th><td>3</td></tr>"), std::string::npos);
    EXPECT_NE(page.find("<tr><th>latency p50 (ms)</th><td>40.0</td></tr>"), std::string::npos);
    // requests/s of the two intervals: 10 and 30 on a y axis up to 50.
    EXPECT_NE(page.find(">50 /s</text>"), std::string::npos);
    EXPECT_NE(page.find(">&#9632; p99</span>"), std::string::npos);
}

TEST(HtmlReport, OneIntervalIsDrawnAsDots) {
    Timeline t;
    t.add(interval(1000, 10, 40'000));
    const std::string page = html_report(t, Record{});
    std::size_t dots = 0;
    for (auto at = page.find("<circle"); at != std::string::npos;
         at = page.find("<circle", at + 1)) {
        ++dots;
    }
    EXPECT_EQ(dots, 6u);  // two rates, three percentiles, the failures
}

TEST(HtmlReport, WithoutIntervalsSaysSo) {
    const std::string page = html_report(Timeline{}, Record{});
    EXPECT_NE(page.find("No intervals were recorded."), std::string::npos);
    EXPECT_EQ(page.find("<svg"), std::string::npos);
    EXPECT_NE(page.find("<tr><th>requests</th><td>0</td></tr>"), std::string::npos);
}

TEST(HtmlReport, EscapesEveryMarkupCharacter) {
    EXPECT_EQ(html_escape("<a href=\"x\">Tom & 'Jerry'</a>"),
              "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace atcoap::fleet
