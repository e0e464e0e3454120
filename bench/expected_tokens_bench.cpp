// Micro benchmarks of the client's expected tokens (coap/expected_tokens.hpp, RFC 7252 §5.3.2)
// with the table at its bound, 1,024 request tokens held, as on a modem that sends faster than
// one request per EXCHANGE_LIFETIME / 1,024 (docs/TESTING.md, "Memory per modem").

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

#include "coap/expected_tokens.hpp"

namespace atcoap::bench {

namespace {

using coap::ExpectedTokens;

constexpr std::int64_t kLifetimeMs = 247'000;  // EXCHANGE_LIFETIME with the default settings
constexpr auto kHeld = static_cast<std::uint32_t>(ExpectedTokens::kMaxRequests);

/// The n-th token a fast host sends: 8 bytes, as long as tokens get.
coap::Token token_of(std::uint32_t n) {
    const std::array<std::uint8_t, 8> bytes{0xA5,
                                            0x5A,
                                            0,
                                            0,
                                            static_cast<std::uint8_t>(n >> 24),
                                            static_cast<std::uint8_t>(n >> 16),
                                            static_cast<std::uint8_t>(n >> 8),
                                            static_cast<std::uint8_t>(n)};
    return coap::Token(ByteView(bytes));
}

coap::Message request_with(const coap::Token& token) {
    coap::Message request;
    request.type = coap::Type::Non;
    request.code = coap::codes::kGet;
    request.token = token;
    return request;
}

/// Tokens 0..1023 sent one per millisecond from time 0: each held for 247 s.
ExpectedTokens full_table() {
    ExpectedTokens expected;
    for (std::uint32_t i = 0; i < kHeld; ++i) {
        (void)expected.request_sent(request_with(token_of(i)), at_ms(kLifetimeMs + i));
    }
    return expected;
}

/// What the endpoint does per request sent at the bound: expire, then a fresh token that
/// forgets the one expiring first.
void sent_at_the_bound(benchmark::State& state) {
    ExpectedTokens expected = full_table();
    coap::Message request = request_with(token_of(0));
    std::uint32_t n = kHeld;
    for (auto _ : state) {
        const TimePoint now = at_ms(n);
        request.token = token_of(n);
        benchmark::DoNotOptimize(expected.expire(now));
        benchmark::DoNotOptimize(expected.request_sent(request, now + Duration{kLifetimeMs}));
        ++n;
    }
    state.SetItemsProcessed(state.iterations());
}

/// The same token sent again and again (AT+QCOAPHEADER with a fixed token).
void sent_again(benchmark::State& state) {
    ExpectedTokens expected = full_table();
    const coap::Message request = request_with(token_of(kHeld - 1));
    std::int64_t now = kHeld;
    for (auto _ : state) {
        benchmark::DoNotOptimize(expected.request_sent(request, at_ms(now + kLifetimeMs)));
        ++now;
    }
    state.SetItemsProcessed(state.iterations());
}

/// A response's token looked up: the newest sent, the oldest held, or one never sent.
void expects(benchmark::State& state, std::uint32_t token) {
    const ExpectedTokens expected = full_table();
    const coap::Token looked_up = token_of(token);
    bool found = false;
    for (auto _ : state) {
        found = expected.expects(looked_up, at_ms(2000));
        benchmark::DoNotOptimize(found);
    }
    if (found != (token < kHeld)) {
        state.SkipWithError("wrong answer");
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(sent_at_the_bound);
BENCHMARK(sent_again);
BENCHMARK_CAPTURE(expects, newest, kHeld - 1);
BENCHMARK_CAPTURE(expects, tenth_newest, kHeld - 10);
BENCHMARK_CAPTURE(expects, oldest, 0u);
BENCHMARK_CAPTURE(expects, unknown, 0xFFFF'FFFFu);

}  // namespace

}  // namespace atcoap::bench

BENCHMARK_MAIN();
