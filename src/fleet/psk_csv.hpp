#pragma once
// The `--psk-csv` file (docs/FLEET.md, "Devices"): one `identity,key-hex` line per device, in
// device order; `#` comment lines and blank lines are skipped.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace atcoap::fleet {

/// The largest file taken: a million devices at the longest line each fit with room to spare.
inline constexpr std::size_t kMaxPskCsvBytes = 64 * 1024 * 1024;
/// The longest line (with its line end): an identity of 128 bytes, `,`, a key of 64 digits.
inline constexpr std::size_t kMaxPskCsvLineBytes = 256;

struct PskCsvEntry {
    std::string identity;
    std::string key_hex;  // lower case, 2 to 64 digits
};

/// The entries in file order, or one line naming the first problem and its line number (1 is
/// the first line): too big, a line too long, no `,` or more than one, a bad identity, a key that
/// is not 1 to 32 bytes of hex, an identity already on an earlier line.
Result<std::vector<PskCsvEntry>, std::string> parse_psk_csv(std::string_view text);

}  // namespace atcoap::fleet
