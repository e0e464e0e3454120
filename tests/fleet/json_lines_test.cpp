#include "fleet/json_lines.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

namespace atcoap::fleet {
namespace {

Record sample() {
    Record r;
    r.kind = Record::Kind::Final;
    r.run = RunInfo{1, 4, 1000, 42};
    r.elapsed = Duration{60'000};
    r.length = Duration{60'000};
    r.stats.modems_up = 250;
    r.stats.iterations_started = 500;
    r.stats.iterations_passed = 498;
    r.stats.iterations_failed = 2;
    r.stats.requests = 1000;
    r.stats.retransmissions = 7;
    r.stats.give_ups = 1;
    r.stats.handshakes = 250;
    r.stats.handshake_failures = 0;
    r.stats.responses = {{"2.05", 990}, {"4.04", 9}};
    r.stats.at_failures = {{-11, 1}, {-3, 2}};
    for (std::uint64_t v : {800u, 1200u, 45'000u, 45'100u, 1'000'000u}) {
        r.stats.latency.record(v);
    }
    r.stats.handshake.record(150'000);
    return r;
}

TEST(JsonLines, ARecordReadsBackEqual) {
    const Record r = sample();
    Record interval = r;
    interval.kind = Record::Kind::Interval;
    interval.stats = FleetStats{};
    const std::string text = to_json_line(interval) + "\n\n" + to_json_line(r) + "\r\n";
    const auto read = read_json_lines(text);
    ASSERT_TRUE(read) << read.error();
    ASSERT_EQ(read->size(), 2u);
    EXPECT_EQ((*read)[0], interval);
    EXPECT_EQ((*read)[1], r);
}

TEST(JsonLines, TheLineHasTheDocumentedShape) {
    Record r;
    r.run = RunInfo{0, 1, 2, 7};
    r.elapsed = Duration{1000};
    r.length = Duration{1000};
    r.stats.requests = 1;
    r.stats.responses["2.05"] = 1;
    r.stats.latency.record(12'000);
    EXPECT_EQ(to_json_line(r),
              R"({"record":"interval","version":1,"shard":0,"shards":1,"modems":2,"seed":7,)"
              R"("elapsed_ms":1000,"length_ms":1000,"stats":{"modems_up":0,)"
              R"("iterations_started":0,"iterations_passed":0,"iterations_failed":0,"requests":1,)"
              R"("retransmissions":0,"give_ups":0,"handshakes":0,"handshake_failures":0,)"
              R"("responses":{"2.05":1},"at_failures":{},)"
              R"("latency":{"count":1,"max":12000,"buckets":[[541,1]]},)"
              R"("handshake":{"count":0,"max":0,"buckets":[]}}})");
}

std::string error_of(std::string_view text) {
    const auto read = read_json_lines(text);
    return read ? std::string("(read)") : read.error();
}

TEST(JsonLines, EveryErrorIsOneLineNamingItsLine) {
    const std::string good = to_json_line(sample());
    auto replaced = [&](std::string_view from, std::string_view to) {
        std::string line = good;
        line.replace(line.find(from), from.size(), to);
        return good + "\n" + line + "\n";
    };
    const std::vector<std::pair<std::string, std::string>> cases = {
        {good + "\nnot json\n", "line 2: not one JSON value"},
        {"[1,2]", "line 1: the line must be a JSON object"},
        {"{}", "line 1: the line has no \"record\""},
        {replaced("\"seed\":42", "\"seed\":-42"), "line 2: \"seed\" must be an integer from 0"},
        {replaced("\"version\":1", "\"version\":2"), "line 2: \"version\" must be 1"},
        {replaced("\"shard\":1", "\"shard\":4"), "line 2: \"shard\" must be below \"shards\""},
        {replaced("\"final\"", "\"total\""), "line 2: \"record\" must be \"interval\" or"},
        {replaced("\"2.05\"", "\"2.99\""), "line 2: \"responses\" has \"2.99\", not a resp"},
        {replaced("\"-11\"", "\"x\\n\""), "line 2: \"at_failures\" has \"x?\", not a result"},
        {replaced("\"seed\"", "\"extra\":1,\"seed\""), "line 2: the line has an unknown member"},
        {replaced("\"count\":5", "\"count\":6"), "line 2: \"latency\" is not a histogram"},
        {replaced("[[", "[[9999,1],["), "line 2: \"bucket index\" must be an integer from 0 to"},
        {replaced("[[", "[[[[[1]]]],["), "line 2: JSON nested deeper than 5 levels"},
    };
    for (const auto& [text, want] : cases) {
        const std::string error = error_of(text);
        EXPECT_TRUE(error.starts_with(want)) << error << "\nwanted: " << want;
        EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    }
}

TEST(JsonLines, ALineOverTheBoundIsRefused) {
    const std::string long_line = "{" + std::string(kMaxLineBytes, ' ') + "}";
    EXPECT_EQ(error_of("\n" + long_line), "line 2: longer than 1048576 bytes");
}

TEST(JsonLines, MoreRecordsOrBytesThanTheBoundsAreRefused) {
    const std::string line = to_json_line(Record{}) + "\n";
    const ReadLimits limits{.max_records = 3, .max_text_bytes = 10 * line.size()};
    EXPECT_TRUE(read_json_lines(line + line + line, limits));
    const auto four = read_json_lines(line + line + "\n" + line + line, limits);
    ASSERT_FALSE(four);
    EXPECT_EQ(four.error(), "line 5: more than 3 records");
    const auto long_text = read_json_lines(std::string(10 * line.size() + 1, '\n'), limits);
    ASSERT_FALSE(long_text);
    EXPECT_EQ(long_text.error(), fmt::format("more than {} bytes of JSON lines", 10 * line.size()));
}

TEST(JsonLines, TooManyCodesInAMapAreRefused) {
    Record r;
    for (int code = 0; code <= static_cast<int>(kMaxMapEntries); ++code) {
        r.stats.at_failures[-code - 1] = 1;
    }
    EXPECT_EQ(error_of(to_json_line(r)),
              "line 1: \"at_failures\" must be an object of at most 128 counts");
}

TEST(JsonLines, EmptyTextHasNoRecords) {
    const auto read = read_json_lines("\n  \n");
    ASSERT_TRUE(read);
    EXPECT_TRUE(read->empty());
}

}  // namespace
}  // namespace atcoap::fleet
