#pragma once
// The one Random tests inject when they must know every draw: the retransmission wait that is
// exactly ACK_TIMEOUT (a draw of 0), a chosen token, or a generator fed word by word.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "base/random.hpp"

namespace atcoap::test {

/// Hands out `script` in order, then `fallback` forever. Without a fallback, a draw past the
/// script throws, so that code which keeps drawing fails its test instead of hanging it. The
/// default (no script, fallback 0) draws 0 every time: message IDs from 0, zero tokens, and
/// first retransmission waits of exactly ACK_TIMEOUT.
class ScriptedRandom final : public Random {
  public:
    explicit ScriptedRandom(std::vector<std::uint32_t> script = {},
                            std::optional<std::uint32_t> fallback = 0u)
        : script_(std::move(script)), fallback_(fallback) {}

    std::uint32_t next_u32() override {
        if (drawn_ < script_.size()) {
            return script_[drawn_++];
        }
        if (!fallback_) {
            throw std::out_of_range("drew more than the scripted words");
        }
        ++drawn_;
        return *fallback_;
    }

    /// How many words were drawn so far.
    std::size_t drawn() const { return drawn_; }

  private:
    std::vector<std::uint32_t> script_;
    std::optional<std::uint32_t> fallback_;
    std::size_t drawn_ = 0;
};

}  // namespace atcoap::test
