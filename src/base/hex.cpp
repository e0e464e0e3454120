#include "base/hex.hpp"

namespace atcoap {

namespace {
constexpr std::string_view kUpperDigits = "0123456789ABCDEF";
constexpr unsigned kDigitsPerByte = 2;
constexpr unsigned kBitsPerDigit = 4;
constexpr unsigned kDigitMask = 0x0F;
}  // namespace

char hex_digit(unsigned value, HexCase letters) {
    const char upper = kUpperDigits[value & kDigitMask];
    // ASCII: setting bit 0x20 lowers 'A'-'F' and leaves '0'-'9' (0x30-0x39) as they are.
    return letters == HexCase::Upper ? upper : static_cast<char>(upper | 0x20);
}

void append_hex(std::string& out, ByteView bytes, HexCase letters) {
    out.reserve(out.size() + kDigitsPerByte * bytes.size());
    for (const std::uint8_t b : bytes) {
        out.push_back(hex_digit(b >> kBitsPerDigit, letters));
        out.push_back(hex_digit(b & kDigitMask, letters));
    }
}

void append_hex_upper(std::string& out, ByteView bytes) {
    append_hex(out, bytes, HexCase::Upper);
}

void append_hex_lower(std::string& out, ByteView bytes) {
    append_hex(out, bytes, HexCase::Lower);
}

std::string to_hex_upper(ByteView bytes) {
    std::string out;
    append_hex_upper(out, bytes);
    return out;
}

std::string format_hex_number(std::uint64_t value, HexCase letters, std::size_t min_digits) {
    std::string reversed;
    do {
        reversed.push_back(hex_digit(static_cast<unsigned>(value & kDigitMask), letters));
        value >>= kBitsPerDigit;
    } while (value != 0);
    if (reversed.size() < min_digits) {
        reversed.append(min_digits - reversed.size(), '0');
    }
    return {reversed.rbegin(), reversed.rend()};
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
    if (text.size() % kDigitsPerByte != 0) {
        return std::nullopt;
    }
    Bytes out;
    out.reserve(text.size() / kDigitsPerByte);
    for (std::size_t i = 0; i < text.size(); i += kDigitsPerByte) {
        const int high = hex_digit_value(text[i]);
        const int low = hex_digit_value(text[i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        out.push_back(static_cast<std::uint8_t>(high << kBitsPerDigit | low));
    }
    return out;
}

}  // namespace atcoap
