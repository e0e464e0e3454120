#pragma once
// Randomness as the core sees it: an interface the caller injects. The shell passes the
// operating system's generator; tests pass a seeded or scripted one so that runs repeat exactly.

#include <cstdint>
#include <span>

namespace atcoap {

class Random {
  public:
    virtual ~Random() = default;
    virtual std::uint32_t next_u32() = 0;

    void fill(std::span<std::uint8_t> out);
    /// A uniform value in [low, high] (inclusive); low <= high.
    std::uint32_t uniform(std::uint32_t low, std::uint32_t high);
};

/// Deterministic generator (xoshiro128**), for tests, fuzzing and simulations.
class SeededRandom final : public Random {
  public:
    explicit SeededRandom(std::uint64_t seed);
    std::uint32_t next_u32() override;

  private:
    std::uint32_t state_[4];
};

}  // namespace atcoap
