#include "cli/fleet_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>

#include "fleet/json_lines.hpp"
#include "fleet/report.hpp"
#include "fleet/summary.hpp"

namespace atcoap::cli {

namespace {

using fleet::Record;

struct Bad {
    std::string line;  // the error, one line
};

/// The whole file, read in chunks and refused past fleet::kMaxTextBytes (a pipe has no size).
std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Bad{fmt::format("{}: cannot be opened", path)};
    }
    std::string text;
    std::array<char, 64 * 1024> chunk{};
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
        if (text.size() > fleet::kMaxTextBytes) {
            throw Bad{fmt::format("{}: larger than {} bytes", path, fleet::kMaxTextBytes)};
        }
    }
    if (in.bad()) {
        throw Bad{fmt::format("{}: cannot be read", path)};
    }
    return text;
}

std::string fleet_text(const fleet::RunInfo& run) {
    return fmt::format("{} shards of {} modems, seed {}", run.shard_count, run.modems, run.seed);
}

/// The records of every file, gathered: one final per shard of one fleet, and the intervals
/// merged by their end (elapsed since each shard's start).
class Merger {
  public:
    void add_file(const std::string& path) {
        auto records = fleet::read_json_lines(read_file(path));
        if (!records) {
            throw Bad{fmt::format("{}: {}", path, records.error())};
        }
        for (Record& r : *records) {
            add(path, r);
        }
    }

    /// The fleet's final record; throws when a shard has none.
    Record final_record() const {
        if (!run_) {
            throw Bad{"no final record: give the JSON lines of every shard"};
        }
        Record merged;
        merged.kind = Record::Kind::Final;
        merged.run = *run_;
        merged.run.shard_index = 0;
        for (std::uint64_t shard = 0; shard < run_->shard_count; ++shard) {
            const auto found = finals_.find(shard);
            if (found == finals_.end()) {
                throw Bad{fmt::format("shard {}/{} has no final record ({})", shard,
                                      run_->shard_count, fleet_text(*run_))};
            }
            merged.stats.merge(found->second.record.stats);
            merged.elapsed = std::max(merged.elapsed, found->second.record.elapsed);
            merged.length = std::max(merged.length, found->second.record.length);
        }
        return merged;
    }

    fleet::Timeline timeline() const {
        fleet::Timeline timeline;
        for (const auto& [elapsed, record] : intervals_) {
            timeline.add(record);
        }
        return timeline;
    }

  private:
    struct Final {
        std::string path;
        Record record;
    };

    void add(const std::string& path, Record& r) {
        const fleet::RunInfo fleet_of{0, r.run.shard_count, r.run.modems, r.run.seed};
        if (!run_) {
            run_ = fleet_of;
        } else if (!(*run_ == fleet_of)) {
            throw Bad{fmt::format("{}: a shard of another fleet ({}), not of {}", path,
                                  fleet_text(fleet_of), fleet_text(*run_))};
        }
        if (r.kind == Record::Kind::Final) {
            const auto [at, added] = finals_.try_emplace(r.run.shard_index, Final{path, r});
            if (!added) {
                throw Bad{fmt::format("shard {}/{} has two final records: in {} and in {}",
                                      r.run.shard_index, r.run.shard_count, at->second.path, path)};
            }
            return;
        }
        auto [at, added] = intervals_.try_emplace(r.elapsed.count(), r);
        if (added) {
            if (intervals_.size() > fleet::kMaxRecords) {
                throw Bad{fmt::format("more than {} intervals", fleet::kMaxRecords)};
            }
            return;
        }
        at->second.stats.merge(r.stats);
        at->second.length = std::max(at->second.length, r.length);
    }

    std::optional<fleet::RunInfo> run_;  // the fleet: its shard count, modems and seed
    std::map<std::uint64_t, Final> finals_;
    std::map<Duration::rep, Record> intervals_;
};

void write_report(const std::string& path, const std::string& page) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << page;
    file.close();
    if (!file) {
        throw Bad{fmt::format("{}: the report cannot be written", path)};
    }
}

}  // namespace

int run_fleet_merge(const std::vector<std::string>& files,
                    const std::optional<std::string>& report_path, std::ostream& out,
                    std::ostream& err) {
    try {
        if (files.empty() || files.size() > kMaxMergeFiles) {
            throw Bad{fmt::format("give 1 to {} files of JSON lines", kMaxMergeFiles)};
        }
        Merger merger;
        for (const std::string& path : files) {
            merger.add_file(path);
        }
        const Record merged = merger.final_record();
        out << fleet::summary_table(merged.stats, merged.length);
        if (report_path) {
            write_report(*report_path, fleet::html_report(merger.timeline(), merged));
        }
        return merged.stats.iterations_failed > 0 ? 1 : 0;
    } catch (const Bad& bad) {
        err << "atcoap fleet merge: " << bad.line << '\n';
        return 2;
    }
}

}  // namespace atcoap::cli
