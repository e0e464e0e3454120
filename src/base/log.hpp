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
};

class NullLogger final : public Logger {
  public:
    void log(LogLevel, std::string_view) override {}
};

}  // namespace atcoap
