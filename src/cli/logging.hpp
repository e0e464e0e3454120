#pragma once
// The core's Logger on top of spdlog: one line per event, to standard error or a file.

#include <memory>
#include <string>

#include "base/log.hpp"
#include "base/result.hpp"

namespace spdlog {
class logger;
}

namespace atcoap::cli {

class SpdLogger final : public Logger {
  public:
    /// `level`: trace, debug, info, warn, error or off. `file`: empty for standard error.
    static Result<std::unique_ptr<SpdLogger>, std::string> create(const std::string& level,
                                                                  const std::string& file);
    explicit SpdLogger(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}
    void log(LogLevel level, std::string_view line) override;
    bool enabled(LogLevel level) const override;

  private:
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace atcoap::cli
