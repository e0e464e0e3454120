// The server's message layer (RFC 7252 §4): reply types, deduplication, rejection, loss.

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "server_harness.hpp"

namespace atcoap::server {
namespace {

using coap::Type;
using testing::client;
using testing::Harness;
using testing::other_client;
using testing::request;
namespace codes = coap::codes;

Bytes hex(std::string_view text) {
    const auto bytes = parse_hex(text);
    EXPECT_TRUE(bytes.has_value()) << text;
    return bytes.value_or(Bytes{});
}

// The note's §5.1: NON POST to /19, message ID 1234, token D204D52E814B, Content-Format 40.
Bytes note_example_request() {
    Bytes bytes =
        hex("5602"
            "04D2"
            "D204D52E814B"
            "B23139"
            "1128"
            "FF");
    const Bytes payload = to_bytes("Hello, CoAP Message!");
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    return bytes;
}

TEST(ServerMessageLayer, AnswersTheNotesNonPostWithTheNonNotFoundLibcoapSends) {
    Harness h;
    h.core().on_datagram(client(), note_example_request(), at_ms(0));
    const auto out = h.take_raw();
    ASSERT_EQ(out.size(), 1u);
    // What libcoap 4.3.1's coap-server-notls sends for this request, captured on 127.0.0.1.
    EXPECT_EQ(out[0].bytes, hex("5684"
                                "04D2"
                                "D204D52E814B"
                                "FF"
                                "4E6F7420466F756E64"));
    EXPECT_EQ(out[0].peer, client());
}

TEST(ServerMessageLayer, LogsOneLineNamingMethodPathPeerAndResponseCode) {
    Harness h;
    h.core().on_datagram(client(), note_example_request(), at_ms(0));
    ASSERT_EQ(h.log_lines().size(), 1u);
    EXPECT_EQ(h.log_lines()[0], "POST /19 from 127.0.0.1:40000 -> 4.04");
}

TEST(ServerMessageLayer, LogsAPathFromTheNetworkEscapedSoItCannotForgeLinesOrEscapes) {
    Harness h;
    h.send(request(Type::Non, codes::kGet, 1, {"x\r\nGET /admin", "\x1B[2J"}), at_ms(0));
    ASSERT_EQ(h.log_lines().size(), 1u);
    EXPECT_EQ(h.log_lines()[0].rfind("GET /x\\x0D\\x0AGET /admin/\\x1B[2J from 127.0.0.1:40000", 0),
              0u)
        << h.log_lines()[0];
}

TEST(ServerMessageLayer, APeerFloodingMalformedDatagramsCannotFloodTheLog) {
    Harness h;
    const Bytes malformed{0x50, 0x01, 0x00};  // a NON cut short: dropped, logged
    for (int i = 0; i < 20'000; ++i) {
        h.core().on_datagram(client(), malformed, at_ms(i / 2));
    }
    EXPECT_EQ(h.log_lines().size(), LogRateLimiter::kDefaultBurst);
}

TEST(ServerMessageLayer, PiggybacksTheResponseOnTheAckOfAConRequest) {
    Harness h;
    const auto out = h.send(request(Type::Con, codes::kGet, 77, {}), at_ms(0));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].type, Type::Ack);
    EXPECT_EQ(out[0].message_id, 77);
    EXPECT_EQ(out[0].token, (coap::Token{0xA1, 0xB2}));
    EXPECT_EQ(out[0].code, codes::kContent);
}

TEST(ServerMessageLayer, AnswersADuplicateConWithTheSameBytesAndProcessesItOnce) {
    Harness h;
    const auto post = request(Type::Con, codes::kPost, 5, {"test"});
    const auto bytes = coap::encode(post);
    ASSERT_TRUE(bytes.ok());
    h.core().on_datagram(client(), *bytes, at_ms(0));
    const auto first = h.take_raw();
    h.core().on_datagram(client(), *bytes, at_ms(2500));
    const auto second = h.take_raw();
    ASSERT_EQ(first.size(), 1u);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(first[0].bytes, second[0].bytes);
    EXPECT_EQ(h.log_lines().size(), 1u);  // one request line: processed once
}

TEST(ServerMessageLayer, KeepsTheDeduplicationHistoryOfEachPeerApart) {
    Harness h;
    EXPECT_EQ(h.send(request(Type::Con, codes::kGet, 9, {}), at_ms(0)).size(), 1u);
    EXPECT_EQ(h.send(request(Type::Con, codes::kGet, 9, {}), at_ms(1), other_client()).size(), 1u);
    EXPECT_EQ(h.log_lines().size(), 2u);
}

