// /large in Block2 (RFC 7959 §2.4): the server's 1024-byte blocks, a client's smaller SZX,
// Size2 on the first block, M=0 on the last.

#include "server/block2.hpp"

#include <gtest/gtest.h>

#include "server_harness.hpp"

namespace atcoap::server {
namespace {

using coap::Type;
using testing::Harness;
using testing::request;
using testing::uint_of;
namespace codes = coap::codes;
namespace option = coap::option;

coap::Message large_get(std::uint16_t id, std::optional<coap::Block> block) {
    auto get = request(Type::Con, codes::kGet, id, {"large"});
    if (block) {
        testing::add_uint(get, option::kBlock2, coap::block_to_uint(*block));
    }
    return get;
}

coap::Message reply_to(Harness& h, const coap::Message& m) {
    const auto out = h.send(m, at_ms(m.message_id));
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? coap::Message{} : out[0];
}

std::optional<coap::Block> block2_of(const coap::Message& m) {
    const auto value = uint_of(m, option::kBlock2);
    return value ? coap::block_from_uint(*value) : std::nullopt;
}

/// Fetches /large block after block with `szx`; returns the body and the number of blocks.
std::pair<Bytes, int> fetch_all(Harness& h, std::uint8_t szx) {
    Bytes body;
    int blocks = 0;
    for (std::uint32_t num = 0; num < 100; ++num) {
        const auto reply = reply_to(
            h, large_get(static_cast<std::uint16_t>(num + 1), coap::Block{num, false, szx}));
        const auto block = block2_of(reply);
        EXPECT_TRUE(block.has_value());
        if (!block) {
            break;
        }
        EXPECT_EQ(block->number, num);
        EXPECT_EQ(block->szx, szx);
        EXPECT_EQ(uint_of(reply, option::kSize2).has_value(), num == 0);
        body.insert(body.end(), reply.payload.begin(), reply.payload.end());
        ++blocks;
        if (!block->more) {
            break;
        }
        EXPECT_EQ(reply.payload.size(), block->size());
    }
    return {body, blocks};
}

TEST(ServerBlock2, TheLargeBodyIsTwoThousandBytesOfText) {
    EXPECT_EQ(large_body().size(), 2000u);
    EXPECT_EQ(large_body().back(), '\n');
}

TEST(ServerBlock2, WithoutBlock2TheFirstBlockIs1024BytesWithSize2) {
    Harness h;
    const auto reply = reply_to(h, large_get(1, std::nullopt));
    EXPECT_EQ(reply.code, codes::kContent);
    EXPECT_EQ(block2_of(reply), (coap::Block{0, true, 6}));
    EXPECT_EQ(uint_of(reply, option::kSize2), 2000u);
    EXPECT_EQ(reply.payload, Bytes(large_body().begin(), large_body().begin() + 1024));
}

TEST(ServerBlock2, ServesTheWholeBodyInTwoBlocksOfSzx6) {
    Harness h;
    const auto [body, blocks] = fetch_all(h, 6);
    EXPECT_EQ(blocks, 2);
    EXPECT_EQ(body, large_body());
}

TEST(ServerBlock2, HonoursASmallerSzxFromTheClient) {
    Harness h;
    const auto [body, blocks] = fetch_all(h, 2);
    EXPECT_EQ(blocks, 32);  // 31 blocks of 64 bytes and one of 16
    EXPECT_EQ(body, large_body());
}

TEST(ServerBlock2, ABlockPastTheEndIsABadOption) {
    Harness h;
    EXPECT_EQ(reply_to(h, large_get(1, coap::Block{2, false, 6})).code, codes::kBadOption);
}

TEST(ServerBlock2, TheReservedSzx7IsABadRequest) {
    Harness h;
    auto get = request(Type::Con, codes::kGet, 1, {"large"});
    testing::add_uint(get, option::kBlock2, 0x07);
    EXPECT_EQ(reply_to(h, get).code, codes::kBadRequest);
}

}  // namespace
}  // namespace atcoap::server
