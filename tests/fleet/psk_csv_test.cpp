// The `--psk-csv` file (docs/FLEET.md, "Devices"): its lines, comments, bounds and errors.

#include "fleet/psk_csv.hpp"

#include <gtest/gtest.h>

namespace atcoap::fleet {
namespace {

std::vector<PskCsvEntry> parse_ok(std::string_view text) {
    auto entries = parse_psk_csv(text);
    EXPECT_TRUE(entries.ok()) << entries.error();
    return entries.ok() ? std::move(entries).value() : std::vector<PskCsvEntry>{};
}

std::string parse_error(std::string_view text) {
    auto entries = parse_psk_csv(text);
    EXPECT_FALSE(entries.ok()) << text;
    if (entries.ok()) {
        return "";
    }
    EXPECT_EQ(entries.error().find('\n'), std::string::npos);
    return entries.error();
}

TEST(PskCsvTest, TakesLinesInOrderSkippingCommentsAndBlankLines) {
    const auto entries =
        parse_ok("# identity,key\n\ndev-0,3132\r\n  \nDEV-1,ABcd\n#x,y,z\ndev-2,00");
    ASSERT_EQ(entries.size(), 3U);
    EXPECT_EQ(entries[0].identity, "dev-0");
    EXPECT_EQ(entries[0].key_hex, "3132");
    EXPECT_EQ(entries[1].identity, "DEV-1");
    EXPECT_EQ(entries[1].key_hex, "abcd");
    EXPECT_EQ(entries[2].key_hex, "00");
    EXPECT_TRUE(parse_ok("").empty());
}

TEST(PskCsvTest, EachBadLineIsNamedByItsNumber) {
    EXPECT_EQ(parse_error("a,01\nb\n"), "PSK CSV line 2: expected identity,key-hex");
    EXPECT_EQ(parse_error("a,01,02"),
              "PSK CSV line 1: more than one ',' (expected identity,key-hex)");
    EXPECT_EQ(parse_error("\n\na,0g"),
              "PSK CSV line 3: the key is not hexadecimal (0-9, a-f, A-F)");
    EXPECT_EQ(parse_error("a,012"),
              "PSK CSV line 1: the key must be 2 to 64 hexadecimal digits, an even number (1 to "
              "32 bytes); it has 3 characters");
    EXPECT_NE(parse_error("a,").find("it has 0 characters"), std::string::npos);
    EXPECT_NE(parse_error("a," + std::string(66, '1')).find("it has 66 characters"),
              std::string::npos);
    EXPECT_EQ(parse_error(",01"), "PSK CSV line 1: the identity is empty");
    EXPECT_NE(parse_error("a b,01").find("line 1: the identity holds a space"), std::string::npos);
    EXPECT_NE(parse_error("a,01\na&b,01").find("line 2: the identity holds '&'"),
              std::string::npos);
    EXPECT_NE(parse_error(std::string("a\0b,01", 6)).find("control"), std::string::npos);
    EXPECT_NE(parse_error("a ,01").find("space"), std::string::npos);
    EXPECT_NE(parse_error("a, 1").find("not hexadecimal"), std::string::npos);
    EXPECT_EQ(parse_error("a,01\nb,02\na,03\n"),
              "PSK CSV line 3: the identity a is also on line 1");
}

TEST(PskCsvTest, IdentitiesAndKeysAtTheirLimits) {
    const std::string longest = std::string(128, 'i') + "," + std::string(64, 'f');
    EXPECT_EQ(parse_ok(longest + "\r\n").size(), 1U);
    EXPECT_EQ(parse_error(std::string(129, 'i') + ",01"),
              "PSK CSV line 1: the identity has 129 bytes, more than 128");
}

TEST(PskCsvTest, LinesAndFilesAreBounded) {
    const std::string comment = "#" + std::string(kMaxPskCsvLineBytes - 2, 'x') + "\n";
    EXPECT_TRUE(parse_ok(comment).empty());  // 256 bytes with its line end
    EXPECT_EQ(parse_error("a,01\n#" + std::string(kMaxPskCsvLineBytes, 'x')),
              "PSK CSV line 2: longer than 256 bytes");
    // Comment lines of 256 bytes, one byte too many, then the largest file taken.
    std::string big(kMaxPskCsvBytes + 1, '#');
    for (std::size_t end = kMaxPskCsvLineBytes; end <= big.size(); end += kMaxPskCsvLineBytes) {
        big[end - 1] = '\n';
    }
    EXPECT_EQ(parse_error(big), "PSK CSV: 67108865 bytes, more than the 67108864 taken");
    EXPECT_TRUE(parse_ok(std::string_view(big).substr(1)).empty());
}

}  // namespace
}  // namespace atcoap::fleet
