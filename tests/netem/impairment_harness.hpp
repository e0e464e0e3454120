#pragma once
// Shared by the netem tests: a stage from spec text, fed numbered datagrams in virtual time.

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>

#include "base/log.hpp"
#include "base/random.hpp"
#include "netem/impairment.hpp"
#include "netem/spec.hpp"

namespace atcoap::netem::test {

inline Spec spec_of(std::string_view text) {
    auto spec = parse_spec(text);
    EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error());
    return spec.ok() ? *spec : Spec{};
}

/// A datagram of `size` bytes whose first byte and tag are `n`.
inline Packet numbered(std::uint64_t n, std::size_t size = 100) {
    Packet packet{Bytes(size, 0), n};
    if (size > 0) {
        packet.bytes[0] = static_cast<std::uint8_t>(n);
    }
    return packet;
}

struct Stage {
    explicit Stage(std::string_view text, std::uint64_t seed = 7)
        : random(seed), stage(spec_of(text), random, log, "netem test") {}
    SeededRandom random;
    NullLogger log;
    Impairment stage;
};

/// Every counter adds up: received + duplicated = passed + drops + held.
inline void expect_balanced(const Impairment& stage) {
    const Counters& c = stage.counters();
    EXPECT_EQ(c.received + c.duplicated,
              c.passed + c.lost + c.blackholed + c.overflowed + c.discarded + stage.held());
}

}  // namespace atcoap::netem::test
