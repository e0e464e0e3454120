// Properties of the codec over many inputs: every strict prefix of a valid message, seeded
// random round trips, and single-byte corruptions (RFC 7252 §3, §3.1).

#include <gtest/gtest.h>

#include <algorithm>

#include "base/random.hpp"
#include "coap/codec.hpp"

namespace atcoap::coap {
namespace {

/// How many extension bytes an option delta or length of `value` needs (§3.1).
std::size_t extension_size(std::size_t value) {
    return value < 13 ? 0 : (value < 269 ? 1 : 2);
}

/// Where each option's fields sit in the encoded form, worked out from the RFC's layout
/// rather than read back from the encoder.
struct OptionSpan {
    std::size_t start;         // the delta/length byte
    std::size_t length_start;  // first byte of the extended length (after the extended delta)
    std::size_t value_start;
    std::size_t end;
};

struct Layout {
    std::size_t token_end;
    std::vector<OptionSpan> options;
    std::size_t marker;  // == size when there is no payload
    std::size_t size;
};

Layout layout_of(const Message& m) {
    Layout out{4 + m.token.size(), {}, 0, 0};
    std::size_t pos = out.token_end;
    std::uint16_t previous = 0;
    for (const Option& o : m.options) {
        OptionSpan span{};
        span.start = pos;
        span.length_start = pos + 1 + extension_size(o.number - previous);
        span.value_start = span.length_start + extension_size(o.value.size());
        span.end = span.value_start + o.value.size();
        out.options.push_back(span);
        pos = span.end;
        previous = o.number;
    }
    out.marker = pos;
    out.size = m.payload.empty() ? pos : pos + 1 + m.payload.size();
    return out;
}

/// What a prefix of `cut` bytes must decode to: the message cut back at an option boundary
/// or inside the payload (`ok`), or the format error of the field the cut falls in.
struct Outcome {
    bool ok = false;
    DecodeError reason = DecodeError::HeaderTruncated;
    std::size_t options = 0;
    std::size_t payload = 0;
};

Outcome fails(DecodeError reason) {
    return Outcome{false, reason, 0, 0};
}

Outcome expected_outcome(const Layout& layout, std::size_t cut) {
    if (cut < 4) {
        return fails(DecodeError::HeaderTruncated);
    }
    if (cut < layout.token_end) {
        return fails(DecodeError::TokenTruncated);
    }
    for (std::size_t i = 0; i < layout.options.size(); ++i) {
        const OptionSpan& s = layout.options[i];
        if (cut == s.start) {
            return Outcome{true, {}, i, 0};
        }
        if (cut < s.length_start) {
            return fails(DecodeError::OptionDeltaTruncated);
        }
        if (cut < s.value_start) {
            return fails(DecodeError::OptionLengthTruncated);
        }
        if (cut < s.end) {
            return fails(DecodeError::OptionValueTruncated);
        }
    }
    if (cut == layout.marker + 1) {
        return fails(DecodeError::PayloadMarkerWithoutPayload);
    }
    const std::size_t payload = cut == layout.marker ? 0 : cut - layout.marker - 1;
    return Outcome{true, {}, layout.options.size(), payload};
}

void expect_prefix_outcome(const Message& m, const Layout& layout, const Bytes& full,
                           std::size_t cut) {
    const auto result = decode(ByteView(full).first(cut));
    const Outcome expected = expected_outcome(layout, cut);
    if (!expected.ok) {
        ASSERT_FALSE(result.ok()) << "cut " << cut;
        EXPECT_EQ(result.error().reason, expected.reason) << "cut " << cut;
        EXPECT_LE(result.error().offset, cut);
        EXPECT_EQ(result.error().header_readable, cut >= 4) << "cut " << cut;
        if (cut >= 4) {
            EXPECT_EQ(result.error().message_id, m.message_id);
            EXPECT_EQ(result.error().type, m.type);
        }
        return;
    }
    ASSERT_TRUE(result.ok()) << "cut " << cut << ": " << describe(result.error().reason);
    Message shorter = m;
    shorter.options.resize(expected.options);
    shorter.payload.resize(expected.payload);
    EXPECT_EQ(*result, shorter) << "cut " << cut;
}

std::vector<Message> sample_messages() {
    Message figure17;  // RFC 7252 Figure 17's request
    figure17.code = codes::kGet;
    figure17.message_id = 0x7D35;
    figure17.token = Token{0x20};
    figure17.options = {Option{11, to_bytes("temperature")}};

    Message wide;  // every extension form, an empty value, a payload, a full token
    wide.type = Type::Non;
    wide.code = codes::kPut;
    wide.message_id = 0xFFFF;
    wide.token = Token{1, 2, 3, 4, 5, 6, 7, 8};
    wide.options = {Option{3, to_bytes("example.org")},
                    Option{5, {}},
                    Option{11, Bytes(13, 'p')},
                    Option{11, {}},
                    Option{60, {0x04, 0x00}},
                    Option{292, Bytes(269, 0x33)},
                    Option{65535, {0x01}}};
    wide.payload = to_bytes("hello");

    Message response;  // only a payload
    response.type = Type::Ack;
    response.code = codes::kNotFound;
    response.message_id = 3;
    response.payload = {0xFF};
    return {figure17, wide, response};
}

TEST(CoapCodecProperty, DecodesEveryStrictPrefixToAnErrorOrToTheMessageCutAtABoundary) {
    for (const Message& m : sample_messages()) {
        const auto full = encode(m);
        ASSERT_TRUE(full.ok());
        const Layout layout = layout_of(m);
        ASSERT_EQ(layout.size, full->size());
        for (std::size_t cut = 0; cut < full->size(); ++cut) {
            expect_prefix_outcome(m, layout, *full, cut);
        }
    }
}

TEST(CoapCodecProperty, FailsOnEveryStrictPrefixOfAHeaderOnlyEmptyMessage) {
    const Bytes ping{0x40, 0x00, 0x12, 0x34};
    for (std::size_t cut = 0; cut < ping.size(); ++cut) {
        const auto result = decode(ByteView(ping).first(cut));
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error().reason, DecodeError::HeaderTruncated);
    }
}

Bytes random_bytes(Random& random, std::size_t size) {
    Bytes out(size);
    random.fill(out);
    return out;
}

/// Option numbers clustered around the extension boundaries 13 and 269 and the top of range.
std::uint16_t random_number(Random& random) {
    switch (random.uniform(0, 3)) {
        case 0:
            return static_cast<std::uint16_t>(random.uniform(0, 40));
        case 1:
            return static_cast<std::uint16_t>(random.uniform(250, 300));
        case 2:
            return static_cast<std::uint16_t>(random.uniform(65500, 65535));
        default:
            return static_cast<std::uint16_t>(random.uniform(0, 65535));
    }
}

std::size_t random_length(Random& random) {
    return random.uniform(0, 9) == 0 ? random.uniform(260, 600) : random.uniform(0, 20);
}

Code random_code(Random& random) {
    static constexpr unsigned kClasses[] = {0, 2, 3, 4, 5};
    const unsigned code_class = kClasses[random.uniform(0, 4)];
    return Code::of(code_class, random.uniform(code_class == 0 ? 1 : 0, 31));
}

Message random_message(Random& random) {
    Message m;
    m.type = static_cast<Type>(random.uniform(0, 3));
    m.message_id = static_cast<std::uint16_t>(random.uniform(0, 0xFFFF));
    if (random.uniform(0, 15) == 0) {
        return m;  // the empty message
    }
    m.code = random_code(random);
    m.token = Token(random_bytes(random, random.uniform(0, 8)));
    const std::uint32_t count = random.uniform(0, 8);
    for (std::uint32_t i = 0; i < count; ++i) {
        m.options.push_back(
            Option{random_number(random), random_bytes(random, random_length(random))});
    }
    if (random.uniform(0, 2) != 0) {
        m.payload = random_bytes(random, random.uniform(1, 64));
    }
    return m;
}

TEST(CoapCodecProperty, RoundTripsThousandsOfRandomMessagesWithOptionsSortedStably) {
    SeededRandom random(0xC0A9);
    for (int i = 0; i < 5000; ++i) {
        const Message m = random_message(random);
        const auto bytes = encode(m);
        ASSERT_TRUE(bytes.ok()) << i;
        const auto back = decode(*bytes);
        ASSERT_TRUE(back.ok()) << i << ": " << describe(back.error().reason);
        Message expected = m;
        std::stable_sort(expected.options.begin(), expected.options.end(),
                         [](const Option& a, const Option& b) { return a.number < b.number; });
        ASSERT_EQ(*back, expected) << i;
        // §3.1 leaves one encoding per message, so the bytes come back unchanged too.
        const auto again = encode(*back);
        ASSERT_TRUE(again.ok());
        ASSERT_EQ(*again, *bytes) << i;
    }
}

TEST(CoapCodecProperty, ReencodesEveryDecodableSingleByteCorruptionToTheSameBytes) {
    SeededRandom random(77);
    for (const Message& m : sample_messages()) {
        const auto bytes = encode(m);
        ASSERT_TRUE(bytes.ok());
        for (std::size_t pos = 0; pos < bytes->size(); ++pos) {
            Bytes corrupt = *bytes;
            corrupt[pos] = static_cast<std::uint8_t>(corrupt[pos] ^ random.uniform(1, 255));
            const auto result = decode(corrupt);
            if (!result.ok()) {
                EXPECT_LE(result.error().offset, corrupt.size());
                continue;
            }
            const auto again = encode(*result);
            ASSERT_TRUE(again.ok()) << pos;
            EXPECT_EQ(*again, corrupt) << pos;
        }
    }
}

}  // namespace
}  // namespace atcoap::coap
