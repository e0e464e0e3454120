#include "base/result.hpp"

#include <gtest/gtest.h>

#include <string>

namespace atcoap {
namespace {

Result<int, std::string> half(int n) {
    if (n % 2 != 0) {
        return fail(std::string("odd"));
    }
    return n / 2;
}

TEST(Result, HoldsAValue) {
    auto r = half(8);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, 4);
}

TEST(Result, HoldsAnError) {
    auto r = half(3);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), "odd");
}

TEST(Result, TellsValueFromErrorWhenBothHaveOneType) {
    Result<int, int> value = 5;
    Result<int, int> error = fail(5);
    EXPECT_TRUE(value.ok());
    EXPECT_FALSE(error.ok());
}

TEST(Status, SignalsSuccessWithDone) {
    Status<int> ok = Done{};
    Status<int> bad = fail(1);
    EXPECT_TRUE(ok.ok());
    EXPECT_EQ(bad.error(), 1);
}

}  // namespace
}  // namespace atcoap
