// Encoding (RFC 7252 §3, §3.1): exact bytes derived by hand from the RFC's figures, the
// minimal option forms, option ordering, and what a sender must refuse.

#include <gtest/gtest.h>

#include "coap/codec.hpp"

namespace atcoap::coap {
namespace {

Bytes encoded(const Message& m) {
    auto result = encode(m);
    EXPECT_TRUE(result.ok()) << describe(result.error());
    return result.ok() ? std::move(result).value() : Bytes{};
}

Message request(Code code, std::uint16_t message_id) {
    Message m;
    m.type = Type::Con;
    m.code = code;
    m.message_id = message_id;
    return m;
}

Bytes concat(Bytes front, std::string_view text) {
    front.insert(front.end(), text.begin(), text.end());
    return front;
}

/// The bytes of the option header for one option at `number` with a `length`-byte value.
Bytes single_option_head(std::uint16_t number, std::size_t length) {
    Message m = request(codes::kGet, 0);
    m.options.push_back(Option{number, Bytes(length, 0x5A)});
    const Bytes all = encoded(m);
    const std::size_t head = all.size() - 4 - length;
    return Bytes(all.begin() + 4, all.begin() + 4 + static_cast<long>(head));
}

TEST(CoapEncode, WritesVersionTypeTokenLengthCodeAndMessageId) {
    EXPECT_EQ(encoded(request(codes::kGet, 0x1234)), (Bytes{0x40, 0x01, 0x12, 0x34}));
    Message m = request(codes::kContent, 0xFFFE);
    m.type = Type::Non;
    m.token = Token{0xDE, 0xAD};
    EXPECT_EQ(encoded(m), (Bytes{0x52, 0x45, 0xFF, 0xFE, 0xDE, 0xAD}));
}

TEST(CoapEncode, PutsTheTypeInBitsFourAndFive) {
    Message m = request(codes::kEmpty, 1);
    for (auto [type, first] : {std::pair{Type::Con, 0x40}, std::pair{Type::Non, 0x50},
                               std::pair{Type::Ack, 0x60}, std::pair{Type::Rst, 0x70}}) {
        m.type = type;
        EXPECT_EQ(encoded(m).at(0), first);
    }
}

TEST(CoapEncode, ProducesTheFigureSixteenGetAndPiggybackedResponse) {
    // Appendix A, Figure 16: CON GET MID 0x7d34, Uri-Path "temperature" (delta 11, length 11),
    // no token: 16 bytes. The ACK 2.05 (=69) carries "22.3 C" after the marker: 11 bytes.
    Message get = request(codes::kGet, 0x7D34);
    get.options.push_back(Option{11, to_bytes("temperature")});
    EXPECT_EQ(encoded(get), concat(Bytes{0x40, 0x01, 0x7D, 0x34, 0xBB}, "temperature"));

    Message content;
    content.type = Type::Ack;
    content.code = codes::kContent;
    content.message_id = 0x7D34;
    content.payload = to_bytes("22.3 C");
    const Bytes bytes = encoded(content);
    EXPECT_EQ(bytes, concat(Bytes{0x60, 0x45, 0x7D, 0x34, 0xFF}, "22.3 C"));
    EXPECT_EQ(bytes.size(), 11u);
}

TEST(CoapEncode, ProducesTheFigureSeventeenExchangeWithAOneByteToken) {
    // Appendix A, Figure 17: as Figure 16 with Token 0x20, one byte longer each way.
    Message get = request(codes::kGet, 0x7D35);
    get.token = Token{0x20};
    get.options.push_back(Option{11, to_bytes("temperature")});
    const Bytes request_bytes = encoded(get);
    EXPECT_EQ(request_bytes, concat(Bytes{0x41, 0x01, 0x7D, 0x35, 0x20, 0xBB}, "temperature"));
    EXPECT_EQ(request_bytes.size(), 17u);

    Message content;
    content.type = Type::Ack;
    content.code = codes::kContent;
    content.message_id = 0x7D35;
    content.token = Token{0x20};
    content.payload = to_bytes("22.5 C");
    EXPECT_EQ(encoded(content), concat(Bytes{0x61, 0x45, 0x7D, 0x35, 0x20, 0xFF}, "22.5 C"));
}

TEST(CoapEncode, WritesEachOptionDeltaInItsShortestForm) {
    // §3.1: 0-12 in the nibble, 13-268 as nibble 13 + one byte, 269+ as nibble 14 + two.
    EXPECT_EQ(single_option_head(12, 0), (Bytes{0xC0}));
    EXPECT_EQ(single_option_head(13, 0), (Bytes{0xD0, 0x00}));
    EXPECT_EQ(single_option_head(268, 0), (Bytes{0xD0, 0xFF}));
    EXPECT_EQ(single_option_head(269, 0), (Bytes{0xE0, 0x00, 0x00}));
    EXPECT_EQ(single_option_head(65535, 0), (Bytes{0xE0, 0xFE, 0xF2}));
}

TEST(CoapEncode, WritesEachOptionLengthInItsShortestForm) {
    EXPECT_EQ(single_option_head(1, 12), (Bytes{0x1C}));
    EXPECT_EQ(single_option_head(1, 13), (Bytes{0x1D, 0x00}));
    EXPECT_EQ(single_option_head(1, 268), (Bytes{0x1D, 0xFF}));
    EXPECT_EQ(single_option_head(1, 269), (Bytes{0x1E, 0x00, 0x00}));
    EXPECT_EQ(single_option_head(1, 65535 + 269), (Bytes{0x1E, 0xFF, 0xFF}));
    // Extended delta bytes come before extended length bytes.
    EXPECT_EQ(single_option_head(300, 20), (Bytes{0xED, 0x00, 0x1F, 0x07}));
}

TEST(CoapEncode, WritesDeltasRelativeToThePreviousOption) {
    Message m = request(codes::kGet, 0);
    m.options = {Option{3, to_bytes("h")}, Option{11, to_bytes("a")}, Option{11, to_bytes("b")},
                 Option{60, {}}};
    EXPECT_EQ(encoded(m), (Bytes{0x40, 0x01, 0, 0, 0x31, 'h', 0x81, 'a', 0x01, 'b', 0xD0, 36}));
}

TEST(CoapEncode, SortsOptionsAscendingAndKeepsTheOrderOfRepeatedOnes) {
    // §3.1 wants ascending numbers; §5.4.5 keeps repeated options in their given order,
    // so two Uri-Path "a","b" stay /a/b wherever other options sit between them.
    Message m = request(codes::kGet, 0);
    m.options = {Option{15, to_bytes("q")}, Option{11, to_bytes("a")}, Option{3, to_bytes("h")},
                 Option{11, to_bytes("b")}, Option{15, to_bytes("r")}};
    const Bytes expected{0x40, 0x01, 0, 0, 0x31, 'h', 0x81, 'a', 0x01, 'b', 0x41, 'q', 0x01, 'r'};
    EXPECT_EQ(encoded(m), expected);
}

TEST(CoapEncode, KeepsTheOrderOfRepeatedOptionsAmongManyUnsortedOnes) {
    // Enough options that a sort which is stable only for short inputs would show.
    Message m = request(codes::kGet, 0);
    const std::uint16_t numbers[] = {60, 15, 11, 3, 11, 15};
    for (std::uint8_t i = 0; i < 96; ++i) {
        m.options.push_back(Option{numbers[i % 6], {i}});
    }
    const auto back = decode(encoded(m));
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back->options.size(), m.options.size());
    for (std::size_t i = 1; i < back->options.size(); ++i) {
        const Option& a = back->options[i - 1];
        const Option& b = back->options[i];
        ASSERT_LE(a.number, b.number) << i;
        if (a.number == b.number) {
            EXPECT_LT(a.value.at(0), b.value.at(0)) << i;
        }
    }
}

TEST(CoapEncode, OmitsThePayloadMarkerWhenThereIsNoPayload) {
    Message m = request(codes::kPost, 9);
    m.options.push_back(Option{12, {}});
    EXPECT_EQ(encoded(m), (Bytes{0x40, 0x02, 0, 9, 0xC0}));
    m.payload = {0x00};
    EXPECT_EQ(encoded(m), (Bytes{0x40, 0x02, 0, 9, 0xC0, 0xFF, 0x00}));
}

TEST(CoapEncode, WritesTheEmptyMessageAsTheBareHeader) {
    Message ack;
    ack.type = Type::Ack;
    ack.message_id = 0x0102;
    EXPECT_EQ(encoded(ack), (Bytes{0x60, 0x00, 0x01, 0x02}));
}

TEST(CoapEncode, RefusesReservedCodeClasses) {
    for (unsigned code_class : {1u, 6u, 7u}) {
        Message m = request(Code::of(code_class, 3), 1);
        const auto result = encode(m);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error(), EncodeError::ReservedCodeClass);
    }
}

