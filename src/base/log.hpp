#pragma once
// Logging as the core sees it: a sink the caller injects. The shell forwards to spdlog; tests
// capture lines and check that every error on the AT port has its one-line reason.

#include <string_view>

namespace atcoap {

enum class LogLevel { Debug, Info, Warn, Error };

class Logger {
  public:
    virtual ~Logger() = default;
    virtual void log(LogLevel level, std::string_view line) = 0;
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
