#pragma once
// Logging as the core sees it: a sink the caller injects. The shell forwards to spdlog; tests
// capture lines and check that every error on the AT port has its one-line reason.

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

namespace atcoap {

enum class LogLevel { Debug, Info, Warn, Error };

/// One named value of a structured line: `--log-format json` writes each as its own key
/// (docs/TRACES.md); the text format shows only the line.
struct LogField {
    std::string_view key;
    std::variant<std::int64_t, std::string_view> value;
};

class Logger {
  public:
    virtual ~Logger() = default;
    virtual void log(LogLevel level, std::string_view line) = 0;
    /// A line that also carries its facts as fields (the per-message line of a CoAP client).
    /// A logger that has no use for them writes the line alone.
    virtual void log_fields(LogLevel level, std::string_view line,
                            std::span<const LogField> /*fields*/) {
        log(level, line);
    }
    /// Whether a line at `level` would be kept: callers skip building lines nobody reads
    /// (a Debug line per exchange costs more than the CoAP codec).
    virtual bool enabled(LogLevel) const { return true; }
};

class NullLogger final : public Logger {
  public:
    void log(LogLevel, std::string_view) override {}
    bool enabled(LogLevel) const override { return false; }
};

}  // namespace atcoap
