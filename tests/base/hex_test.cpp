#include "base/hex.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

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

TEST(Hex, DigitsInEitherCase) {
    const std::string upper = "0123456789ABCDEF";
    const std::string lower = "0123456789abcdef";
    for (unsigned value = 0; value < 16; ++value) {
        EXPECT_EQ(hex_digit(value), upper[value]);
        EXPECT_EQ(hex_digit(value, HexCase::Upper), upper[value]);
        EXPECT_EQ(hex_digit(value, HexCase::Lower), lower[value]);
    }
}

TEST(Hex, AppendsToWhatIsThereInTheCaseAsked) {
    const Bytes bytes{0x00, 0xAB, 0x5F};
    std::string line = "CLIENT_RANDOM ";
    append_hex_lower(line, bytes);
    EXPECT_EQ(line, "CLIENT_RANDOM 00ab5f");
    std::string upper = "x";
    append_hex_upper(upper, bytes);
    EXPECT_EQ(upper, "x00AB5F");
    std::string either;
    append_hex(either, bytes, HexCase::Lower);
    EXPECT_EQ(either, "00ab5f");
}

TEST(Hex, FormatsANumberWithoutLeadingZerosUnlessPadded) {
    EXPECT_EQ(format_hex_number(0, HexCase::Lower), "0");
    EXPECT_EQ(format_hex_number(0x262, HexCase::Lower), "262");
    EXPECT_EQ(format_hex_number(0xBEEF, HexCase::Lower), "beef");
    EXPECT_EQ(format_hex_number(0xBEEF, HexCase::Upper), "BEEF");
    EXPECT_EQ(format_hex_number(0x50, HexCase::Upper, 4), "0050");
    EXPECT_EQ(format_hex_number(0x12345, HexCase::Upper, 4), "12345");  // padding, not a cut
    EXPECT_EQ(format_hex_number(0, HexCase::Upper, 0), "0");
    EXPECT_EQ(format_hex_number(UINT64_MAX, HexCase::Upper), "FFFFFFFFFFFFFFFF");
}

TEST(Hex, DigitValueOfEveryCharacter) {
    for (int c = 0; c < 256; ++c) {
        const char ch = static_cast<char>(c);
        int expected = -1;
        if (c >= '0' && c <= '9') {
            expected = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            expected = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            expected = c - 'A' + 10;
        }
        EXPECT_EQ(hex_digit_value(ch), expected) << "character " << c;
    }
}

TEST(Hex, ParsesWhatItPrintsInLowercase) {
    Bytes all;
    for (int i = 0; i < 256; ++i) {
        all.push_back(static_cast<std::uint8_t>(i));
    }
    std::string lower;
    append_hex_lower(lower, all);
    EXPECT_EQ(parse_hex(lower), all);
    for (const char c : lower) {
        EXPECT_EQ(hex_digit_value(c) >= 10, c >= 'a' && c <= 'f') << c;
    }
}

}  // namespace
}  // namespace atcoap
