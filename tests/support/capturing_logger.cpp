#include "support/capturing_logger.hpp"

#include <string>
#include <utility>

namespace atcoap::test {

void CapturingLogger::log(LogLevel level, std::string_view line) {
    if (!enabled(level)) {
        return;
    }
    lines.emplace_back(line);
    levels_.push_back(level);
    fields.emplace_back();
}

void CapturingLogger::log_fields(LogLevel level, std::string_view line,
                                 std::span<const LogField> line_fields) {
    if (!enabled(level)) {
        return;
    }
    std::map<std::string, std::string> kept;
    for (const LogField& field : line_fields) {
        if (const auto* number = std::get_if<std::int64_t>(&field.value)) {
            kept[std::string(field.key)] = std::to_string(*number);
        } else {
            kept[std::string(field.key)] = std::string(std::get<std::string_view>(field.value));
        }
    }
    lines.emplace_back(line);
    levels_.push_back(level);
    fields.push_back(std::move(kept));
}

bool CapturingLogger::contains(std::string_view part) const {
    return count(part) > 0;
}

std::size_t CapturingLogger::count(std::string_view part, LogLevel level) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < lines.size() && i < levels_.size(); ++i) {
        if (levels_[i] >= level && lines[i].find(part) != std::string::npos) {
            ++n;
        }
    }
    return n;
}

}  // namespace atcoap::test
