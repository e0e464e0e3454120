#include "base/random.hpp"

#include <bit>

namespace atcoap {

void Random::fill(std::span<std::uint8_t> out) {
    std::size_t i = 0;
    while (i < out.size()) {
        std::uint32_t word = next_u32();
        for (int k = 0; k < 4 && i < out.size(); ++k, ++i) {
            out[i] = static_cast<std::uint8_t>(word & 0xFFu);
            word >>= 8;
        }
    }
}

std::uint32_t Random::uniform(std::uint32_t low, std::uint32_t high) {
    const std::uint64_t span = std::uint64_t{high} - low + 1;
    // Rejection sampling keeps the draw unbiased for spans that do not divide 2^32.
    const std::uint64_t limit = (std::uint64_t{1} << 32) - ((std::uint64_t{1} << 32) % span);
    std::uint64_t draw = next_u32();
    while (draw >= limit) {
        draw = next_u32();
    }
    return static_cast<std::uint32_t>(low + draw % span);
}

namespace {
// splitmix64 spreads one seed over the whole generator state.
std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
}  // namespace

SeededRandom::SeededRandom(std::uint64_t seed) {
    const std::uint64_t a = splitmix64(seed);
    const std::uint64_t b = splitmix64(seed);
    state_[0] = static_cast<std::uint32_t>(a);
    state_[1] = static_cast<std::uint32_t>(a >> 32);
    state_[2] = static_cast<std::uint32_t>(b);
    state_[3] = static_cast<std::uint32_t>(b >> 32);
}

std::uint32_t SeededRandom::next_u32() {
    const std::uint32_t result = std::rotl(state_[1] * 5, 7) * 9;
    const std::uint32_t t = state_[1] << 9;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 11);
    return result;
}

}  // namespace atcoap
