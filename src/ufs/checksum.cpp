#include "ufs/checksum.hpp"

#include "base/hex.hpp"

namespace atcoap::ufs {

void ChecksumAccumulator::add(ByteView data) {
    for (const std::uint8_t byte : data) {
        // Even positions are the high byte of their word, odd ones the low byte.
        const unsigned shifted = odd_ ? byte : static_cast<unsigned>(byte) << 8U;
        sum_ = static_cast<std::uint16_t>(sum_ ^ shifted);
        odd_ = !odd_;
    }
}

std::uint16_t ChecksumAccumulator::value() const {
    return sum_;
}

std::uint16_t checksum(ByteView data) {
    ChecksumAccumulator accumulator;
    accumulator.add(data);
    return accumulator.value();
}

std::string checksum_text(std::uint16_t value) {
    return format_hex_number(value, HexCase::Lower);
}

}  // namespace atcoap::ufs
