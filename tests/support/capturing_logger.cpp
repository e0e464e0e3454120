#include "support/capturing_logger.hpp"

namespace atcoap::test {

void CapturingLogger::log(LogLevel level, std::string_view line) {
    if (!enabled(level)) {
        return;
    }
    lines.emplace_back(line);
    levels_.push_back(level);
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
