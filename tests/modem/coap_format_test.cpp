#include "modem/coap_format.hpp"

#include <gtest/gtest.h>

#include "coap/options.hpp"

namespace atcoap::modem {
namespace {

Result<Bytes, std::string> parse(std::uint16_t number, std::string_view text, bool quoted) {
    return parse_option_value(number, OptionValueText{text, quoted, true});
}

TEST(ParseOptionValue, ReadsAStringOptionFromQuotedText) {
    auto value = parse(coap::option::kUriPath, "19", true);
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(*value, to_bytes("19"));
}

TEST(ParseOptionValue, RefusesAnUnquotedStringOption) {
    EXPECT_FALSE(parse(coap::option::kUriPath, "19", false).ok());
}

TEST(ParseOptionValue, ReadsAnUnsignedOptionQuotedOrNot) {
    EXPECT_EQ(*parse(coap::option::kContentFormat, "40", false), Bytes{40});
    EXPECT_EQ(*parse(coap::option::kContentFormat, "50", true), Bytes{50});
    EXPECT_EQ(*parse(coap::option::kContentFormat, "0", false), Bytes{});
}

TEST(ParseOptionValue, RefusesAnUnsignedValueWiderThanTheOption) {
    EXPECT_FALSE(parse(coap::option::kContentFormat, "65536", false).ok());
    EXPECT_TRUE(parse(coap::option::kContentFormat, "65535", false).ok());
}

TEST(ParseOptionValue, ReadsOpaqueOptionsAsHexInEitherCase) {
    EXPECT_EQ(*parse(coap::option::kETag, "a1B2", true), (Bytes{0xA1, 0xB2}));
    EXPECT_FALSE(parse(coap::option::kETag, "A1B", false).ok());
    EXPECT_FALSE(parse(coap::option::kETag, "", true).ok());  // ETag is 1-8 bytes
}

TEST(ParseOptionValue, ReadsAnEmptyOptionWithNoValueOrEmptyQuotes) {
    EXPECT_TRUE(parse_option_value(coap::option::kIfNoneMatch, OptionValueText{}).ok());
    EXPECT_TRUE(parse(coap::option::kIfNoneMatch, "", true).ok());
    EXPECT_FALSE(parse(coap::option::kIfNoneMatch, "1", false).ok());
}

TEST(ParseOptionValue, ChecksStringLengthsAgainstTable3) {
    EXPECT_FALSE(parse(coap::option::kUriHost, "", true).ok());  // Uri-Host is 1-255
    EXPECT_TRUE(parse(coap::option::kUriPath, "", true).ok());   // Uri-Path is 0-255
    EXPECT_FALSE(parse(coap::option::kUriPath, std::string(256, 'a'), true).ok());
}

TEST(ParseOptionValue, TreatsAnUnregisteredNumberAsOpaque) {
    EXPECT_EQ(*parse(65000, "00FF", false), (Bytes{0x00, 0xFF}));
}

TEST(ParseOptionValue, RefusesTheReservedNumberZero) {
    EXPECT_FALSE(parse(0, "", true).ok());
}

TEST(FormatRecvLine, PrintsTheNotesExampleLine) {
    coap::Message message;
    message.type = coap::Type::Non;
    message.code = coap::codes::kNotFound;
    message.message_id = 1234;
    message.token = coap::Token{0xD2, 0x04, 0xD5, 0x2E, 0x81, 0x4B};
    message.payload = to_bytes("Not Found");
    EXPECT_EQ(format_recv_line(0, message), "+QCOAPRECV: 0,1234,4.04,6,D204D52E814B,0,9");
}

TEST(FormatRecvLine, PrintsEachOptionByItsFormatInOrder) {
    coap::Message message;
    message.code = coap::codes::kContent;
    message.message_id = 7;
    message.options = {{coap::option::kETag, {0xAB, 0x01}},
                       {coap::option::kObserve, {0x01, 0x02}},
                       {coap::option::kLocationPath, to_bytes("a\"b\\c\n")},
                       {coap::option::kContentFormat, {}},
                       {coap::option::kBlock2, {0x1E}},
                       {1000, {0xFF}}};
    EXPECT_EQ(format_recv_line(3, message),
              "+QCOAPRECV: 3,7,2.05,0,,6,4,\"AB01\",6,\"258\",8,\"a\\22b\\5Cc\\0A\",12,\"0\","
              "23,\"30\",1000,\"FF\",0");
}

}  // namespace
}  // namespace atcoap::modem
