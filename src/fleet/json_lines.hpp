#pragma once
// `atcoap fleet --json FILE` (docs/FLEET.md, "JSON lines"): one JSON object per line, one per
// interval and one final, each with its histograms' buckets, so that the files of many
// processes merge exactly (`atcoap fleet merge`). Reading is bounded and total: any text gives
// records or one error line naming its line number.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "base/time.hpp"
#include "fleet/stats.hpp"

namespace atcoap::fleet {

/// Who wrote a line: a shard of a fleet.
struct RunInfo {
    std::uint64_t shard_index = 0;
    std::uint64_t shard_count = 1;
    std::uint64_t modems = 0;  // the whole fleet's, before sharding
    std::uint64_t seed = 0;
    bool operator==(const RunInfo&) const = default;
};

struct Record {
    enum class Kind { Interval, Final };
    Kind kind = Kind::Interval;
    RunInfo run;
    Duration elapsed{};  // since the fleet started, at the end of the interval (or the run)
    Duration length{};   // the interval's length; the run's for the final record
    FleetStats stats;    // an interval's own counts (not cumulative); the final's: the whole run
    bool operator==(const Record&) const = default;
};

/// One line, without its newline.
std::string to_json_line(const Record& record);
/// Every line of `text` (blank lines skipped; lines that are not JSON objects of ours are an
/// error, as is a line over kMaxLineBytes). The other bounds (docs/FLEET.md, "JSON lines"):
/// at most kMaxRecords records, kMaxTextBytes of text, kMaxMapEntries response codes or AT
/// result codes in a record, and bucket indexes up to LatencyHistogram::kMaxIndex. An error is
/// one line: "line N: what is wrong".
inline constexpr std::size_t kMaxLineBytes = 1024 * 1024;
inline constexpr std::size_t kMaxTextBytes = 256 * 1024 * 1024;
inline constexpr std::size_t kMaxRecords = 100'000;
inline constexpr std::size_t kMaxMapEntries = 128;
/// The "version" every line carries; a line of another version is refused.
inline constexpr int kJsonVersion = 1;
Result<std::vector<Record>, std::string> read_json_lines(std::string_view text);
/// The same with other bounds on the records and the text (tests drive past them cheaply).
struct ReadLimits {
    std::size_t max_records = kMaxRecords;
    std::size_t max_text_bytes = kMaxTextBytes;
};
Result<std::vector<Record>, std::string> read_json_lines(std::string_view text,
                                                         const ReadLimits& limits);

}  // namespace atcoap::fleet
