#include "cli/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace atcoap::cli {

namespace {

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return "debug";
        case LogLevel::Info:
            return "info";
        case LogLevel::Warn:
            return "warn";
        case LogLevel::Error:
            return "error";
    }
    return "info";
}

/// Now in UTC, ISO 8601 with milliseconds: "2026-12-04T10:14:18.123Z".
std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm parts{};
    ::gmtime_r(&seconds, &parts);
    char text[40];
    const std::size_t size = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
    return std::string(text, size) + fmt::format(".{:03}Z", millis);
}

}  // namespace

std::optional<LogFormat> parse_log_format(std::string_view text) {
    if (text == "text") {
        return LogFormat::Text;
    }
    if (text == "json") {
        return LogFormat::Json;
    }
    return std::nullopt;
}

std::string json_log_line(std::string_view time, LogLevel level, std::string_view message,
                          std::span<const LogField> fields) {
    nlohmann::ordered_json line;
    line["time"] = time;
    line["level"] = level_name(level);
    line["message"] = message;
    for (const LogField& field : fields) {
        std::visit([&](const auto& value) { line[std::string(field.key)] = value; }, field.value);
    }
    // Invalid UTF-8 (a path segment is any bytes) is replaced, never a thrown exception.
    return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<std::unique_ptr<SpdLogger>, std::string> SpdLogger::create(const std::string& level,
                                                                  const std::string& file,
                                                                  LogFormat format) {
    const auto parsed = spdlog::level::from_str(level);
    if (parsed == spdlog::level::off && level != "off") {
        return fail("unknown log level '" + level + "'");
    }
    std::shared_ptr<spdlog::logger> logger;
    try {
        // Not in spdlog's registry: a second logger (a test's) needs no other name.
        spdlog::sink_ptr sink;
        if (file.empty()) {
            sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
        } else {
            sink = std::make_shared<spdlog::sinks::basic_file_sink_st>(file);
        }
        logger = std::make_shared<spdlog::logger>("atcoap", std::move(sink));
    } catch (const spdlog::spdlog_ex& error) {
        return fail(std::string(error.what()));
    }
    logger->set_level(parsed);
    const bool terminal = file.empty() && ::isatty(STDERR_FILENO) == 1;
    // JSON lines carry their own time and level; text lines get them from the pattern.
    const std::string pattern = format == LogFormat::Json ? "%v" : "%Y-%m-%d %H:%M:%S.%e %^%l%$ %v";
    logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        pattern, spdlog::pattern_time_type::local, terminal ? "\r\n" : "\n"));
    logger->flush_on(spdlog::level::trace);
    return std::make_unique<SpdLogger>(std::move(logger), format);
}

bool SpdLogger::enabled(LogLevel level) const {
    switch (level) {
        case LogLevel::Debug:
            return logger_->should_log(spdlog::level::debug);
        case LogLevel::Info:
            return logger_->should_log(spdlog::level::info);
        case LogLevel::Warn:
            return logger_->should_log(spdlog::level::warn);
        case LogLevel::Error:
            return logger_->should_log(spdlog::level::err);
    }
    return true;
}

void SpdLogger::log(LogLevel level, std::string_view line) {
    log_fields(level, line, {});
}

void SpdLogger::log_fields(LogLevel level, std::string_view line,
                           std::span<const LogField> fields) {
    if (format_ == LogFormat::Text) {
        write(level, line);
    } else if (enabled(level)) {
        write(level, json_log_line(utc_now(), level, line, fields));
    }
}

void SpdLogger::write(LogLevel level, std::string_view text) {
    switch (level) {
        case LogLevel::Debug:
            logger_->debug("{}", text);
            break;
        case LogLevel::Info:
            logger_->info("{}", text);
            break;
        case LogLevel::Warn:
            logger_->warn("{}", text);
            break;
        case LogLevel::Error:
            logger_->error("{}", text);
            break;
    }
}

}  // namespace atcoap::cli
