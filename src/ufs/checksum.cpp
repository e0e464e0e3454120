#include "ufs/checksum.hpp"

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
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string reversed;
    unsigned rest = value;
    do {
        reversed += kDigits[rest % 16U];
        rest /= 16U;
    } while (rest != 0U);
    return {reversed.rbegin(), reversed.rend()};
}

}  // namespace atcoap::ufs
