#include "ufs/checksum.hpp"

#include <gtest/gtest.h>

namespace atcoap::ufs {
namespace {

TEST(Checksum, OfAbcIs262) {
    // 0x6162 ^ 0x6300 (docs/DIALECT.md §5)
    EXPECT_EQ(checksum(as_bytes("abc")), 0x0262);
    EXPECT_EQ(checksum_text(checksum(as_bytes("abc"))), "262");
}

TEST(Checksum, OfNothingIsZero) {
    EXPECT_EQ(checksum({}), 0);
    EXPECT_EQ(checksum_text(0), "0");
}

TEST(Checksum, TakesWordsBigEndian) {
    EXPECT_EQ(checksum(Bytes{0x12, 0x34}), 0x1234);
    EXPECT_EQ(checksum(Bytes{0x12, 0x34, 0x12, 0x34}), 0);
}

TEST(Checksum, MakesAnOddLastByteTheHighByte) {
    EXPECT_EQ(checksum(Bytes{0xAB}), 0xAB00);
    EXPECT_EQ(checksum(Bytes{0x00, 0x01, 0xFF}), 0xFF01);
}

TEST(Checksum, OfTheNotesPskContent) {
    // The note's DTLS example (§5.2) uploads "864508030012428&313233343446473839", 34 bytes,
    // and shows `+QFUPL: 34,2802`. The rule above gives 322e for those bytes; no byte order,
    // padding or framing of the shown text gives 2802, so the example's checksum belongs to
    // content other than what it shows. This pins the rule, not the misprint.
    const ByteView data = as_bytes("864508030012428&313233343446473839");
    ASSERT_EQ(data.size(), 34U);
    EXPECT_EQ(checksum_text(checksum(data)), "322e");
}

TEST(Checksum, CoversEveryByteValue) {
    Bytes all(256);
    for (unsigned i = 0; i < 256; ++i) {
        all[i] = static_cast<std::uint8_t>(i);
    }
    // High bytes are the even values 0..254, low bytes the odd ones 1..255; the XOR of the
    // even numbers 0..254 is 0, of the odd numbers 1..255 is 0 too (128 of them, bit 0 cancels).
    EXPECT_EQ(checksum(all), 0);
    Bytes rest(all.begin(), all.begin() + 255);  // drops 255: the low bytes' XOR becomes 255
    EXPECT_EQ(checksum(rest), 0x00FF);
}

TEST(Checksum, AccumulatesPiecesOfAnySizeToTheSameValue) {
    const ByteView data = as_bytes("The quick brown fox jumps over the lazy dog!");
    const std::uint16_t whole = checksum(data);
    for (std::size_t split = 0; split <= data.size(); ++split) {
        ChecksumAccumulator accumulator;
        accumulator.add(data.first(split));
        accumulator.add(data.subspan(split));
        EXPECT_EQ(accumulator.value(), whole) << "split at " << split;
    }
}

TEST(Checksum, PrintsLowercaseWithoutPadding) {
    EXPECT_EQ(checksum_text(0xABCD), "abcd");
    EXPECT_EQ(checksum_text(0x000F), "f");
    EXPECT_EQ(checksum_text(0x0100), "100");
    EXPECT_EQ(checksum_text(0xFFFF), "ffff");
}

}  // namespace
}  // namespace atcoap::ufs
