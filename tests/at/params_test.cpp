#include "at/params.hpp"

#include <gtest/gtest.h>

namespace atcoap::at {
namespace {

const std::vector<ParamSpec> kOpenSpec = {
    {"clientID", IntRange{0, 5}},
    {"CoAP_server", QuotedString{255}},
    {"port", IntRange{1, 65535}},
};

/// The texts of the Args view `text`, which the tests pass as string literals.
Result<Args, ParamError> check(std::string_view text, const std::vector<ParamSpec>& specs) {
    std::vector<RawArg> raw;
    EXPECT_TRUE(split_arguments(text, raw).ok());
    Args args;
    if (auto valid = validate(raw, specs, args); !valid) {
        return fail(valid.error());
    }
    return args;
}

TEST(Validate, AcceptsGoodValuesAndConvertsThem) {
    auto args = check("0,\"127.0.0.1\",5683", kOpenSpec);
    ASSERT_TRUE(args.ok());
    EXPECT_EQ(args->integer(0), 0);
    EXPECT_EQ(args->text(1), "127.0.0.1");
    EXPECT_EQ(args->integer(2), 5683);
}

TEST(Validate, RefusesAnIntegerOutOfRangeNamingTheParameter) {
    auto args = check("6,\"h\",1", kOpenSpec);
    ASSERT_FALSE(args.ok());
    EXPECT_EQ(args.error().index, 1u);
    EXPECT_NE(args.error().reason.find("clientID"), std::string::npos);
    EXPECT_NE(args.error().reason.find("0-5"), std::string::npos);
}

TEST(Validate, RefusesAQuotedIntegerAndAnUnquotedString) {
    EXPECT_FALSE(check("\"0\",\"h\",1", kOpenSpec).ok());
    EXPECT_FALSE(check("0,h,1", kOpenSpec).ok());
}

TEST(Validate, RefusesATooLongString) {
    const std::string host = "\"" + std::string(256, 'a') + "\"";
    EXPECT_FALSE(check("0," + host + ",1", kOpenSpec).ok());
}

TEST(Validate, RefusesMissingRequiredAndTooManyParameters) {
    EXPECT_FALSE(check("0,\"h\"", kOpenSpec).ok());
    EXPECT_FALSE(check("0,\"h\",1,2", kOpenSpec).ok());
}

TEST(Validate, LeavesOptionalParametersAbsent) {
    const std::vector<ParamSpec> specs = {{"a", IntRange{0, 9}}, {"b", IntRange{0, 9}, true}};
    auto args = check("3", specs);
    ASSERT_TRUE(args.ok());
    EXPECT_TRUE(args->has(0));
    EXPECT_FALSE(args->has(1));
}

TEST(Validate, AnyTextKeepsQuotingInformation) {
    const std::vector<ParamSpec> specs = {{"value", AnyText{8}}};
    auto quoted = check("\"50\"", specs);
    auto bare = check("50", specs);
    ASSERT_TRUE(quoted.ok() && bare.ok());
    EXPECT_TRUE(quoted->quoted(0));
    EXPECT_FALSE(bare->quoted(0));
    EXPECT_EQ(bare->text(0), "50");
}

TEST(ParseDecimal, AcceptsDigitsOnly) {
    EXPECT_EQ(parse_decimal("0"), 0);
    EXPECT_EQ(parse_decimal("65535"), 65535);
    EXPECT_FALSE(parse_decimal(""));
    EXPECT_FALSE(parse_decimal("-1"));
    EXPECT_FALSE(parse_decimal("1a"));
    EXPECT_FALSE(parse_decimal("1234567890123456789"));
}

}  // namespace
}  // namespace atcoap::at
