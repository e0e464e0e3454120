// Unsigned option values (RFC 7252 §3.2) and Block option fields (RFC 7959 §2.2).

#include "coap/values.hpp"

#include <gtest/gtest.h>

#include "base/random.hpp"

namespace atcoap::coap {
namespace {

TEST(CoapUint, EncodesZeroAsNoBytesAtAll) {
    EXPECT_TRUE(encode_uint(0).empty());
}

TEST(CoapUint, EncodesEveryValueInItsShortestBigEndianForm) {
    EXPECT_EQ(encode_uint(1), (Bytes{0x01}));
    EXPECT_EQ(encode_uint(255), (Bytes{0xFF}));
    EXPECT_EQ(encode_uint(256), (Bytes{0x01, 0x00}));
    EXPECT_EQ(encode_uint(65535), (Bytes{0xFF, 0xFF}));
    EXPECT_EQ(encode_uint(65536), (Bytes{0x01, 0x00, 0x00}));
    EXPECT_EQ(encode_uint(0x01000000), (Bytes{0x01, 0x00, 0x00, 0x00}));
    EXPECT_EQ(encode_uint(0xFFFFFFFF), (Bytes{0xFF, 0xFF, 0xFF, 0xFF}));
}

TEST(CoapUint, DecodesNoBytesAsZero) {
    EXPECT_EQ(decode_uint({}), 0u);
}

TEST(CoapUint, AcceptsLeadingZeroBytesOnInput) {
    // §3.2: a recipient must be prepared for values with leading zero bytes.
    EXPECT_EQ(decode_uint(Bytes{0x00}), 0u);
    EXPECT_EQ(decode_uint(Bytes{0x00, 0x01}), 1u);
    EXPECT_EQ(decode_uint(Bytes{0x00, 0x00, 0x01, 0x00}), 256u);
}

TEST(CoapUint, DecodesFourBytesBigEndian) {
    EXPECT_EQ(decode_uint(Bytes{0x12, 0x34, 0x56, 0x78}), 0x12345678u);
    EXPECT_EQ(decode_uint(Bytes{0xFF, 0xFF, 0xFF, 0xFF}), 0xFFFFFFFFu);
}

TEST(CoapUint, RefusesMoreThanFourBytes) {
    EXPECT_FALSE(decode_uint(Bytes{0x01, 0x00, 0x00, 0x00, 0x00}).has_value());
    EXPECT_FALSE(decode_uint(Bytes(8, 0x00)).has_value());
}

TEST(CoapUint, RoundTripsRandomValues) {
    SeededRandom random(2024);
    for (int i = 0; i < 2000; ++i) {
        const std::uint32_t value = random.next_u32() >> random.uniform(0, 31);
        const Bytes bytes = encode_uint(value);
        ASSERT_LE(bytes.size(), 4u);
        ASSERT_TRUE(bytes.empty() || bytes.front() != 0) << value;
        ASSERT_EQ(decode_uint(bytes), value);
    }
}

TEST(CoapBlock, PacksNumberMoreAndSizeExponent) {
    // RFC 7959 §2.2: NUM in the high bits, then M (0x08), then SZX (3 bits).
    EXPECT_EQ(block_to_uint(Block{0, false, 0}), 0u);
    EXPECT_EQ(block_to_uint(Block{1, true, 2}), 0x1Au);
    EXPECT_EQ(block_to_uint(Block{0, true, 6}), 0x0Eu);
    EXPECT_EQ(block_to_uint(Block{kMaxBlockNumber, true, 6}), 0xFFFFFEu);
}

TEST(CoapBlock, SendsTheFirstSixteenByteBlockAsAnEmptyOption) {
    // RFC 7959 §2.2 with RFC 7252 §3.2: value 0 is the zero-length option.
    EXPECT_TRUE(encode_uint(block_to_uint(Block{0, false, 0})).empty());
    EXPECT_EQ(encode_uint(block_to_uint(Block{16, false, 6})), (Bytes{0x01, 0x06}));
}

TEST(CoapBlock, UnpacksNumberMoreAndSizeExponent) {
    EXPECT_EQ(block_from_uint(0), (Block{0, false, 0}));
    EXPECT_EQ(block_from_uint(0x1A), (Block{1, true, 2}));
    EXPECT_EQ(block_from_uint(0x16), (Block{1, false, 6}));
    EXPECT_EQ(block_from_uint(0xFFFFFE), (Block{kMaxBlockNumber, true, 6}));
}

TEST(CoapBlock, RefusesTheReservedSizeExponentSeven) {
    for (std::uint32_t value : {0x07u, 0x0Fu, 0x17u, 0xFFFFFFu}) {
        EXPECT_FALSE(block_from_uint(value).has_value()) << value;
    }
}

TEST(CoapBlock, RefusesValuesWiderThanThreeBytes) {
    EXPECT_FALSE(block_from_uint(0x1000000u).has_value());
    EXPECT_FALSE(block_from_uint(0xFFFFFFF0u).has_value());
}

TEST(CoapBlock, RoundTripsEveryFieldCombinationItAccepts) {
    SeededRandom random(7959);
    for (int i = 0; i < 2000; ++i) {
        const Block block{random.uniform(0, kMaxBlockNumber), random.uniform(0, 1) == 1,
                          static_cast<std::uint8_t>(random.uniform(0, 6))};
        ASSERT_EQ(block_from_uint(block_to_uint(block)), block);
    }
}

TEST(CoapBlock, SizesBlocksAsTwoToTheExponentPlusFour) {
    EXPECT_EQ((Block{0, false, 0}).size(), 16u);
    EXPECT_EQ((Block{0, false, 2}).size(), 64u);
    EXPECT_EQ((Block{0, false, 6}).size(), 1024u);
}

TEST(CoapBlock, PlacesABlockAtItsNumberTimesItsSize) {
    EXPECT_EQ((Block{0, true, 6}).offset(), 0u);
    EXPECT_EQ((Block{3, false, 2}).offset(), 192u);
    EXPECT_EQ((Block{kMaxBlockNumber, false, 6}).offset(), std::uint32_t{kMaxBlockNumber} * 1024u);
}

}  // namespace
}  // namespace atcoap::coap
