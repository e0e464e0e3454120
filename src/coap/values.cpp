#include "coap/values.hpp"

#include <cassert>

namespace atcoap::coap {

Bytes encode_uint(std::uint32_t value) {
    Bytes out;
    for (int shift = 24; shift >= 0; shift -= 8) {
        const auto byte = static_cast<std::uint8_t>(value >> shift);
        if (byte != 0 || !out.empty()) {
            out.push_back(byte);
        }
    }
    return out;
}

std::optional<std::uint32_t> decode_uint(ByteView bytes) {
    if (bytes.size() > 4) {
        return std::nullopt;
    }
    std::uint32_t value = 0;
    for (std::uint8_t byte : bytes) {
        value = value << 8 | byte;
    }
    return value;
}

std::uint32_t block_to_uint(const Block& block) {
    assert(block.number <= kMaxBlockNumber && block.szx <= 6);
    return block.number << 4 | (block.more ? 0x08u : 0u) | block.szx;
}

std::optional<Block> block_from_uint(std::uint32_t value) {
    const auto szx = static_cast<std::uint8_t>(value & 0x07u);
    if (szx == 7 || value > 0xFFFFFFu) {
        return std::nullopt;
    }
    return Block{value >> 4, (value & 0x08u) != 0, szx};
}

}  // namespace atcoap::coap
