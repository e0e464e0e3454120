#pragma once
// Option value helpers: unsigned integers (RFC 7252 §3.2) and Block options (RFC 7959 §2.2).

#include <cstdint>
#include <optional>

#include "base/bytes.hpp"

namespace atcoap::coap {

/// The shortest big-endian form of `value`: no leading zero bytes, so 0 is empty (§3.2).
Bytes encode_uint(std::uint32_t value);

/// The value of an unsigned option of at most 4 bytes; leading zeros are accepted on input.
std::optional<std::uint32_t> decode_uint(ByteView bytes);

/// RFC 7959 §2.2: NUM (20 bits), M (more blocks) and SZX (block size 2^(SZX+4)).
struct Block {
    std::uint32_t number = 0;
    bool more = false;
    std::uint8_t szx = 0;

    std::uint32_t size() const { return std::uint32_t{1} << (szx + 4); }
    std::uint32_t offset() const { return number * size(); }
    friend bool operator==(const Block&, const Block&) = default;
};

inline constexpr std::uint32_t kMaxBlockNumber = (1u << 20) - 1;

/// The integer value of a Block option; requires number <= kMaxBlockNumber and szx <= 6.
std::uint32_t block_to_uint(const Block& block);

/// The Block fields of an integer value; nullopt for SZX 7, reserved over UDP (RFC 7959 §2.2),
/// or a value wider than 24 bits.
std::optional<Block> block_from_uint(std::uint32_t value);

}  // namespace atcoap::coap
