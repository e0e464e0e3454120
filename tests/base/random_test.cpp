#include "base/random.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>

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

TEST(Random, UniformOverTheWholeRangeDoesNotOverflow) {
    SeededRandom random(9);
    (void)random.uniform(0, 0xFFFFFFFFu);
    EXPECT_EQ(random.uniform(5, 5), 5u);
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
