// NAME=VALUE arguments of `atcoap script --var` and `atcoap fleet -D` (src/script/assignments).

#include "script/assignments.hpp"

#include <gtest/gtest.h>

namespace atcoap::script {
namespace {

TEST(Assignments, NamesAreLettersDigitsAndUnderscoreNotStartingWithADigit) {
    EXPECT_TRUE(is_variable_name("HOST"));
    EXPECT_TRUE(is_variable_name("_x9"));
    EXPECT_FALSE(is_variable_name(""));
    EXPECT_FALSE(is_variable_name("9A"));
    EXPECT_FALSE(is_variable_name("A-B"));
    EXPECT_FALSE(is_variable_name("A B"));
}

TEST(Assignments, TheValueIsEverythingAfterTheFirstEqualsAndALaterOneWins) {
    auto parsed = parse_assignments({"A=1", "URI=/a?b=c", "EMPTY=", "A=2"}, "--var");
    ASSERT_TRUE(static_cast<bool>(parsed)) << parsed.error();
    EXPECT_EQ(parsed->size(), 3U);
    EXPECT_EQ(parsed->at("A"), "2");
    EXPECT_EQ(parsed->at("URI"), "/a?b=c");
    EXPECT_EQ(parsed->at("EMPTY"), "");
}

TEST(Assignments, AnArgumentOfAnotherShapeIsRefusedNamingTheOptionAndTheArgument) {
    for (const char* bad : {"NOEQUALS", "=1", "1A=2", "A-B=3"}) {
        auto parsed = parse_assignments({"OK=1", bad}, "-D");
        ASSERT_FALSE(static_cast<bool>(parsed)) << bad;
        EXPECT_EQ(parsed.error().rfind("-D wants NAME=VALUE", 0), 0U) << parsed.error();
        EXPECT_NE(parsed.error().find(std::string("got '") + bad + "'"), std::string::npos);
    }
}

}  // namespace
}  // namespace atcoap::script
