// `--shard I/N` (docs/FLEET.md, "Past one machine"): the strict parser and the strided slices.

#include "fleet/shard.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace atcoap::fleet {
namespace {

TEST(ShardTest, ParsesIndexAndCount) {
    auto shard = parse_shard("2/4");
    ASSERT_TRUE(shard.ok()) << shard.error();
    EXPECT_EQ(*shard, (Shard{2, 4}));
    EXPECT_EQ(*parse_shard("0/1"), (Shard{0, 1}));
    EXPECT_EQ(*parse_shard("999999/1000000"), (Shard{999'999, 1'000'000}));
}

TEST(ShardTest, RefusesAnythingElseWithOneLine) {
    const auto error_of = [](std::string_view text) {
        auto shard = parse_shard(text);
        EXPECT_FALSE(shard.ok()) << text;
        return shard.ok() ? std::string() : shard.error();
    };
    EXPECT_EQ(error_of("4/4"), "--shard \"4/4\": I must be 0 to N-1");
    EXPECT_EQ(error_of("0/0"), "--shard \"0/0\": N must be 1 to 1000000");
    EXPECT_EQ(error_of("0/1000001"), "--shard \"0/1000001\": N must be 1 to 1000000");
    EXPECT_EQ(error_of("3"), "--shard \"3\": expected I/N, such as 0/4");
    for (const char* text : {"", "/", "1/", "/4", "-1/4", "+1/4", " 1/4", "1/4 ", "1/4/5", "0x1/4",
                             "1.0/4", "1/12345678", "a/b", "1 /4"}) {
        const std::string error = error_of(text);
        EXPECT_EQ(error.rfind("--shard \"", 0), 0U) << text;
        EXPECT_EQ(error.find('\n'), std::string::npos) << text;
    }
    EXPECT_EQ(error_of(std::string(100, '1')),
              "--shard \"" + std::string(32, '1') + "...\": expected I/N, such as 0/4");
}

TEST(ShardTest, DevicesAreStrided) {
    const Shard shard{1, 3};
    EXPECT_EQ(devices_in(shard, 10), 3U);  // 1, 4, 7
    EXPECT_EQ(device_of(shard, 0), 1U);
    EXPECT_EQ(device_of(shard, 2), 7U);
    EXPECT_EQ(devices_in(Shard{0, 3}, 10), 4U);  // 0, 3, 6, 9
    EXPECT_EQ(devices_in(Shard{5, 8}, 4), 0U);   // more shards than devices
    EXPECT_EQ(devices_in(Shard{0, 1}, 0), 0U);
    EXPECT_EQ(devices_in(Shard{0, 1}, UINT64_MAX), UINT64_MAX);
}

TEST(ShardTest, TheUnionOfTheShardsIsEveryDeviceOnce) {
    for (std::uint64_t modems = 0; modems <= 64; ++modems) {
        for (std::uint64_t count = 1; count <= 70; ++count) {
            std::vector<int> seen(modems, 0);
            std::uint64_t total = 0;
            for (std::uint64_t index = 0; index < count; ++index) {
                const Shard shard{index, count};
                const std::uint64_t n = devices_in(shard, modems);
                total += n;
                for (std::uint64_t k = 0; k < n; ++k) {
                    const std::uint64_t device = device_of(shard, k);
                    ASSERT_LT(device, modems) << index << "/" << count << " of " << modems;
                    ++seen[device];
                }
            }
            ASSERT_EQ(total, modems) << count << " shards of " << modems;
            for (std::uint64_t d = 0; d < modems; ++d) {
                ASSERT_EQ(seen[d], 1) << "device " << d << ", " << count << " shards of " << modems;
            }
        }
    }
}

TEST(ShardTest, LargeFleetsCountExactly) {
    EXPECT_EQ(devices_in(Shard{3, 4}, 100'000'000), 25'000'000U);
    EXPECT_EQ(devices_in(Shard{0, 7}, 100'000'000), 14'285'715U);
    EXPECT_EQ(devices_in(Shard{6, 7}, 100'000'000), 14'285'714U);
    EXPECT_EQ(device_of(Shard{6, 7}, 14'285'713), 99'999'997U);
}

}  // namespace
}  // namespace atcoap::fleet
