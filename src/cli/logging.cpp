#include "cli/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace atcoap::cli {

Result<std::unique_ptr<SpdLogger>, std::string> SpdLogger::create(const std::string& level,
                                                                  const std::string& file) {
    const auto parsed = spdlog::level::from_str(level);
    if (parsed == spdlog::level::off && level != "off") {
        return fail("unknown log level '" + level + "'");
    }
    std::shared_ptr<spdlog::logger> logger;
    try {
        logger = file.empty() ? spdlog::stderr_logger_st("atcoap")
                              : spdlog::basic_logger_st("atcoap", file);
    } catch (const spdlog::spdlog_ex& error) {
        return fail(std::string(error.what()));
    }
    logger->set_level(parsed);
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    logger->flush_on(spdlog::level::trace);
    return std::make_unique<SpdLogger>(std::move(logger));
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
    switch (level) {
        case LogLevel::Debug:
            logger_->debug("{}", line);
            break;
        case LogLevel::Info:
            logger_->info("{}", line);
            break;
        case LogLevel::Warn:
            logger_->warn("{}", line);
            break;
        case LogLevel::Error:
            logger_->error("{}", line);
            break;
    }
}

}  // namespace atcoap::cli