TEST(ServerMessageLayer, ProcessesAMessageIdAgainAfterTheExchangeLifetime) {
    Harness h;
    h.send(request(Type::Con, codes::kGet, 9, {}), at_ms(0));
    h.send(request(Type::Con, codes::kGet, 9, {}), at_ms(246'999));
    EXPECT_EQ(h.log_lines().size(), 1u);
    h.send(request(Type::Con, codes::kGet, 9, {}), at_ms(247'000));
    EXPECT_EQ(h.log_lines().size(), 2u);
}

TEST(ServerMessageLayer, ProcessesANonMessageIdAgainAfterTheNonLifetime) {
    Harness h;
    // RFC 7252 §4.8.2 with ACK_TIMEOUT 2 s and MAX_RETRANSMIT 4: NON_LIFETIME is 145 s.
    h.send(request(Type::Non, codes::kGet, 9, {}), at_ms(0));
    EXPECT_TRUE(h.send(request(Type::Non, codes::kGet, 9, {}), at_ms(144'999)).empty());
    EXPECT_EQ(h.log_lines().size(), 1u);
    EXPECT_EQ(h.send(request(Type::Non, codes::kGet, 9, {}), at_ms(145'000)).size(), 1u);
    EXPECT_EQ(h.log_lines().size(), 2u);
}

TEST(ServerMessageLayer, RepeatsTheStoredAckUntilTheExchangeLifetimeEnds) {
    Harness h;
    const auto first = h.send(request(Type::Con, codes::kGet, 9, {}), at_ms(0));
    const auto again = h.send(request(Type::Con, codes::kGet, 9, {}), at_ms(246'999));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again, first);
}

TEST(ServerMessageLayer, IgnoresADuplicateNon) {
    Harness h;
    EXPECT_EQ(h.send(request(Type::Non, codes::kGet, 3, {}), at_ms(0)).size(), 1u);
    EXPECT_TRUE(h.send(request(Type::Non, codes::kGet, 3, {}), at_ms(10)).empty());
}

TEST(ServerMessageLayer, AnswersAnUnrecognizedCriticalOptionInAConWithBadOption) {
    Harness h;
    auto get = request(Type::Con, codes::kGet, 40, {});
    get.options.push_back(coap::Option{101, Bytes{1}});
    const auto out = h.send(get, at_ms(0));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].type, Type::Ack);
    EXPECT_EQ(out[0].code, codes::kBadOption);
    EXPECT_EQ(testing::text_of(out[0]), "Bad Option");
}

TEST(ServerMessageLayer, TreatsBlock1AsUnrecognizedBecauseItIsNotImplemented) {
    Harness h;
    auto put = request(Type::Con, codes::kPut, 41, {"echo"});
    testing::add_uint(put, coap::option::kBlock1, 0x0E);
    const auto out = h.send(put, at_ms(0));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].code, codes::kBadOption);
}

TEST(ServerMessageLayer, RejectsANonWithAnUnrecognizedCriticalOptionSilently) {
    Harness h;
    auto get = request(Type::Non, codes::kGet, 40, {});
    get.options.push_back(coap::Option{101, Bytes{1}});
    EXPECT_TRUE(h.send(get, at_ms(0)).empty());
}

TEST(ServerMessageLayer, IgnoresAnUnrecognizedElectiveOption) {
    Harness h;
    auto get = request(Type::Con, codes::kGet, 42, {});
    get.options.push_back(coap::Option{102, Bytes{1}});
    const auto out = h.send(get, at_ms(0));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].code, codes::kContent);
}

TEST(ServerMessageLayer, ResetsMalformedConsAndPings) {
    const std::vector<Bytes> malformed{
        hex("49011234"),    // TKL 9
        hex("40011234FF"),  // payload marker without payload
        hex("400112340F"),  // option length 15
        hex("4000123400"),  // empty message with a trailing byte
        hex("40001234"),    // CoAP ping
        hex("40451234"),    // a CON response nobody asked for
    };
    for (const Bytes& datagram : malformed) {
        Harness h;
        const auto out = h.send_bytes(datagram, at_ms(0));
        ASSERT_EQ(out.size(), 1u) << to_hex_upper(datagram);
        EXPECT_EQ(out[0].type, Type::Rst);
        EXPECT_EQ(out[0].message_id, 0x1234);
        EXPECT_TRUE(out[0].code.is_empty());
    }
}

TEST(ServerMessageLayer, DropsMalformedNonsOtherVersionsAndUnmatchedAcksSilently) {
    const std::vector<Bytes> ignored{
        hex("59011234"),  // NON with TKL 9
        hex("80011234"),  // version 2
        hex("60001234"),  // an ACK matching nothing
        hex("70001234"),  // an RST matching nothing
        hex("50001234"),  // an empty NON
        hex("40"),        // no header
    };
    for (const Bytes& datagram : ignored) {
        Harness h;
        EXPECT_TRUE(h.send_bytes(datagram, at_ms(0)).empty()) << to_hex_upper(datagram);
    }
}

TEST(ServerMessageLayer, SendsNothingWithLossOne) {
    Harness h(1.0);
    for (std::uint16_t id = 0; id < 50; ++id) {
        EXPECT_TRUE(h.send(request(Type::Con, codes::kGet, id, {}), at_ms(id)).empty());
    }
}

TEST(ServerMessageLayer, SendsEverythingWithLossZero) {
    Harness h(0.0);
    for (std::uint16_t id = 0; id < 50; ++id) {
        EXPECT_EQ(h.send(request(Type::Con, codes::kGet, id, {}), at_ms(id)).size(), 1u);
    }
}

TEST(ServerMessageLayer, DropsAboutTheGivenFractionWithLossBetween) {
    Harness h(0.25, 11);
    std::size_t sent = 0;
    for (std::uint16_t id = 0; id < 400; ++id) {
        sent += h.send(request(Type::Non, codes::kGet, id, {}), at_ms(id)).size();
    }
    EXPECT_GT(sent, 250u);  // 300 expected; the seed makes the run repeat exactly
    EXPECT_LT(sent, 350u);
}

}  // namespace
}  // namespace atcoap::server
