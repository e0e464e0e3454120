#include "base/log_rate_limiter.hpp"

#include <gtest/gtest.h>

namespace atcoap {
namespace {

TEST(LogRateLimiter, AdmitsABurstPerWindowAndCountsWhatItHeldBack) {
    LogRateLimiter limiter(3, Duration{1000});
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(limiter.admit(at_ms(i)), 0U);
    }
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(limiter.admit(at_ms(500 + i)), std::nullopt);
    }
    EXPECT_EQ(limiter.admit(at_ms(999)), std::nullopt);  // still the first window
    EXPECT_EQ(limiter.admit(at_ms(1000)), 6U);           // the next window says how many
    EXPECT_EQ(limiter.admit(at_ms(1001)), 0U);
}

TEST(LogRateLimiter, TwentyThousandLinesInTenSecondsMakeTenLines) {
    LogRateLimiter limiter;  // the defaults: 10 per 10 s
    std::size_t logged = 0;
    for (int i = 0; i < 20'000; ++i) {
        logged += limiter.admit(at_ms(i / 2)).has_value() ? 1U : 0U;
    }
    EXPECT_EQ(logged, LogRateLimiter::kDefaultBurst);
    EXPECT_EQ(limiter.admit(at_ms(10'000)), 20'000U - LogRateLimiter::kDefaultBurst);
}

}  // namespace
}  // namespace atcoap
