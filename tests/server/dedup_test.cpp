// The deduplication history on its own: lifetimes and per-peer keys.

#include "server/dedup.hpp"

#include <gtest/gtest.h>

namespace atcoap::server {
namespace {

const Endpoint kPeer{"127.0.0.1", 1000};

TEST(DedupCache, FindsARememberedReplyUntilItExpires) {
    DedupCache cache;
    cache.remember(kPeer, 7, Bytes{1, 2}, at_ms(100));
    ASSERT_NE(cache.find(kPeer, 7, at_ms(99)), nullptr);
    EXPECT_EQ(*cache.find(kPeer, 7, at_ms(99)), (Bytes{1, 2}));
    EXPECT_EQ(cache.find(kPeer, 7, at_ms(100)), nullptr);
    EXPECT_EQ(cache.size(), 0u);
}

TEST(DedupCache, KeepsAnEntryRememberedAgainPastTheFirstExpiry) {
    DedupCache cache;
    cache.remember(kPeer, 7, Bytes{1}, at_ms(100));
    cache.remember(kPeer, 7, Bytes{2}, at_ms(300));
    ASSERT_NE(cache.find(kPeer, 7, at_ms(200)), nullptr);
    EXPECT_EQ(*cache.find(kPeer, 7, at_ms(200)), Bytes{2});
}

TEST(DedupCache, DoesNotMatchTheSameMessageIdFromAnotherPort) {
    DedupCache cache;
    cache.remember(kPeer, 7, Bytes{1}, at_ms(100));
    EXPECT_EQ(cache.find(Endpoint{"127.0.0.1", 1001}, 7, at_ms(0)), nullptr);
}

}  // namespace
}  // namespace atcoap::server
