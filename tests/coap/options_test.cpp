// The option registry (docs/DIALECT.md §3 and §7, the note's Table 3, RFC 7252 §5.10) and the
// number-derived properties of RFC 7252 §5.4.6.

#include "coap/options.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace atcoap::coap {
namespace {

using enum OptionFormat;

struct Expected {
    std::uint16_t number;
    OptionFormat format;
    std::uint16_t min_length;
    std::uint16_t max_length;
};

const OptionInfo& registered(std::uint16_t number) {
    const OptionInfo* info = find_option(number);
    EXPECT_NE(info, nullptr) << number;
    static const OptionInfo kNone{0, "", Opaque, 0, 0, false};
    return info != nullptr ? *info : kNone;
}

void expect_entry(const Expected& e) {
    const OptionInfo& info = registered(e.number);
    EXPECT_EQ(info.number, e.number);
    EXPECT_EQ(info.format, e.format) << e.number;
    EXPECT_EQ(info.min_length, e.min_length) << e.number;
    EXPECT_EQ(info.max_length, e.max_length) << e.number;
}

Message with_options(std::vector<Option> options) {
    Message m;
    m.code = codes::kGet;
    m.options = std::move(options);
    return m;
}

TEST(CoapOptions, RegistersExactlyTheDialectListInAscendingOrder) {
    const std::vector<std::uint16_t> expected{1,  3,  4,  5,  6,  7,   8,   9,  11,
                                              12, 14, 15, 16, 17, 19,  20,  23, 27,
                                              28, 31, 35, 39, 60, 252, 258, 292};
    std::vector<std::uint16_t> actual;
    for (const OptionInfo& info : registered_options()) {
        actual.push_back(info.number);
    }
    EXPECT_EQ(actual, expected);
}

TEST(CoapOptions, GivesTableThreeOptionsTheNotesFormatsAndLengths) {
    const Expected table3[] = {
        {1, Opaque, 0, 8},     {3, String, 1, 255},  {4, Opaque, 1, 8},    {5, Empty, 0, 0},
        {7, Uint, 0, 2},       {8, String, 0, 255},  {11, String, 0, 255}, {12, Uint, 0, 2},
        {14, Uint, 0, 4},      {15, String, 0, 255}, {17, Uint, 0, 2},     {20, String, 0, 255},
        {35, String, 1, 1034}, {39, String, 1, 255}, {60, Uint, 0, 4},
    };
    for (const Expected& e : table3) {
        expect_entry(e);
    }
}

TEST(CoapOptions, GivesOptionsBeyondTableThreeTheirRfcFormatsAndLengths) {
    // docs/DIALECT.md §3 and §7: Observe (RFC 7641), OSCORE, Hop-Limit, Q-Block, Block (RFC 7959),
    // Size2, Echo, No-Response and Request-Tag.
    const Expected beyond[] = {
        {6, Uint, 0, 3},      {9, Opaque, 0, 255}, {16, Uint, 1, 1},    {19, Uint, 0, 3},
        {23, Uint, 0, 3},     {27, Uint, 0, 3},    {28, Uint, 0, 4},    {31, Uint, 0, 3},
        {252, Opaque, 1, 40}, {258, Uint, 0, 1},   {292, Opaque, 0, 8},
    };
    for (const Expected& e : beyond) {
        expect_entry(e);
    }
}

TEST(CoapOptions, NamesOptionsAsTheRfcTableDoes) {
    EXPECT_EQ(registered(1).name, "If-Match");
    EXPECT_EQ(registered(3).name, "Uri-Host");
    EXPECT_EQ(registered(11).name, "Uri-Path");
    EXPECT_EQ(registered(12).name, "Content-Format");
    EXPECT_EQ(registered(23).name, "Block2");
    EXPECT_EQ(registered(27).name, "Block1");
    EXPECT_EQ(registered(60).name, "Size1");
    for (const OptionInfo& info : registered_options()) {
        EXPECT_FALSE(info.name.empty()) << info.number;
    }
}

TEST(CoapOptions, MarksRepeatableOptionsAsRfc7252TableFourDoes) {
    for (std::uint16_t number : std::initializer_list<std::uint16_t>{1, 4, 8, 11, 15, 20, 292}) {
        EXPECT_TRUE(registered(number).repeatable) << number;
    }
    for (std::uint16_t number : std::initializer_list<std::uint16_t>{3, 5, 6, 7, 12, 14, 17, 23, 27,
                                                                     28, 35, 39, 60, 252}) {
        EXPECT_FALSE(registered(number).repeatable) << number;
    }
}

TEST(CoapOptions, FindsNothingForUnregisteredNumbers) {
    for (std::uint16_t number :
         std::initializer_list<std::uint16_t>{0, 2, 10, 13, 61, 128, 251, 293, 65535}) {
        EXPECT_EQ(find_option(number), nullptr) << number;
    }
}

TEST(CoapOptions, TreatsAnUnregisteredNumberAsOpaque) {
    EXPECT_EQ(format_of(0), Opaque);
    EXPECT_EQ(format_of(2), Opaque);
    EXPECT_EQ(format_of(2049), Opaque);
    EXPECT_EQ(format_of(65535), Opaque);
    EXPECT_EQ(format_of(3), String);
    EXPECT_EQ(format_of(5), Empty);
    EXPECT_EQ(format_of(12), Uint);
    EXPECT_EQ(format_of(4), Opaque);
}

TEST(CoapOptions, DerivesCriticalUnsafeAndNoCacheKeyAsRfc7252TableFourLists) {
    // §5.10 Table 4 columns C, U, N.
    struct Row {
        std::uint16_t number;
        bool critical, unsafe, no_cache_key;
    };
    const Row rows[] = {
        {1, true, false, false}, {3, true, true, false},    {4, false, false, false},
        {5, true, false, false}, {7, true, true, false},    {8, false, false, false},
        {11, true, true, false}, {12, false, false, false}, {14, false, true, false},
        {15, true, true, false}, {17, true, false, false},  {20, false, false, false},
        {35, true, true, false}, {39, true, true, false},   {60, false, false, true}};
    for (const Row& r : rows) {
        EXPECT_EQ(is_critical(r.number), r.critical) << r.number;
        EXPECT_EQ(is_elective(r.number), !r.critical) << r.number;
        EXPECT_EQ(is_unsafe_to_forward(r.number), r.unsafe) << r.number;
        EXPECT_EQ(is_no_cache_key(r.number), r.no_cache_key) << r.number;
    }
    // RFC 7959: Size2 is NoCacheKey like Size1.
    EXPECT_TRUE(is_no_cache_key(option::kSize2));
}

TEST(CoapOptions, GivesNoCacheKeyOnlyToSafeToForwardOptions) {
    // §5.4.6: NoCacheKey is only meaningful for safe-to-forward options; it is the bit pattern
    // 111 in bits 2-4 with bit 1 clear.
    for (std::uint32_t n = 0; n <= 0xFFFF; ++n) {
        const auto number = static_cast<std::uint16_t>(n);
        if (is_no_cache_key(number)) {
            ASSERT_FALSE(is_unsafe_to_forward(number)) << n;
            ASSERT_EQ(n & 0x1Cu, 0x1Cu) << n;
        }
    }
}

TEST(CoapOptions, ReportsNothingForAMessageOfRecognizedOptions) {
    EXPECT_FALSE(first_unrecognized_critical(with_options({})).has_value());
    const Message m =
        with_options({Option{1, {}}, Option{1, {0x01}}, Option{3, to_bytes("h")}, Option{5, {}},
                      Option{11, to_bytes("a")}, Option{11, to_bytes("b")}, Option{17, {0x32}},
                      Option{35, Bytes(1034, 'u')}});
    EXPECT_FALSE(first_unrecognized_critical(m).has_value());
}

TEST(CoapOptions, ReportsAnUnregisteredCriticalOption) {
    for (std::uint16_t number : std::initializer_list<std::uint16_t>{13, 21, 2049, 65535}) {
        EXPECT_EQ(first_unrecognized_critical(with_options({Option{number, {0x01}}})), number);
    }
}

TEST(CoapOptions, IgnoresUnregisteredElectiveOptions) {
    const Message m = with_options(
        {Option{0, {}}, Option{2, {0x01}}, Option{1000, Bytes(9, 1)}, Option{65534, {}}});
    EXPECT_FALSE(first_unrecognized_critical(m).has_value());
}

TEST(CoapOptions, ReportsACriticalOptionWhoseLengthIsOutOfRange) {
    // §5.4.3: a length outside the defined range makes the option unrecognized.
    EXPECT_EQ(first_unrecognized_critical(with_options({Option{3, {}}})), 3);
    EXPECT_EQ(first_unrecognized_critical(with_options({Option{3, Bytes(256, 'h')}})), 3);
    EXPECT_EQ(first_unrecognized_critical(with_options({Option{5, {0x00}}})), 5);
    EXPECT_EQ(first_unrecognized_critical(with_options({Option{7, {1, 2, 3}}})), 7);
    EXPECT_EQ(first_unrecognized_critical(with_options({Option{1, Bytes(9, 1)}})), 1);
    EXPECT_EQ(first_unrecognized_critical(with_options({Option{35, Bytes(1035, 'u')}})), 35);
    EXPECT_EQ(first_unrecognized_critical(with_options({Option{35, {}}})), 35);
}

TEST(CoapOptions, IgnoresAnElectiveOptionWhoseLengthIsOutOfRange) {
    const Message m =
        with_options({Option{4, Bytes(9, 1)}, Option{12, {1, 2, 3}}, Option{60, Bytes(5, 0)}});
    EXPECT_FALSE(first_unrecognized_critical(m).has_value());
}

TEST(CoapOptions, ReportsARepeatedNonRepeatableCriticalOption) {
    // §5.4.5: each supernumerary occurrence is treated like an unrecognized option.
    EXPECT_EQ(first_unrecognized_critical(
                  with_options({Option{3, to_bytes("a")}, Option{3, to_bytes("b")}})),
              3);
    EXPECT_EQ(first_unrecognized_critical(with_options({Option{17, {}}, Option{17, {0x29}}})), 17);
    EXPECT_EQ(first_unrecognized_critical(with_options({Option{5, {}}, Option{5, {}}})), 5);
}

TEST(CoapOptions, IgnoresARepeatedNonRepeatableElectiveOption) {
    EXPECT_FALSE(first_unrecognized_critical(with_options({Option{12, {}}, Option{12, {0x32}}}))
                     .has_value());
}

TEST(CoapOptions, DropsRegisteredElectivesOfAWrongLengthOrRepeatedAndKeepsTheRest) {
    // Observe (6) of 4 bytes and Max-Age (14) of 5 are out of range (§5.4.3); a second
    // Max-Age is supernumerary (§5.4.5); the 2-byte Observe, the unregistered elective 1000
    // and the critical Uri-Path (11, not this function's business) stay, in order.
    Message m = with_options({Option{6, {1, 2, 3, 4}}, Option{11, to_bytes("a")},
                              Option{14, {1, 2, 3, 4, 5}}, Option{14, {7}}, Option{14, {8}},
                              Option{1000, Bytes(9, 1)}});
    EXPECT_EQ(drop_unusable_electives(m), 3U);
    const OptionList expected{Option{11, to_bytes("a")}, Option{14, {7}},
                              Option{1000, Bytes(9, 1)}};
    EXPECT_EQ(m.options, expected);
    Message fine = with_options({Option{6, {1, 2, 3}}, Option{12, {}}});
    EXPECT_EQ(drop_unusable_electives(fine), 0U);
    EXPECT_EQ(fine.options.size(), 2U);
}

TEST(CoapOptions, ReportsTheFirstUnrecognizedCriticalOptionInMessageOrder) {
    const Message m = with_options({Option{2, {}}, Option{3, {}}, Option{13, {}}, Option{15, {}}});
    EXPECT_EQ(first_unrecognized_critical(m), 3);
    const Message later = with_options(
        {Option{3, to_bytes("h")}, Option{11, {}}, Option{13, {}}, Option{15, {}}, Option{15, {}}});
    EXPECT_EQ(first_unrecognized_critical(later), 13);
}

}  // namespace
}  // namespace atcoap::coap
