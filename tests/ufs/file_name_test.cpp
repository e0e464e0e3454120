#include "ufs/file_name.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace atcoap::ufs {
namespace {

NameError refusal(std::string_view text) {
    auto parsed = parse_name(text);
    EXPECT_FALSE(parsed.ok()) << "accepted: " << text;
    return parsed.ok() ? NameError{} : parsed.error();
}

TEST(FileName, AcceptsAPlainNameAsItIs) {
    auto parsed = parse_name("0_server.psk");
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->bare(), "0_server.psk");
    EXPECT_EQ(parsed->display(), "UFS:0_server.psk");
}

TEST(FileName, DropsTheDrivePrefixInAnyCase) {
    for (const char* text : {"UFS:0_server.psk", "ufs:0_server.psk", "Ufs:0_server.psk"}) {
        auto parsed = parse_name(text);
        ASSERT_TRUE(parsed.ok()) << text;
        EXPECT_EQ(parsed->bare(), "0_server.psk") << text;
    }
}

TEST(FileName, NamesWithAndWithoutPrefixAreTheSameFile) {
    EXPECT_EQ(*parse_name("UFS:a.txt"), *parse_name("a.txt"));
}

TEST(FileName, AcceptsEightyBytesAndRefusesEightyOne) {
    const std::string eighty(80, 'n');
    EXPECT_TRUE(parse_name(eighty).ok());
    EXPECT_TRUE(parse_name("UFS:" + eighty).ok());
    EXPECT_EQ(refusal(eighty + "n"), NameError::TooLong);
    EXPECT_EQ(refusal("UFS:" + eighty + "n"), NameError::TooLong);
}

TEST(FileName, RefusesEmptyNames) {
    EXPECT_EQ(refusal(""), NameError::Empty);
    EXPECT_EQ(refusal("UFS:"), NameError::Empty);
}

TEST(FileName, RefusesPathSeparators) {
    EXPECT_EQ(refusal("a/b"), NameError::Separator);
    EXPECT_EQ(refusal("/etc/passwd"), NameError::Separator);
    EXPECT_EQ(refusal("../x"), NameError::Separator);
    EXPECT_EQ(refusal("a\\b"), NameError::Separator);
    EXPECT_EQ(refusal("UFS:..\\x"), NameError::Separator);
}

TEST(FileName, RefusesNulAndOtherControlBytes) {
    EXPECT_EQ(refusal(std::string("a\0b", 3)), NameError::ControlByte);
    EXPECT_EQ(refusal("a\rb"), NameError::ControlByte);
    EXPECT_EQ(refusal("a\nb"), NameError::ControlByte);
    EXPECT_EQ(refusal("a\x7f"), NameError::ControlByte);
}

TEST(FileName, RefusesDotAndDotDot) {
    EXPECT_EQ(refusal("."), NameError::DotName);
    EXPECT_EQ(refusal(".."), NameError::DotName);
    EXPECT_EQ(refusal("UFS:.."), NameError::DotName);
}

TEST(FileName, RefusesAnyNameStartingWithADot) {
    EXPECT_EQ(refusal(".hidden"), NameError::LeadingDot);
    EXPECT_EQ(refusal(".ufs-tmp-1-2"), NameError::LeadingDot);
    EXPECT_EQ(refusal("..."), NameError::LeadingDot);
}

TEST(FileName, AllowsDotsInsideAName) {
    EXPECT_TRUE(parse_name("a..b").ok());
    EXPECT_TRUE(parse_name("name.").ok());
}

TEST(FileName, RefusesDrivesWildcardsAndQuotes) {
    EXPECT_EQ(refusal("RAM:x"), NameError::ReservedByte);
    EXPECT_EQ(refusal("UFS:UFS:x"), NameError::ReservedByte);
    EXPECT_EQ(refusal("*.psk"), NameError::ReservedByte);
    EXPECT_EQ(refusal("a?"), NameError::ReservedByte);
    EXPECT_EQ(refusal("a\"b"), NameError::ReservedByte);
}

TEST(FileName, KeepsNonAsciiBytes) {
    auto parsed = parse_name("cl\xC3\xA9.psk");
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->bare(), "cl\xC3\xA9.psk");
}

TEST(FileName, OrdersByBytes) {
    EXPECT_LT(*parse_name("A"), *parse_name("a"));
    EXPECT_LT(*parse_name("a"), *parse_name("ab"));
}

TEST(FileName, DescribesEveryRefusal) {
    struct Refusal {
        std::string name;
        NameError error;
        std::string description;
    };
    const std::vector<Refusal> refusals = {
        {"UFS:", NameError::Empty, "is empty"},
        {std::string(kMaxNameBytes + 1, 'a'), NameError::TooLong,
         "is longer than " + std::to_string(kMaxNameBytes) + " bytes"},
        {"a/b", NameError::Separator, "contains '/' or '\\'"},
        {std::string("a\0b", 3), NameError::ControlByte, "contains NUL or another control byte"},
        {"..", NameError::DotName, "is '.' or '..'"},
        {".hidden", NameError::LeadingDot, "starts with '.'"},
        {"RAM:x", NameError::ReservedByte, "contains ':', '*', '?' or '\"'"},
    };
    std::set<std::string_view> seen;
    for (const Refusal& refusal : refusals) {
        const auto parsed = parse_name(refusal.name);
        ASSERT_FALSE(parsed) << refusal.description;
        EXPECT_EQ(parsed.error(), refusal.error) << refusal.description;
        EXPECT_EQ(describe(refusal.error), refusal.description);
        seen.insert(describe(refusal.error));
    }
    EXPECT_EQ(seen.size(), refusals.size());  // no two refusals read alike
}

}  // namespace
}  // namespace atcoap::ufs
