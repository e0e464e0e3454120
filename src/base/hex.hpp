#pragma once
// Hexadecimal text as the AT dialect uses it: accepted in either case, printed in uppercase
// (DIALECT.md §7).

#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"

namespace atcoap {

/// "D204D5" for {0xD2, 0x04, 0xD5}; empty for no bytes.
std::string to_hex_upper(ByteView bytes);

/// Appends the uppercase hex of `bytes` to `out` (no allocation beyond out's growth).
void append_hex_upper(std::string& out, ByteView bytes);

/// Bytes of an even-length hexadecimal string in either case; nullopt for anything else.
std::optional<Bytes> parse_hex(std::string_view text);

/// The value 0-15 of one hexadecimal digit in either case, or -1.
int hex_digit_value(char c);

}  // namespace atcoap
