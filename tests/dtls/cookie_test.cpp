#include <gtest/gtest.h>

#include "dtls/session.hpp"

namespace atcoap::dtls {
namespace {

TEST(CookieKeeper, AcceptsTheCookieItIssuedToThatPeer) {
    SeededRandom random(1);
    const CookieKeeper cookies(random);
    const Bytes cookie = cookies.cookie_for(as_bytes("127.0.0.1:40000"));
    EXPECT_EQ(cookie.size(), CookieKeeper::kCookieSize);
    EXPECT_TRUE(cookies.check(cookie, as_bytes("127.0.0.1:40000")));
}

TEST(CookieKeeper, RefusesTheCookieOfAnotherPeer) {
    SeededRandom random(1);
    const CookieKeeper cookies(random);
    const Bytes cookie = cookies.cookie_for(as_bytes("127.0.0.1:40000"));
    EXPECT_FALSE(cookies.check(cookie, as_bytes("127.0.0.1:40001")));
}

TEST(CookieKeeper, RefusesAnAlteredOrCutCookie) {
    SeededRandom random(1);
    const CookieKeeper cookies(random);
    Bytes cookie = cookies.cookie_for(as_bytes("peer"));
    Bytes cut(cookie.begin(), cookie.end() - 1);
    EXPECT_FALSE(cookies.check(cut, as_bytes("peer")));
    cookie[3] ^= 0x01;
    EXPECT_FALSE(cookies.check(cookie, as_bytes("peer")));
}

TEST(CookieKeeper, KeepersWithDifferentSecretsIssueDifferentCookies) {
    SeededRandom first_random(1);
    SeededRandom second_random(2);
    const CookieKeeper first(first_random);
    const CookieKeeper second(second_random);
    EXPECT_NE(first.cookie_for(as_bytes("peer")), second.cookie_for(as_bytes("peer")));
    EXPECT_FALSE(second.check(first.cookie_for(as_bytes("peer")), as_bytes("peer")));
}

}  // namespace
}  // namespace atcoap::dtls
