#include "base/random.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "support/scripted_random.hpp"

namespace atcoap {
namespace {

TEST(SeededRandom, SameSeedGivesSameSequence) {
    SeededRandom a(42);
    SeededRandom b(42);
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(a.next_u32(), b.next_u32());
    }
}

TEST(SeededRandom, DifferentSeedsDiverge) {
    SeededRandom a(1);
    SeededRandom b(2);
    int equal = 0;
    for (int i = 0; i < 100; ++i) {
        equal += a.next_u32() == b.next_u32() ? 1 : 0;
    }
    EXPECT_LT(equal, 3);
}

TEST(Random, UniformStaysWithinInclusiveBoundsAndReachesBoth) {
    SeededRandom random(7);
    std::set<std::uint32_t> seen;
    for (int i = 0; i < 2000; ++i) {
        const std::uint32_t v = random.uniform(10, 15);
        ASSERT_GE(v, 10u);
        ASSERT_LE(v, 15u);
        seen.insert(v);
    }
    EXPECT_EQ(seen.size(), 6u);
}

// Drawing past the scripted words throws, so that a generator that keeps rejecting fails the
// test instead of hanging it.
using test::ScriptedRandom;

constexpr std::uint32_t kTop = 0xFFFFFFFFu;

TEST(Random, UniformOverTheWholeRangeDoesNotOverflow) {
    // [0, 2^32 - 1] holds 2^32 values, one more than a 32-bit span can count: every word is a
    // result as it is, none rejected, none folded, the two ends included.
    const std::vector<std::uint32_t> words{0, 1, 0x7FFFFFFFu, 0x80000000u, kTop - 1, kTop};
    ScriptedRandom random(words, std::nullopt);
    for (const std::uint32_t word : words) {
        EXPECT_EQ(random.uniform(0, kTop), word);
    }
    EXPECT_EQ(random.drawn(), words.size());
}

TEST(Random, UniformNearTheTopOfTheRangeStaysInItAndCoversIt) {
    SeededRandom random(9);
    std::set<std::uint32_t> top_pair;
    std::array<int, 16> by_top_digit{};
    for (int i = 0; i < 4000; ++i) {
        top_pair.insert(random.uniform(kTop - 1, kTop));  // low + draw must not wrap
        const std::uint32_t wide = random.uniform(1, kTop);
        ASSERT_GE(wide, 1u);
        ++by_top_digit[wide >> 28];
    }
    EXPECT_EQ(top_pair, (std::set<std::uint32_t>{kTop - 1, kTop}));
    for (std::size_t digit = 0; digit < by_top_digit.size(); ++digit) {
        EXPECT_GT(by_top_digit[digit], 150) << "draws starting with hex digit " << digit;
    }
}

TEST(Random, FillWritesEveryByteOfAnOddLength) {
    SeededRandom random(3);
    std::array<std::uint8_t, 7> out{};
    random.fill(out);
    int nonzero = 0;
    for (auto b : out) {
        nonzero += b != 0 ? 1 : 0;
    }
    EXPECT_GE(nonzero, 5);
}

}  // namespace
}  // namespace atcoap
