// Decoding, one byte vector per rule of RFC 7252 §3 and §3.1. The vectors are written from
// the RFC's figures (Figure 7 header, Figure 8 option), not from the decoder.

#include "coap/codec.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace atcoap::coap {
namespace {

/// A CON GET (0.01), message ID 0x1234, no token: the header every option test starts from.
Bytes get_header() {
    return Bytes{0x40, 0x01, 0x12, 0x34};
}

Bytes with(Bytes front, std::initializer_list<std::uint8_t> tail) {
    front.insert(front.end(), tail.begin(), tail.end());
    return front;
}

Bytes with_filler(Bytes front, std::size_t count) {
    front.insert(front.end(), count, std::uint8_t{'x'});
    return front;
}

DecodeFailure failure_of(const Bytes& datagram) {
    const auto result = decode(datagram);
    EXPECT_FALSE(result.ok());
    return result.ok() ? DecodeFailure{DecodeError::HeaderTruncated} : result.error();
}

Message decoded(const Bytes& datagram) {
    auto result = decode(datagram);
    EXPECT_TRUE(result.ok()) << describe(result.error().reason);
    return result.ok() ? std::move(result).value() : Message{};
}

TEST(CoapDecode, ReadsTheFourHeaderFieldsOfAMessageWithoutToken) {
    const Message m = decoded(Bytes{0x50, 0x45, 0xAB, 0xCD});
    EXPECT_EQ(m.type, Type::Non);
    EXPECT_EQ(m.code, codes::kContent);
    EXPECT_EQ(m.message_id, 0xABCD);
    EXPECT_TRUE(m.token.empty());
    EXPECT_TRUE(m.options.empty());
    EXPECT_TRUE(m.payload.empty());
}

TEST(CoapDecode, ReadsEachOfTheFourMessageTypes) {
    EXPECT_EQ(decoded(Bytes{0x40, 0x01, 0, 0}).type, Type::Con);
    EXPECT_EQ(decoded(Bytes{0x50, 0x01, 0, 0}).type, Type::Non);
    EXPECT_EQ(decoded(Bytes{0x60, 0x45, 0, 0}).type, Type::Ack);
    EXPECT_EQ(decoded(Bytes{0x70, 0x00, 0, 0}).type, Type::Rst);
}

TEST(CoapDecode, FailsWithoutAHeaderWhenFewerThanFourBytesArrive) {
    const Bytes full{0x40, 0x01, 0x12, 0x34};
    for (std::size_t size = 0; size < 4; ++size) {
        const DecodeFailure f =
            failure_of(Bytes(full.begin(), full.begin() + static_cast<long>(size)));
        EXPECT_EQ(f.reason, DecodeError::HeaderTruncated) << size;
        EXPECT_FALSE(f.header_readable) << size;
    }
}

TEST(CoapDecode, IgnoresEveryVersionOtherThanOneWithoutOfferingAHeader) {
    for (std::uint8_t version : std::initializer_list<std::uint8_t>{0, 2, 3}) {
        const auto first = static_cast<std::uint8_t>(version << 6);
        const DecodeFailure f = failure_of(Bytes{first, 0x01, 0x12, 0x34});
        EXPECT_EQ(f.reason, DecodeError::UnsupportedVersion);
        // §3: silently ignored, so no RST can be built from it.
        EXPECT_FALSE(f.header_readable);
    }
}

TEST(CoapDecode, TreatsTokenLengthsNineToFifteenAsFormatErrorsWithAReadableHeader) {
    for (std::uint8_t tkl = 9; tkl <= 15; ++tkl) {
        // Enough bytes follow that only the length itself can be at fault.
        const Bytes datagram =
            with_filler(Bytes{static_cast<std::uint8_t>(0x40 | tkl), 0x01, 0xBE, 0xEF}, 20);
        const DecodeFailure f = failure_of(datagram);
        EXPECT_EQ(f.reason, DecodeError::TokenLengthReserved) << int{tkl};
        EXPECT_TRUE(f.header_readable);
        EXPECT_EQ(f.type, Type::Con);
        EXPECT_EQ(f.message_id, 0xBEEF);
    }
}

TEST(CoapDecode, ReadsTokensOfEveryLengthFromZeroToEight) {
    for (std::uint8_t tkl = 0; tkl <= 8; ++tkl) {
        Bytes datagram{static_cast<std::uint8_t>(0x40 | tkl), 0x01, 0, 7};
        for (std::uint8_t i = 0; i < tkl; ++i) {
            datagram.push_back(static_cast<std::uint8_t>(0xA0 + i));
        }
        const Message m = decoded(datagram);
        ASSERT_EQ(m.token.size(), tkl);
        for (std::uint8_t i = 0; i < tkl; ++i) {
            EXPECT_EQ(m.token.view()[i], 0xA0 + i);
        }
    }
}

TEST(CoapDecode, FailsWhenTheDatagramEndsInsideTheToken) {
    const DecodeFailure f = failure_of(Bytes{0x54, 0x01, 0x00, 0x09, 0x01, 0x02});
    EXPECT_EQ(f.reason, DecodeError::TokenTruncated);
    EXPECT_TRUE(f.header_readable);
    EXPECT_EQ(f.type, Type::Non);
    EXPECT_EQ(f.message_id, 9);
}

TEST(CoapDecode, RefusesTheReservedCodeClassesOneSixAndSeven) {
    for (unsigned code_class : {1u, 6u, 7u}) {
        for (unsigned detail : {0u, 5u, 31u}) {
            const auto code = static_cast<std::uint8_t>(code_class << 5 | detail);
            const DecodeFailure f = failure_of(Bytes{0x60, code, 0x43, 0x21});
            EXPECT_EQ(f.reason, DecodeError::ReservedCodeClass) << code_class << "." << detail;
            EXPECT_TRUE(f.header_readable);
            EXPECT_EQ(f.type, Type::Ack);
            EXPECT_EQ(f.message_id, 0x4321);
        }
    }
}

TEST(CoapDecode, AcceptsRequestClassZeroAndResponseClassesTwoToFive) {
    // §12.1: 0.01-0.31 are requests, 2.00-5.31 responses, class 3 included.
    for (std::uint8_t code : std::initializer_list<std::uint8_t>{0x01, 0x1F, 0x40, 0x5F, 0x60, 0x7F,
                                                                 0x84, 0xA0, 0xBF}) {
        EXPECT_EQ(decoded(Bytes{0x40, code, 0, 1}).code.value, code);
    }
}

TEST(CoapDecode, AcceptsTheEmptyMessageAsExactlyFourBytes) {
    const Message ping = decoded(Bytes{0x40, 0x00, 0x77, 0x01});
    EXPECT_TRUE(ping.code.is_empty());
    EXPECT_EQ(ping.message_id, 0x7701);
    EXPECT_EQ(decoded(Bytes{0x70, 0x00, 0x77, 0x01}).type, Type::Rst);
}

TEST(CoapDecode, RefusesAnEmptyMessageWithATokenOrBytesAfterTheMessageId) {
    // §4.1: 0.00 has TKL 0 and nothing after the message ID.
    const Bytes cases[] = {
        Bytes{0x41, 0x00, 0x10, 0x20, 0xAA},        // a one-byte token
        Bytes{0x41, 0x00, 0x10, 0x20},              // TKL 1, token missing as well
        Bytes{0x40, 0x00, 0x10, 0x20, 0x00},        // an option byte
        Bytes{0x40, 0x00, 0x10, 0x20, 0xFF, 0x61},  // a payload
    };
    for (const Bytes& datagram : cases) {
        const DecodeFailure f = failure_of(datagram);
        EXPECT_EQ(f.reason, DecodeError::EmptyMessageNotEmpty);
        EXPECT_TRUE(f.header_readable);
        EXPECT_EQ(f.type, Type::Con);
        EXPECT_EQ(f.message_id, 0x1020);
    }
}

TEST(CoapDecode, RefusesDeltaNibbleFifteenInAByteThatIsNotThePayloadMarker) {
    for (std::uint8_t first : std::initializer_list<std::uint8_t>{0xF0, 0xF1, 0xF5, 0xFD, 0xFE}) {
        const DecodeFailure f = failure_of(with_filler(with(get_header(), {first}), 20));
        EXPECT_EQ(f.reason, DecodeError::OptionDeltaReserved) << int{first};
        EXPECT_TRUE(f.header_readable);
        EXPECT_EQ(f.message_id, 0x1234);
        EXPECT_EQ(f.offset, 4u);
    }
}

TEST(CoapDecode, RefusesLengthNibbleFifteen) {
    for (std::uint8_t first : std::initializer_list<std::uint8_t>{0x0F, 0xBF, 0xDF, 0xEF}) {
        const DecodeFailure f = failure_of(with_filler(with(get_header(), {first}), 20));
        EXPECT_EQ(f.reason, DecodeError::OptionLengthReserved) << int{first};
        EXPECT_TRUE(f.header_readable);
    }
}

TEST(CoapDecode, ReadsDeltaNibblesBelowThirteenDirectly) {
    const Message m = decoded(with(get_header(), {0x10, 0xB0}));
    ASSERT_EQ(m.options.size(), 2u);
    EXPECT_EQ(m.options[0].number, 1);
    EXPECT_EQ(m.options[1].number, 12);
}

TEST(CoapDecode, ReadsOneByteExtendedDeltasAsThirteenPlusTheByte) {
    EXPECT_EQ(decoded(with(get_header(), {0xD0, 0x00})).options.at(0).number, 13);
    EXPECT_EQ(decoded(with(get_header(), {0xD0, 0xFF})).options.at(0).number, 268);
}

TEST(CoapDecode, ReadsTwoByteExtendedDeltasAsTwoHundredSixtyNinePlusTheBigEndianValue) {
    EXPECT_EQ(decoded(with(get_header(), {0xE0, 0x00, 0x00})).options.at(0).number, 269);
    EXPECT_EQ(decoded(with(get_header(), {0xE0, 0x01, 0x02})).options.at(0).number, 269 + 0x0102);
    // 269 + 65266 = 65535, the largest option number.
    EXPECT_EQ(decoded(with(get_header(), {0xE0, 0xFE, 0xF2})).options.at(0).number, 65535);
}

TEST(CoapDecode, ReadsExtendedLengthsAtTheirBoundaries) {
    struct Case {
        std::initializer_list<std::uint8_t> head;
        std::size_t length;
    };
    const Case cases[] = {{{0x0C}, 12},
                          {{0x0D, 0x00}, 13},
                          {{0x0D, 0xFF}, 268},
                          {{0x0E, 0x00, 0x00}, 269},
                          {{0x0E, 0xFF, 0xFF}, 65535 + 269}};
    for (const Case& c : cases) {
        const Message m = decoded(with_filler(with(get_header(), c.head), c.length));
        ASSERT_EQ(m.options.size(), 1u);
        EXPECT_EQ(m.options[0].number, 0);
        EXPECT_EQ(m.options[0].value.size(), c.length);
        EXPECT_TRUE(m.payload.empty());
    }
}

TEST(CoapDecode, FailsWhenExtendedDeltaBytesAreMissing) {
    for (const Bytes& tail : {Bytes{0xD0}, Bytes{0xE0}, Bytes{0xE0, 0x00}, Bytes{0xD1}}) {
        Bytes datagram = get_header();
        datagram.insert(datagram.end(), tail.begin(), tail.end());
        const DecodeFailure f = failure_of(datagram);
        EXPECT_EQ(f.reason, DecodeError::OptionDeltaTruncated);
        EXPECT_TRUE(f.header_readable);
    }
}

TEST(CoapDecode, FailsWhenExtendedLengthBytesAreMissing) {
    for (const Bytes& tail : {Bytes{0x0D}, Bytes{0x0E}, Bytes{0x0E, 0x00}, Bytes{0xDD, 0x00},
                              Bytes{0xEE, 0x00, 0x00, 0x01}}) {
        Bytes datagram = get_header();
        datagram.insert(datagram.end(), tail.begin(), tail.end());
        const DecodeFailure f = failure_of(datagram);
        EXPECT_EQ(f.reason, DecodeError::OptionLengthTruncated);
    }
}

TEST(CoapDecode, FailsWhenAnOptionValueRunsPastTheEnd) {
    EXPECT_EQ(failure_of(with(get_header(), {0x03, 'a', 'b'})).reason,
              DecodeError::OptionValueTruncated);
    EXPECT_EQ(failure_of(with_filler(with(get_header(), {0x0D, 0x00}), 12)).reason,
              DecodeError::OptionValueTruncated);
    // A 0xFF inside the declared length is value, not a marker: it cannot end the value.
    EXPECT_EQ(failure_of(with(get_header(), {0xB3, 'a', 0xFF})).reason,
              DecodeError::OptionValueTruncated);
    const Message m = decoded(with(get_header(), {0xB2, 'a', 0xFF}));
    EXPECT_EQ(m.options.at(0).value, (Bytes{'a', 0xFF}));
    EXPECT_TRUE(m.payload.empty());
    // A failure in a later option points at that option's first byte.
    EXPECT_EQ(failure_of(with(get_header(), {0xB1, 'a', 0x02, 'b'})).offset, 6u);
}

TEST(CoapDecode, RefusesARunningOptionNumberAbove65535) {
    // One option at 65535, then delta 1.
    EXPECT_EQ(failure_of(with(get_header(), {0xE0, 0xFE, 0xF2, 0x10})).reason,
              DecodeError::OptionNumberOverflow);
    // A single delta one above the largest number, and the largest delta of all.
    EXPECT_EQ(failure_of(with(get_header(), {0xE0, 0xFE, 0xF3})).reason,
              DecodeError::OptionNumberOverflow);
    EXPECT_EQ(failure_of(with(get_header(), {0xE0, 0xFF, 0xFF})).reason,
              DecodeError::OptionNumberOverflow);
    // Two deltas of 269 + 32768 each: neither alone overflows, their sum does.
    EXPECT_EQ(failure_of(with(get_header(), {0xE0, 0x80, 0x00, 0xE0, 0x80, 0x00})).reason,
              DecodeError::OptionNumberOverflow);
    // Repeating option 65535 (delta 0) stays in range.
    EXPECT_EQ(decoded(with(get_header(), {0xE0, 0xFE, 0xF2, 0x00})).options.size(), 2u);
}

TEST(CoapDecode, KeepsRepeatedOptionsInMessageOrder) {
    const Message m = decoded(with(get_header(), {0xB1, 'a', 0x01, 'b', 0x41, 'q'}));
    ASSERT_EQ(m.options.size(), 3u);
    EXPECT_EQ(m.options[0], (Option{11, to_bytes("a")}));
    EXPECT_EQ(m.options[1], (Option{11, to_bytes("b")}));
    EXPECT_EQ(m.options[2], (Option{15, to_bytes("q")}));
}

TEST(CoapDecode, RefusesAPayloadMarkerWithNothingAfterIt) {
    for (const Bytes& datagram : {with(get_header(), {0xFF}), with(get_header(), {0xB1, 'a', 0xFF}),
                                  Bytes{0x42, 0x01, 0x00, 0x05, 0x01, 0x02, 0xFF}}) {
        const DecodeFailure f = failure_of(datagram);
        EXPECT_EQ(f.reason, DecodeError::PayloadMarkerWithoutPayload);
        EXPECT_TRUE(f.header_readable);
    }
}

TEST(CoapDecode, TakesEveryByteAfterThePayloadMarkerAsPayload) {
    // Bytes after the marker are never options, even when they look like one or like a marker.
    const Message m = decoded(with(get_header(), {0xB1, 'a', 0xFF, 0xFF, 0xF0, 0x0F}));
    ASSERT_EQ(m.options.size(), 1u);
    EXPECT_EQ(m.payload, (Bytes{0xFF, 0xF0, 0x0F}));
    EXPECT_EQ(decoded(with(get_header(), {0xFF, 0x00})).payload, (Bytes{0x00}));
}

TEST(CoapDecode, DescribesEveryDecodeErrorWithDistinctText) {
    std::set<std::string> texts;
    const auto last = static_cast<unsigned>(DecodeError::PayloadMarkerWithoutPayload);
    for (unsigned i = 0; i <= last; ++i) {
        const std::string_view text = describe(static_cast<DecodeError>(i));
        EXPECT_FALSE(text.empty()) << i;
        texts.insert(std::string(text));
    }
    EXPECT_EQ(texts.size(), last + 1);
}

TEST(CoapDecode, DescribesEveryEncodeErrorWithDistinctText) {
    std::set<std::string> texts;
    for (EncodeError e : {EncodeError::ReservedCodeClass, EncodeError::EmptyMessageNotEmpty,
                          EncodeError::OptionValueTooLong}) {
        EXPECT_FALSE(describe(e).empty());
        texts.insert(std::string(describe(e)));
    }
    EXPECT_EQ(texts.size(), 3u);
}

TEST(CoapDecode, ReasonsQuoteTheLimitsOfTheWireFormat) {
    EXPECT_EQ(describe(DecodeError::HeaderTruncated), "shorter than the 4-byte header");
    EXPECT_EQ(describe(DecodeError::UnsupportedVersion), "version is not 1");
    EXPECT_EQ(describe(DecodeError::TokenLengthReserved), "token length 9 to 15 is reserved");
    EXPECT_EQ(describe(DecodeError::OptionDeltaReserved), "option delta nibble 15 is reserved");
    EXPECT_EQ(describe(DecodeError::OptionLengthReserved), "option length nibble 15 is reserved");
    EXPECT_EQ(describe(DecodeError::OptionNumberOverflow), "option number exceeds 65535");
    EXPECT_EQ(describe(DecodeError::PayloadMarkerWithoutPayload),
              "payload marker 0xFF with no payload after it");
    EXPECT_EQ(describe(EncodeError::OptionValueTooLong), "option value longer than 65804 bytes");
}

}  // namespace
}  // namespace atcoap::coap
