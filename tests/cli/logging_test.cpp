// The program's logger (cli/logging.hpp): `--log-format json` writes one JSON object per line
// with time, level, message and the line's fields; text lines stay as they were.

#include "cli/logging.hpp"

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "support/temp_dir.hpp"

namespace atcoap::cli {
namespace {

using nlohmann::json;

std::vector<std::string> lines_of(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);) {
        lines.push_back(line);
    }
    return lines;
}

TEST(LogFormat, IsTextOrJson) {
    EXPECT_EQ(parse_log_format("text"), LogFormat::Text);
    EXPECT_EQ(parse_log_format("json"), LogFormat::Json);
    EXPECT_FALSE(parse_log_format("JSON").has_value());
    EXPECT_FALSE(parse_log_format("").has_value());
}

TEST(JsonLogLine, HoldsTimeLevelMessageAndEachFieldAsItsOwnKey) {
    const std::array<LogField, 4> fields{{{"client", std::int64_t{0}},
                                          {"direction", std::string_view("received")},
                                          {"mid", std::int64_t{1234}},
                                          {"rtt_ms", std::int64_t{12}}}};
    const std::string line =
        json_log_line("2026-12-04T10:00:00.000Z", LogLevel::Info, "client 0 <- ACK 2.05", fields);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    const json parsed = json::parse(line);
    EXPECT_EQ(parsed["time"], "2026-12-04T10:00:00.000Z");
    EXPECT_EQ(parsed["level"], "info");
    EXPECT_EQ(parsed["message"], "client 0 <- ACK 2.05");
    EXPECT_EQ(parsed["client"], 0);
    EXPECT_EQ(parsed["direction"], "received");
    EXPECT_EQ(parsed["mid"], 1234);
    EXPECT_EQ(parsed["rtt_ms"], 12);
}

TEST(JsonLogLine, EscapesQuotesControlsAndReplacesInvalidUtf8) {
    const std::string message = "a \"quoted\" path\\ with a tab\t, a CR\r and \xFF";
    const std::array<LogField, 1> fields{{{"path", std::string_view("/\"x\"\n")}}};
    const std::string line = json_log_line("t", LogLevel::Warn, message, fields);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(line.find('\r'), std::string::npos);
    const json parsed = json::parse(line);
    EXPECT_EQ(parsed["level"], "warn");
    EXPECT_EQ(parsed["path"], "/\"x\"\n");
    EXPECT_EQ(parsed["message"].get<std::string>().substr(0, 14), "a \"quoted\" pat");
    EXPECT_NE(parsed["message"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(SpdLogger, WritesJsonLinesToItsFileForPlainAndStructuredLines) {
    test::TempDir dir;
    const auto path = dir.path() / "atcoap.log";
    {
        auto logger = SpdLogger::create("info", path.string(), LogFormat::Json);
        ASSERT_TRUE(logger) << logger.error();
        (*logger)->log(LogLevel::Debug, "below the level: not written");
        (*logger)->log(LogLevel::Warn, "AT+CFUN=3: <fun> out of range");
        const std::array<LogField, 2> fields{
            {{"client", std::int64_t{2}}, {"type", std::string_view("CON")}}};
        (*logger)->log_fields(LogLevel::Info, "client 2 -> CON GET", fields);
    }
    const auto lines = lines_of(path);
    ASSERT_EQ(lines.size(), 2U);
    const json first = json::parse(lines[0]);
    EXPECT_EQ(first["level"], "warn");
    EXPECT_EQ(first["message"], "AT+CFUN=3: <fun> out of range");
    EXPECT_TRUE(first["time"].get<std::string>().ends_with("Z"));
    EXPECT_FALSE(first.contains("client"));
    const json second = json::parse(lines[1]);
    EXPECT_EQ(second["client"], 2);
    EXPECT_EQ(second["type"], "CON");
}

TEST(SpdLogger, WritesTextLinesWithoutTheFields) {
    test::TempDir dir;
    const auto path = dir.path() / "atcoap.log";
    {
        auto logger = SpdLogger::create("info", path.string(), LogFormat::Text);
        ASSERT_TRUE(logger) << logger.error();
        const std::array<LogField, 1> fields{{{"client", std::int64_t{2}}}};
        (*logger)->log_fields(LogLevel::Info, "client 2 -> CON GET", fields);
    }
    const auto lines = lines_of(path);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_TRUE(lines[0].ends_with(" info client 2 -> CON GET")) << lines[0];
}

}  // namespace
}  // namespace atcoap::cli
