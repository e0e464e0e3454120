// The recorder's quoting (src/script/record_text.hpp): every pattern it writes is valid RE2 and
// matches the line it came from, and nothing else of the lines tried.
#include "script/record_text.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <random>
#include <string>

namespace atcoap::script::record {
namespace {

bool matches(const std::string& pattern, const std::string& line) {
    const RE2 re(pattern);
    EXPECT_TRUE(re.ok()) << pattern << ": " << re.error();
    return RE2::FullMatch(line, re);
}

TEST(RecordTextTest, PatternsQuoteOnlyWhatMustBeQuoted) {
    EXPECT_EQ(quote_regex("+QCOAPRECV: 0,1234,4.04,6"), "\\+QCOAPRECV: 0,1234,4\\.04,6");
    EXPECT_EQ(quote_regex("a(b)|[c]{d}^$*?\\"), "a\\(b\\)\\|\\[c\\]\\{d\\}\\^\\$\\*\\?\\\\");
    EXPECT_EQ(quote_regex(" x "), "\\x20x\\x20");
    EXPECT_EQ(quote_regex("\x01\x7f"), "\\x01\\x7F");
    EXPECT_EQ(quote_regex("gr\xc3\xbc\xc3"), "gr\xc3\xbc\\C");
}

TEST(RecordTextTest, EveryQuotedLineMatchesItselfAndNotAnother) {
    std::mt19937 random(7);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 2000; ++i) {
        std::string line;
        for (auto n = random() % 12 + 1; n > 0; --n) {
            char c = static_cast<char>(byte(random));
            line.push_back(c == '\r' || c == '\n' ? 'x' : c);
        }
        const std::string pattern = quote_regex(line);
        ASSERT_TRUE(matches(pattern, line)) << pattern;
        EXPECT_FALSE(matches(pattern, line + "y")) << pattern;
        EXPECT_EQ(pattern.find("${"), std::string::npos);
    }
}

TEST(RecordTextTest, TextArgumentsAreQuotedOnlyWhenTheyMustBe) {
    using K = Piece::Kind;
    EXPECT_EQ(text_argument({{K::Literal, "AT+X=\"a b\""}}), "AT+X=\"a b\"");
    EXPECT_EQ(text_argument({{K::Literal, "AT+X="}, {K::Variable, "MID1"}}), "AT+X=${MID1}");
    EXPECT_EQ(text_argument({{K::Literal, "a$"}, {K::Variable, "V"}}), "\"a\\$${V}\"");
    EXPECT_EQ(text_argument({{K::Literal, ""}}), "\"\"");
    EXPECT_EQ(text_argument({{K::Literal, "\x1a\x1b\r\n\t\x01\xff"}}),
              "\"\\z\\e\\r\\n\\t\\x01\\xFF\"");
    EXPECT_EQ(text_argument({{K::Literal, "caf\xc3\xa9"}}, true), "\"caf\xc3\xa9\"");
    EXPECT_EQ(hex_argument(std::string("\x00\xab", 2)), "00AB");
}

TEST(RecordTextTest, TextIsUtf8WithoutControlsButCrLfAndTab) {
    EXPECT_TRUE(is_text("Hello\r\n\tcaf\xc3\xa9"));
    EXPECT_FALSE(is_text(std::string("a\0b", 3)));
    EXPECT_FALSE(is_text("\xc3"));
    EXPECT_FALSE(is_text("\xed\xa0\x80"));  // a surrogate
    EXPECT_FALSE(is_text("\x1a"));
}

}  // namespace
}  // namespace atcoap::script::record
