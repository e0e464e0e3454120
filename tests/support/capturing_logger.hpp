#pragma once
// The one logger tests inject to see what the code under test logged: every line kept with its
// level, in order, from a threshold up (a test of the server's stderr keeps Info and above).

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/log.hpp"

namespace atcoap::test {

class CapturingLogger final : public Logger {
  public:
    explicit CapturingLogger(LogLevel threshold = LogLevel::Debug) : threshold_(threshold) {}

    void log(LogLevel level, std::string_view line) override;
    void log_fields(LogLevel level, std::string_view line,
                    std::span<const LogField> fields) override;
    bool enabled(LogLevel level) const override { return level >= threshold_; }

    /// Whether some line contains `part`.
    bool contains(std::string_view part) const;
    /// How many lines at `level` or above contain `part` ("" counts every such line).
    std::size_t count(std::string_view part, LogLevel level = LogLevel::Debug) const;
    /// The level of line `index`.
    LogLevel level_of(std::size_t index) const { return levels_.at(index); }

    /// The kept lines' text, in the order they were logged.
    std::vector<std::string> lines;
    /// The fields of each kept line (empty for a plain line), numbers written in decimal.
    std::vector<std::map<std::string, std::string>> fields;

  private:
    LogLevel threshold_;
    std::vector<LogLevel> levels_;
};

}  // namespace atcoap::test
