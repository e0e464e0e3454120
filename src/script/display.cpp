#include "script/display.hpp"

#include <cstdint>
#include <cstdio>

#include "base/utf8.hpp"

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
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<std::uint8_t>(c);
        if (byte < 0x20 || byte == 0x7F) {
            out += hex_escape(byte);
        } else {
            out += c;
        }
    }
    return out;
}

std::string hex_escape(unsigned char byte) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    return {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xF]};
}

std::size_t utf8_length(std::string_view text, std::size_t at) {
    const std::size_t length = utf8_sequence_length(text, at);
    // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are well-formed but not characters XML allows.
    const bool non_character = length == 3 && text.substr(at, 2) == "\xEF\xBF" &&
                               static_cast<unsigned char>(text[at + 2]) >= 0xBE;
    return non_character ? 0 : length;
}

}  // namespace atcoap::script
