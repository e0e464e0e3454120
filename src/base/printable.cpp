#include "base/printable.hpp"

#include <cstdint>

#include "base/hex.hpp"

namespace atcoap {

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<std::uint8_t>(c);
        if (c == '\\') {
            out += "\\\\";
        } else if (byte >= 0x20 && byte < 0x7F) {
            out += c;
        } else {
            out += "\\x";
            out += to_hex_upper(ByteView(&byte, 1));
        }
    }
    return out;
}

}  // namespace atcoap
