#include "base/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace atcoap {
namespace {

std::size_t length_of(const std::string& text) {
    return utf8_sequence_length(text, 0);
}

TEST(Utf8, MeasuresOneCharacterOfEachLength) {
    EXPECT_EQ(length_of("A"), 1u);
    EXPECT_EQ(length_of("\xC3\xA9"), 2u);          // é
    EXPECT_EQ(length_of("\xE2\x82\xAC"), 3u);      // €
    EXPECT_EQ(length_of("\xF0\x9F\x93\xA1"), 4u);  // 📡
    EXPECT_EQ(length_of("\xF4\x8F\xBF\xBF"), 4u);  // U+10FFFF, the last code point
    EXPECT_EQ(length_of(std::string(1, '\0')), 1u);
}

TEST(Utf8, RefusesWhatRfc3629RulesOut) {
    EXPECT_EQ(length_of("\x80"), 0u);              // a continuation byte alone
    EXPECT_EQ(length_of("\xC0\xAF"), 0u);          // an overlong '/'
    EXPECT_EQ(length_of("\xE0\x80\xAF"), 0u);      // overlong in three bytes
    EXPECT_EQ(length_of("\xF0\x80\x80\xAF"), 0u);  // overlong in four bytes
    EXPECT_EQ(length_of("\xED\xA0\x80"), 0u);      // a surrogate, U+D800
    EXPECT_EQ(length_of("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
    EXPECT_EQ(length_of("\xF5\x80\x80\x80"), 0u);  // a lead byte never used
    EXPECT_EQ(length_of("\xE2\x82"), 0u);          // cut by the end of the text
    EXPECT_EQ(length_of("\xE2\x41\xAC"), 0u);      // a second byte that is not one
    EXPECT_EQ(length_of("\xF0\x9F\x93\x41"), 0u);  // nor the last
}

TEST(Utf8, MeasuresAtTheGivenPlace) {
    const std::string text =
        "a\xC3\xA9"
        "b";
    EXPECT_EQ(utf8_sequence_length(text, 1), 2u);
    EXPECT_EQ(utf8_sequence_length(text, 2), 0u);  // inside the é
    EXPECT_EQ(utf8_sequence_length(text, 3), 1u);
}

}  // namespace
}  // namespace atcoap
