#include "fleet/json_lines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace atcoap::fleet {

namespace {

using nlohmann::json;
using Out = nlohmann::ordered_json;

constexpr int kMaxDepth = 5;  // line > stats > histogram > buckets > [index, count]
// Times in milliseconds fit a double exactly and a Duration: no line of a real run comes near.
constexpr std::uint64_t kMaxMillis = std::uint64_t{1} << 53;

Out histogram_json(const LatencyHistogram& h) {
    Out buckets = Out::array();
    for (const auto& b : h.buckets()) {
        buckets.push_back(Out::array({b.index, b.count}));
    }
    return Out{{"count", h.count()}, {"max", h.max()}, {"buckets", std::move(buckets)}};
}

Out stats_json(const FleetStats& s) {
    Out responses = Out::object();
    for (const auto& [code, count] : s.responses) {
        responses[code] = count;
    }
    Out failures = Out::object();
    for (const auto& [code, count] : s.at_failures) {
        failures[std::to_string(code)] = count;
    }
    return Out{{"modems_up", s.modems_up},
               {"iterations_started", s.iterations_started},
               {"iterations_passed", s.iterations_passed},
               {"iterations_failed", s.iterations_failed},
               {"requests", s.requests},
               {"retransmissions", s.retransmissions},
               {"give_ups", s.give_ups},
               {"handshakes", s.handshakes},
               {"handshake_failures", s.handshake_failures},
               {"responses", std::move(responses)},
               {"at_failures", std::move(failures)},
               {"latency", histogram_json(s.latency)},
               {"handshake", histogram_json(s.handshake)}};
}

// Reading: a line's checks throw Bad inside this file only, caught per line in
// read_json_lines, which turns it into the one error line it returns.
struct Bad {
    std::string why;
};

/// A key of the input for an error line: at most 16 bytes, anything but printable ASCII as '?',
/// so that the error stays one line.
std::string shown(const std::string& key) {
    std::string out = key.substr(0, 16);
    for (char& c : out) {
        c = (c >= 0x20 && c < 0x7F) ? c : '?';
    }
    return out;
}

/// The object's members must be exactly `keys` (none missing, none unknown).
void expect_members(const json& object, std::string_view what,
                    std::initializer_list<std::string_view> keys) {
    if (!object.is_object()) {
        throw Bad{fmt::format("{} must be a JSON object", what)};
    }
    for (const auto& key : keys) {
        if (!object.contains(key)) {
            throw Bad{fmt::format("{} has no \"{}\"", what, key)};
        }
    }
    if (object.size() != keys.size()) {
        for (const auto& [key, value] : object.items()) {
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
                throw Bad{fmt::format("{} has an unknown member \"{}\"", what, shown(key))};
            }
        }
    }
}

std::uint64_t unsigned_of(const json& value, std::string_view name,
                          std::uint64_t max = UINT64_MAX) {
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() > max) {
        throw Bad{fmt::format("\"{}\" must be an integer from 0 to {}", name, max)};
    }
    return value.get<std::uint64_t>();
}

std::uint64_t member(const json& object, std::string_view name, std::uint64_t max = UINT64_MAX) {
    return unsigned_of(object.at(name), name, max);
}

LatencyHistogram histogram_of(const json& value, std::string_view name) {
    expect_members(value, fmt::format("\"{}\"", name), {"count", "max", "buckets"});
    const json& list = value.at("buckets");
    if (!list.is_array() || list.size() > LatencyHistogram::kMaxIndex + 1) {
        throw Bad{fmt::format("\"{}\" buckets must be an array of at most {} [index, count]", name,
                              LatencyHistogram::kMaxIndex + 1)};
    }
    std::vector<LatencyHistogram::Bucket> buckets;
    for (const json& pair : list) {
        if (!pair.is_array() || pair.size() != 2) {
            throw Bad{fmt::format("\"{}\" buckets must be [index, count] pairs", name)};
        }
        const auto index = unsigned_of(pair[0], "bucket index", LatencyHistogram::kMaxIndex);
        buckets.push_back(
            {static_cast<std::uint32_t>(index), unsigned_of(pair[1], "bucket count")});
    }
    LatencyHistogram h;
    if (!h.assign(buckets, member(value, "max")) || h.count() != member(value, "count")) {
        throw Bad{
            fmt::format("\"{}\" is not a histogram: indexes ascending, counts above 0 "
                        "adding up to \"count\", \"max\" in the last bucket",
                        name)};
    }
    return h;
}

/// A CoAP response code as "c.dd": class 2 to 5, detail 0 to 31 (RFC 7252 §3).
bool response_code(std::string_view key) {
    if (key.size() != 4 || key[0] < '2' || key[0] > '5' || key[1] != '.') {
        return false;
    }
    int detail = 0;
    const auto [end, ec] = std::from_chars(key.data() + 2, key.data() + 4, detail);
    return ec == std::errc{} && end == key.data() + 4 && detail <= 31 && key[2] != '-';
}

template <class Key>
void read_map(const json& value, std::string_view name, std::map<Key, std::uint64_t>& out,
              Key (*key_of)(const std::string&)) {
    if (!value.is_object() || value.size() > kMaxMapEntries) {
        throw Bad{
            fmt::format("\"{}\" must be an object of at most {} counts", name, kMaxMapEntries)};
    }
    for (const auto& [key, count] : value.items()) {
        out[key_of(key)] = unsigned_of(count, name);
    }
}

