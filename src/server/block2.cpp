#include "server/block2.hpp"

#include <algorithm>
#include <cstdio>

#include "coap/options.hpp"
#include "coap/values.hpp"

namespace atcoap::server {

namespace {

constexpr std::size_t kLines = 40;
constexpr std::size_t kLineSize = 50;

Bytes make_large_body() {
    Bytes body;
    body.reserve(kLines * kLineSize);
    for (std::size_t line = 0; line < kLines; ++line) {
        char head[32];
        const int n = std::snprintf(head, sizeof head, "line %02zu of /large ", line + 1);
        body.insert(body.end(), head, head + n);
        // Dots fill the line to 49 bytes so that every block boundary is easy to check.
        body.resize(body.size() + (kLineSize - 1 - static_cast<std::size_t>(n)), '.');
        body.push_back('\n');
    }
    return body;
}

}  // namespace

const Bytes& large_body() {
    static const Bytes body = make_large_body();
    return body;
}

Reply serve_block2(const coap::Message& request, ByteView body) {
    coap::Block block{0, false, kServerSzx};
    if (const coap::Option* option = first_option(request, coap::option::kBlock2)) {
        const auto value = coap::decode_uint(option->value);
        const auto asked = value ? coap::block_from_uint(*value) : std::nullopt;
        if (!asked) {
            return error_reply(coap::codes::kBadRequest, "Bad Block2");
        }
        // SZX 6 is our largest, so a client never asks for more than we give (RFC 7959 §2.4).
        block = *asked;
    }
    const std::size_t offset = block.offset();
    if (offset >= body.size() && !(offset == 0 && body.empty())) {
        return error_reply(coap::codes::kBadOption, "Block out of range");
    }
    const std::size_t end = std::min<std::size_t>(offset + block.size(), body.size());
    block.more = end < body.size();

    Reply reply{coap::codes::kContent,
                {},
                Bytes(body.begin() + static_cast<std::ptrdiff_t>(offset),
                      body.begin() + static_cast<std::ptrdiff_t>(end))};
    reply.options.push_back(uint_option(coap::option::kContentFormat, 0));
    reply.options.push_back(uint_option(coap::option::kBlock2, coap::block_to_uint(block)));
    if (block.number == 0) {
        reply.options.push_back(
            uint_option(coap::option::kSize2, static_cast<std::uint32_t>(body.size())));
    }
    return reply;
}

}  // namespace atcoap::server
