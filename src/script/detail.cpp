#include "script/detail.hpp"

#include <cstdint>
#include <cstdio>

namespace atcoap::script {

std::string duration_text(Duration duration) {
    const auto ms = duration.count();
    if (ms != 0 && ms % 3'600'000 == 0) {
        return std::to_string(ms / 3'600'000) + "h";
    }
    if (ms != 0 && ms % 60'000 == 0) {
        return std::to_string(ms / 60'000) + "min";
    }
    if (ms % 1000 == 0) {
        return std::to_string(ms / 1000) + "s";
    }
    if (ms < 1000) {
        return std::to_string(ms) + "ms";
    }
    std::string text = seconds_text(duration);
    while (text.ends_with('0')) {
        text.pop_back();
    }
    return text + "s";
}

std::string seconds_text(Duration duration) {
    const auto ms = duration.count();
    const bool negative = ms < 0;
    const auto magnitude = negative ? -ms : ms;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s%lld.%03lld", negative ? "-" : "",
                  static_cast<long long>(magnitude / 1000),
                  static_cast<long long>(magnitude % 1000));
    return buffer;
}

std::string visible(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<std::uint8_t>(c);
        if (byte < 0x20 || byte == 0x7F) {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace atcoap::script
