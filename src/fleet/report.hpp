#pragma once
// `--report FILE.html` (docs/FLEET.md, "The report"): one self-contained page, inline SVG charts
// of requests/s, latency percentiles and failures over time, and the summary table.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"
#include "fleet/json_lines.hpp"
#include "fleet/stats.hpp"

namespace atcoap::fleet {

/// The run over time, one point per interval; bounded: past kMaxPoints, neighbouring points are
/// merged pairwise (the resolution halves, the totals stay), and from then on each point takes
/// as many intervals as the merged ones hold. A merged point's percentiles are the higher of
/// its two: the percentile of the pair lies between them.
class Timeline {
  public:
    static constexpr std::size_t kMaxPoints = 4096;
    struct Point {
        Duration elapsed{};  // end of the interval
        Duration length{};
        std::uint64_t iterations = 0;
        std::uint64_t requests = 0;
        std::uint64_t responses = 0;
        std::uint64_t failures = 0;               // AT failures and failed iterations
        std::uint64_t p50 = 0, p90 = 0, p99 = 0;  // microseconds
    };
    void add(const Record& interval);
    const std::vector<Point>& points() const { return points_; }
    /// How many intervals each point holds: 1, then 2, 4 ... after each halving.
    std::size_t stride() const { return stride_; }

  private:
    void halve();

    std::vector<Point> points_;
    std::size_t stride_ = 1;
    std::size_t in_last_ = 0;  // intervals in the last point
};

std::string html_report(const Timeline& timeline, const Record& final_record);

/// `text` with &, <, >, " and ' as HTML character references: every text of the page goes
/// through this.
std::string html_escape(std::string_view text);

}  // namespace atcoap::fleet
