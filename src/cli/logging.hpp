#pragma once
// The core's Logger on top of spdlog: one line per event, to standard error or a file, as text
// or as JSON lines (docs/TRACES.md, "--log-format json").

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/log.hpp"
#include "base/result.hpp"

namespace spdlog {
class logger;
}

namespace atcoap::cli {

enum class LogFormat { Text, Json };

/// "text" or "json"; nullopt for anything else.
std::optional<LogFormat> parse_log_format(std::string_view text);

/// One JSON object (one line, no newline) with time, level, message and the fields: what
/// `--log-format json` writes per line. `time` is written as given.
std::string json_log_line(std::string_view time, LogLevel level, std::string_view message,
                          std::span<const LogField> fields);

class SpdLogger final : public Logger {
  public:
    /// `level`: trace, debug, info, warn, error or off. `file`: empty for standard error.
    /// Lines written to a terminal end in CR LF: the AT port may hold that terminal in raw
    /// mode, where LF alone does not return the cursor.
    static Result<std::unique_ptr<SpdLogger>, std::string> create(
        const std::string& level, const std::string& file, LogFormat format = LogFormat::Text);
    SpdLogger(std::shared_ptr<spdlog::logger> logger, LogFormat format)
        : logger_(std::move(logger)), format_(format) {}
    void log(LogLevel level, std::string_view line) override;
    void log_fields(LogLevel level, std::string_view line,
                    std::span<const LogField> fields) override;
    bool enabled(LogLevel level) const override;

  private:
    void write(LogLevel level, std::string_view text);

    std::shared_ptr<spdlog::logger> logger_;
    LogFormat format_;
};

}  // namespace atcoap::cli
