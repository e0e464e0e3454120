#include "base/hex.hpp"

#include <gtest/gtest.h>

namespace atcoap {
namespace {

TEST(Hex, PrintsUppercaseWithoutSeparators) {
    const Bytes bytes{0xD2, 0x04, 0xD5, 0x2E, 0x81, 0x4B};
    EXPECT_EQ(to_hex_upper(bytes), "D204D52E814B");
}

TEST(Hex, PrintsNothingForNoBytes) {
    EXPECT_EQ(to_hex_upper({}), "");
}

TEST(Hex, ParsesEitherCase) {
    EXPECT_EQ(parse_hex("d204D5"), (Bytes{0xD2, 0x04, 0xD5}));
    EXPECT_EQ(parse_hex(""), Bytes{});
}

TEST(Hex, RefusesOddLengthAndNonHexDigits) {
    EXPECT_FALSE(parse_hex("ABC"));
    EXPECT_FALSE(parse_hex("0G"));
    EXPECT_FALSE(parse_hex(" 0"));
}

TEST(Hex, RoundTripsEveryByteValue) {
    Bytes all;
    for (int i = 0; i < 256; ++i) {
        all.push_back(static_cast<std::uint8_t>(i));
    }
    EXPECT_EQ(parse_hex(to_hex_upper(all)), all);
}

}  // namespace
}  // namespace atcoap
