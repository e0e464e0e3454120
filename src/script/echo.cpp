#include "script/echo.hpp"

#include <algorithm>

#include "script/output_lines.hpp"

namespace atcoap::script {

bool is_final_result(std::string_view line) {
    return line == "OK" || line == "ERROR" || line.starts_with("+CME ERROR:") ||
           line.starts_with("+CMS ERROR:");
}

void EchoFilter::sent(std::string_view bytes, Kind kind, std::size_t max_line) {
    while (!bytes.empty()) {
        const auto end = find_line_end(bytes);
        for (auto line = bytes.substr(0, end); !line.empty();
             line.remove_prefix(std::min(line.size(), max_line))) {
            if (pending_.size() == kMaxEchoLines) {
                pending_.erase(pending_.begin());
            }
            pending_.push_back(Line{std::string(line.substr(0, max_line)), kind});
        }
        bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
    }
}

bool EchoFilter::is_echo(std::string& line) {
    if (!pending_.empty()) {
        const Line& front = pending_.front();
        const bool payload = front.kind == Kind::Payload;
        if (front.text == line && !(payload && echo_off_)) {
            echo_off_ = false;
            pending_.erase(pending_.begin());
            return true;
        }
        // A payload written before the prompt came is echoed on the prompt's line.
        if (payload && line.starts_with("> ") && std::string_view(line).substr(2) == front.text) {
            pending_.erase(pending_.begin());
            line.assign(1, '>');  // not `= ">"`: g++ 12 -O2 warns of a false overlap (-Wrestrict)
            return false;
        }
        if (!payload) {
            echo_off_ = true;  // something else came first: echo is off (or a URC came first)
        }
    }
    if (is_final_result(line)) {
        pending_.clear();
    }
    return false;
}

}  // namespace atcoap::script