TEST(CoapEncode, RefusesAnEmptyMessageThatCarriesAnything) {
    Message with_token = request(codes::kEmpty, 1);
    with_token.token = Token{0x01};
    Message with_option = request(codes::kEmpty, 1);
    with_option.options.push_back(Option{4, {0x01}});
    Message with_payload = request(codes::kEmpty, 1);
    with_payload.payload = {0x01};
    for (const Message& m : {with_token, with_option, with_payload}) {
        const auto result = encode(m);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error(), EncodeError::EmptyMessageNotEmpty);
    }
}

TEST(CoapEncode, RefusesAnOptionValueLongerThanTheLengthFieldCanExpress) {
    Message m = request(codes::kPut, 1);
    m.options.push_back(Option{11, Bytes(65535 + 269 + 1, 0x61)});
    const auto result = encode(m);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), EncodeError::OptionValueTooLong);
    m.options[0].value.pop_back();
    EXPECT_TRUE(encode(m).ok());
}

TEST(CoapEncode, AppendsToTheBufferOnSuccessAndLeavesItAloneOnFailure) {
    Bytes out{0xAA, 0xBB};
    ASSERT_TRUE(encode_into(request(codes::kGet, 0x0A0B), out).ok());
    EXPECT_EQ(out, (Bytes{0xAA, 0xBB, 0x40, 0x01, 0x0A, 0x0B}));

    Message bad = request(codes::kGet, 1);
    bad.options = {Option{3, to_bytes("h")}, Option{11, Bytes(70000, 0x61)}};
    ASSERT_FALSE(encode_into(bad, out).ok());
    EXPECT_EQ(out, (Bytes{0xAA, 0xBB, 0x40, 0x01, 0x0A, 0x0B}));
}

TEST(CoapEncode, ProducesBytesThatDecodeBackToTheSameMessage) {
    Message m = request(codes::kPut, 0xC0DE);
    m.token = Token{1, 2, 3, 4, 5, 6, 7, 8};
    m.options = {Option{1, {}}, Option{13, to_bytes("thirteen")}, Option{300, Bytes(300, 7)},
                 Option{65535, {0x01}}};
    m.payload = {0xFF, 0xFF};
    const auto back = decode(encoded(m));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, m);
}

}  // namespace
}  // namespace atcoap::coap
