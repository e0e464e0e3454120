// The message value: codes (RFC 7252 §3, §12.1) and tokens (§5.3.1).

#include "coap/message.hpp"

#include <gtest/gtest.h>

namespace atcoap::coap {
namespace {

TEST(CoapCode, PacksClassAndDetailIntoOneByte) {
    // Figure 16 writes 2.05 as 69.
    EXPECT_EQ(Code::of(2, 5).value, 69);
    EXPECT_EQ(Code::of(0, 1).value, 1);
    EXPECT_EQ(Code::of(4, 4).value, 0x84);
    EXPECT_EQ(Code::of(7, 31).value, 0xFF);
    EXPECT_EQ(Code{0xA3}.code_class(), 5u);
    EXPECT_EQ(Code{0xA3}.detail(), 3u);
}

TEST(CoapCode, PrintsAsClassDotTwoDigitDetail) {
    EXPECT_EQ(to_string(codes::kContent), "2.05");
    EXPECT_EQ(to_string(codes::kEmpty), "0.00");
    EXPECT_EQ(to_string(codes::kNotFound), "4.04");
    EXPECT_EQ(to_string(Code::of(5, 31)), "5.31");
    EXPECT_EQ(to_string(codes::kGet), "0.01");
    EXPECT_EQ(to_string(codes::kContinue), "2.31");
    EXPECT_EQ(to_string(Code{0xFF}), "7.31");
}

TEST(CoapCode, ClassifiesEveryCodeByItsClass) {
    // §12.1: 0.00 empty, 0.01-0.31 requests, 1.xx reserved, 2.00-5.31 responses, 6-7 reserved.
    for (unsigned v = 0; v < 256; ++v) {
        const Code code{static_cast<std::uint8_t>(v)};
        const unsigned c = v >> 5;
        EXPECT_EQ(code.is_empty(), v == 0) << v;
        EXPECT_EQ(code.is_request(), c == 0 && v != 0) << v;
        EXPECT_EQ(code.is_response(), c >= 2 && c <= 5) << v;
        EXPECT_EQ(code.is_reserved_class(), c == 1 || c == 6 || c == 7) << v;
    }
}

TEST(CoapCode, NamesTheRfcMethodAndResponseCodes) {
    EXPECT_EQ(codes::kGet.value, 0x01);
    EXPECT_EQ(codes::kPost.value, 0x02);
    EXPECT_EQ(codes::kPut.value, 0x03);
    EXPECT_EQ(codes::kDelete.value, 0x04);
    EXPECT_EQ(to_string(codes::kCreated), "2.01");
    EXPECT_EQ(to_string(codes::kDeleted), "2.02");
    EXPECT_EQ(to_string(codes::kValid), "2.03");
    EXPECT_EQ(to_string(codes::kChanged), "2.04");
    EXPECT_EQ(to_string(codes::kBadRequest), "4.00");
    EXPECT_EQ(to_string(codes::kBadOption), "4.02");
    EXPECT_EQ(to_string(codes::kMethodNotAllowed), "4.05");
    EXPECT_EQ(to_string(codes::kInternalServerError), "5.00");
}

TEST(CoapToken, HoldsZeroToEightBytes) {
    EXPECT_TRUE(Token{}.empty());
    EXPECT_EQ(Token{}.size(), 0u);
    const Bytes eight{1, 2, 3, 4, 5, 6, 7, 8};
    const Token full(eight);
    EXPECT_EQ(full.size(), Token::kMaxSize);
    EXPECT_TRUE(std::equal(full.view().begin(), full.view().end(), eight.begin(), eight.end()));
}

TEST(CoapToken, ComparesOnlyTheBytesInUse) {
    EXPECT_EQ((Token{0x01, 0x02}), (Token{0x01, 0x02}));
    EXPECT_NE((Token{0x01, 0x02}), (Token{0x01, 0x03}));
    // A shorter token is a different token even when it is a prefix (§5.3.1: 0-8 bytes).
    EXPECT_NE((Token{0x01}), (Token{0x01, 0x00}));
    EXPECT_NE(Token{}, (Token{0x00}));
}

TEST(CoapMessage, ComparesEveryField) {
    Message a;
    a.code = codes::kGet;
    a.options = {Option{11, to_bytes("a")}};
    Message b = a;
    EXPECT_EQ(a, b);
    b.options[0].value = to_bytes("b");
    EXPECT_NE(a, b);
    b = a;
    b.message_id = 1;
    EXPECT_NE(a, b);
    b = a;
    b.payload = {0x00};
    EXPECT_NE(a, b);
    b = a;
    b.type = Type::Non;
    EXPECT_NE(a, b);
}

}  // namespace
}  // namespace atcoap::coap
