#pragma once
// Hexadecimal text, the one digit table of the tree. The AT dialect accepts it in either case
// and prints it in uppercase (docs/DIALECT.md §7); a few outside formats want lowercase (the NSS
// key log, the QFUPL/QFDWL checksum), so the case is a parameter where both occur.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"

namespace atcoap {

enum class HexCase { Upper, Lower };

/// The digit for `value` (0-15) in the given case: 11 -> 'B' or 'b'.
char hex_digit(unsigned value, HexCase letters = HexCase::Upper);

/// "D204D5" for {0xD2, 0x04, 0xD5}; empty for no bytes.
std::string to_hex_upper(ByteView bytes);

/// Appends two digits per byte of `bytes` to `out` (no allocation beyond out's growth).
void append_hex(std::string& out, ByteView bytes, HexCase letters);
void append_hex_upper(std::string& out, ByteView bytes);
void append_hex_lower(std::string& out, ByteView bytes);

/// A number in hexadecimal, padded with zeros to at least `min_digits` digits and otherwise
/// without leading zeros: (0x262, Lower) -> "262", (0, Lower) -> "0", (0x50, Upper, 4) -> "0050".
std::string format_hex_number(std::uint64_t value, HexCase letters, std::size_t min_digits = 1);

/// Bytes of an even-length hexadecimal string in either case; nullopt for anything else.
std::optional<Bytes> parse_hex(std::string_view text);

/// The value 0-15 of one hexadecimal digit in either case, or -1.
int hex_digit_value(char c);

}  // namespace atcoap
