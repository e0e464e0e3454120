#pragma once
// The checksum QFUPL and QFDWL print (docs/DIALECT.md §5): the XOR of the data taken as big-endian
// 16-bit words, an odd last byte being the high byte of a last word whose low byte is 0.

#include <cstdint>
#include <string>

#include "base/bytes.hpp"

namespace atcoap::ufs {

/// Folds data in as it arrives (a CONNECT upload comes in pieces of any size, odd ones too);
/// the value equals checksum() of all pieces joined.
class ChecksumAccumulator {
  public:
    void add(ByteView data);
    std::uint16_t value() const;

  private:
    std::uint16_t sum_ = 0;
    bool odd_ = false;  // an odd number of bytes so far: the next one is a low byte
};

/// The checksum of `data` in one go.
std::uint16_t checksum(ByteView data);

/// Lowercase hexadecimal without padding, as the modem prints it: 0x0262 -> "262", 0 -> "0".
std::string checksum_text(std::uint16_t value);

}  // namespace atcoap::ufs
