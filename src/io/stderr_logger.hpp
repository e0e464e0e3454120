#pragma once
// The program's own lines on standard error: the modem's shell ("atcoap: ...") and the test
// server ("atcoap server: ...") print through this one logger, each with its prefix and the
// least level it shows. The core only sees base/log.hpp's Logger.

#include <string>
#include <string_view>

#include "base/log.hpp"

namespace atcoap::io {

class StderrLogger final : public Logger {
  public:
    /// Writes "PREFIX LINE" for every line at `minimum` or above to `fd`: standard error unless
    /// a test passes the write end of a pipe.
    explicit StderrLogger(std::string prefix, LogLevel minimum = LogLevel::Debug, int fd = 2);

    void log(LogLevel level, std::string_view line) override;
    bool enabled(LogLevel level) const override { return level >= minimum_; }

  private:
    std::string prefix_;
    LogLevel minimum_;
    int fd_;
};

}  // namespace atcoap::io
