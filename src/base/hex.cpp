#include "base/hex.hpp"

namespace atcoap {

namespace {
constexpr char kUpperDigits[] = "0123456789ABCDEF";
}

void append_hex_upper(std::string& out, ByteView bytes) {
    out.reserve(out.size() + 2 * bytes.size());
    for (std::uint8_t b : bytes) {
        out.push_back(kUpperDigits[b >> 4]);
        out.push_back(kUpperDigits[b & 0x0F]);
    }
}

std::string to_hex_upper(ByteView bytes) {
    std::string out;
    append_hex_upper(out, bytes);
    return out;
}

int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::optional<Bytes> parse_hex(std::string_view text) {
    if (text.size() % 2 != 0) {
        return std::nullopt;
    }
    Bytes out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int high = hex_digit_value(text[i]);
        const int low = hex_digit_value(text[i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        out.push_back(static_cast<std::uint8_t>(high << 4 | low));
    }
    return out;
}

}  // namespace atcoap
