#include "ufs/pattern.hpp"

#include <gtest/gtest.h>

namespace atcoap::ufs {
namespace {

FileName file(std::string_view text) {
    return parse_name(text).value();
}

TEST(Glob, StarMatchesEverythingIncludingNothing) {
    EXPECT_TRUE(glob_match("*", "0_server.psk"));
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_TRUE(glob_match("a*", "a"));
}

TEST(Glob, SuffixAndPrefixPatterns) {
    EXPECT_TRUE(glob_match("*.psk", "0_server.psk"));
    EXPECT_FALSE(glob_match("*.psk", "0_server.pskx"));
    EXPECT_TRUE(glob_match("0_*", "0_server.psk"));
    EXPECT_FALSE(glob_match("1_*", "0_server.psk"));
}

TEST(Glob, QuestionMarkMatchesExactlyOneByte) {
    EXPECT_TRUE(glob_match("?_server.psk", "3_server.psk"));
    EXPECT_FALSE(glob_match("?_server.psk", "_server.psk"));
    EXPECT_FALSE(glob_match("?_server.psk", "10_server.psk"));
}

TEST(Glob, BacktracksOverSeveralStars) {
    EXPECT_TRUE(glob_match("*a*b*c", "xxaxxbxxbxxc"));
    EXPECT_FALSE(glob_match("*a*b*c", "xxaxxbxxbxx"));
    EXPECT_TRUE(glob_match("a*a*a", "aaa"));
    EXPECT_FALSE(glob_match("a*a*a", "aa"));
}

TEST(Glob, WithoutWildcardsMatchesOnlyItself) {
    EXPECT_TRUE(glob_match("abc", "abc"));
    EXPECT_FALSE(glob_match("abc", "ABC"));
    EXPECT_FALSE(glob_match("abc", "abcd"));
    EXPECT_FALSE(glob_match("", "a"));
}

TEST(Glob, StaysFastOnAPathologicalPattern) {
    const std::string text(5000, 'a');
    EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", text));
}

TEST(Pattern, IgnoresTheDrivePrefixOfThePattern) {
    EXPECT_TRUE(pattern_matches("UFS:*", file("x")));
    EXPECT_TRUE(pattern_matches("ufs:*.psk", file("0_server.psk")));
    EXPECT_TRUE(pattern_matches("UFS:0_server.psk", file("0_server.psk")));
    EXPECT_FALSE(pattern_matches("RAM:*", file("x")));
}

TEST(Pattern, RecognizesTheDeleteEverythingArgument) {
    EXPECT_TRUE(names_every_file("*"));
    EXPECT_TRUE(names_every_file("UFS:*"));
    EXPECT_FALSE(names_every_file("*.psk"));
    EXPECT_FALSE(names_every_file("**"));
}

}  // namespace
}  // namespace atcoap::ufs
