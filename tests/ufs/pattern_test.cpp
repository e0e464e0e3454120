#include "ufs/pattern.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

// The bound glob_match promises: (pattern + 1) × (text + 1) steps.
std::size_t step_bound(std::string_view pattern, std::string_view text) {
    return (pattern.size() + 1) * (text.size() + 1);
}

TEST(Glob, StaysFastOnAPathologicalPattern) {
    // Backtracking into every earlier '*' would try about C(5000, 8) splits here.
    const std::string text(5000, 'a');
    const std::string pattern = "*a*a*a*a*a*a*a*a*b";
    std::size_t steps = 0;
    EXPECT_FALSE(glob_match(pattern, text, &steps));
    EXPECT_GT(steps, 0u);
    EXPECT_LE(steps, step_bound(pattern, text));
}

TEST(Glob, WorkStaysWithinPatternTimesTextWhenTheLastStarBacktracksFar) {
    // Every position of the text starts a near-match of the part after the '*': the worst
    // case of the matcher, and still within the bound.
    const std::string text(2000, 'a');
    const std::vector<std::string> patterns{"*" + std::string(40, 'a') + "b", "*a?a?a?b*", "*a*"};
    for (const std::string& pattern : patterns) {
        std::size_t steps = 0;
        glob_match(pattern, text, &steps);
        EXPECT_LE(steps, step_bound(pattern, text)) << pattern;
    }
}

TEST(Glob, CountsItsStepsWhetherItMatchesOrNot) {
    std::size_t steps = 99;
    EXPECT_TRUE(glob_match("", "", &steps));
    EXPECT_EQ(steps, 0u);
    EXPECT_TRUE(glob_match("abc", "abc", &steps));
    EXPECT_EQ(steps, 3u);
    EXPECT_TRUE(glob_match("a**", "a", &steps));
    EXPECT_EQ(steps, 3u);  // one comparison, then the two trailing stars
    EXPECT_FALSE(glob_match("x", "abc", &steps));
    EXPECT_EQ(steps, 1u);
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