std::string code_key(const std::string& key) {
    if (!response_code(key)) {
        throw Bad{fmt::format("\"responses\" has \"{}\", not a response code c.dd", shown(key))};
    }
    return key;
}

int result_key(const std::string& key) {
    int code = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), code);
    if (ec != std::errc{} || end != key.data() + key.size() || std::to_string(code) != key ||
        code < -9999 || code > 9999) {
        throw Bad{fmt::format("\"at_failures\" has \"{}\", not a result code", shown(key))};
    }
    return code;
}

FleetStats stats_of(const json& v) {
    expect_members(v, "\"stats\"",
                   {"modems_up", "iterations_started", "iterations_passed", "iterations_failed",
                    "requests", "retransmissions", "give_ups", "handshakes", "handshake_failures",
                    "responses", "at_failures", "latency", "handshake"});
    FleetStats s;
    s.modems_up = member(v, "modems_up");
    s.iterations_started = member(v, "iterations_started");
    s.iterations_passed = member(v, "iterations_passed");
    s.iterations_failed = member(v, "iterations_failed");
    s.requests = member(v, "requests");
    s.retransmissions = member(v, "retransmissions");
    s.give_ups = member(v, "give_ups");
    s.handshakes = member(v, "handshakes");
    s.handshake_failures = member(v, "handshake_failures");
    read_map(v.at("responses"), "responses", s.responses, &code_key);
    read_map(v.at("at_failures"), "at_failures", s.at_failures, &result_key);
    s.latency = histogram_of(v.at("latency"), "latency");
    s.handshake = histogram_of(v.at("handshake"), "handshake");
    return s;
}

Record record_of(const json& v) {
    expect_members(v, "the line",
                   {"record", "version", "shard", "shards", "modems", "seed", "elapsed_ms",
                    "length_ms", "stats"});
    if (v.at("version") != kJsonVersion) {
        throw Bad{fmt::format("\"version\" must be {}", kJsonVersion)};
    }
    Record r;
    const json& kind = v.at("record");
    if (kind == "interval" || kind == "final") {
        r.kind = kind == "final" ? Record::Kind::Final : Record::Kind::Interval;
    } else {
        throw Bad{"\"record\" must be \"interval\" or \"final\""};
    }
    r.run.shard_count = member(v, "shards", UINT32_MAX);
    r.run.shard_index = member(v, "shard", UINT32_MAX);
    if (r.run.shard_count == 0 || r.run.shard_index >= r.run.shard_count) {
        throw Bad{"\"shard\" must be below \"shards\", which must be at least 1"};
    }
    r.run.modems = member(v, "modems");
    r.run.seed = member(v, "seed");
    r.elapsed = Duration{static_cast<Duration::rep>(member(v, "elapsed_ms", kMaxMillis))};
    r.length = Duration{static_cast<Duration::rep>(member(v, "length_ms", kMaxMillis))};
    r.stats = stats_of(v.at("stats"));
    return r;
}

Result<Record, std::string> parse_line(std::string_view line) {
    bool too_deep = false;
    const auto bound = [&too_deep](int depth, json::parse_event_t, json&) {
        too_deep = too_deep || depth > kMaxDepth;
        return !too_deep;
    };
    const json value = json::parse(line, bound, false);
    if (too_deep) {
        return fail(fmt::format("JSON nested deeper than {} levels", kMaxDepth));
    }
    if (value.is_discarded()) {
        return fail(std::string("not one JSON value"));
    }
    try {
        return record_of(value);
    } catch (const Bad& bad) {
        return fail(bad.why);
    }
}

}  // namespace

std::string to_json_line(const Record& r) {
    const Out line{{"record", r.kind == Record::Kind::Final ? "final" : "interval"},
                   {"version", kJsonVersion},
                   {"shard", r.run.shard_index},
                   {"shards", r.run.shard_count},
                   {"modems", r.run.modems},
                   {"seed", r.run.seed},
                   {"elapsed_ms", r.elapsed.count()},
                   {"length_ms", r.length.count()},
                   {"stats", stats_json(r.stats)}};
    return line.dump(-1, ' ', false, Out::error_handler_t::replace);
}

Result<std::vector<Record>, std::string> read_json_lines(std::string_view text) {
    return read_json_lines(text, ReadLimits{});
}

Result<std::vector<Record>, std::string> read_json_lines(std::string_view text,
                                                         const ReadLimits& limits) {
    if (text.size() > limits.max_text_bytes) {
        return fail(fmt::format("more than {} bytes of JSON lines", limits.max_text_bytes));
    }
    std::vector<Record> records;
    std::size_t number = 0;
    while (!text.empty()) {
        ++number;
        const std::size_t end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            continue;
        }
        if (line.size() > kMaxLineBytes) {
            return fail(fmt::format("line {}: longer than {} bytes", number, kMaxLineBytes));
        }
        if (records.size() == limits.max_records) {
            return fail(fmt::format("line {}: more than {} records", number, limits.max_records));
        }
        auto record = parse_line(line);
        if (!record) {
            return fail(fmt::format("line {}: {}", number, record.error()));
        }
        records.push_back(std::move(record).value());
    }
    return records;
}

}  // namespace atcoap::fleet
