#pragma once
// The `> ` data phase of AT+QCOAPSEND (docs/DIALECT.md §3): either exactly N bytes, whatever they
// are, or the bytes up to Ctrl+Z, with ESC cancelling. There is no inactivity timeout (§1):
// drivers may take a while to start writing after the prompt. With echo on (ATE1) the payload
// bytes are echoed as they are consumed (docs/DIALECT.md §1), in both forms and also past the
// Ctrl+Z form's maximum, as a module does; the Ctrl+Z or ESC that ends the phase is not.

#include <cstddef>
#include <optional>

#include "at/framer_events.hpp"
#include "at/framer_input.hpp"

namespace atcoap::at {

class PromptReader {
  public:
    static constexpr std::uint8_t kCtrlZ = 0x1A;
    static constexpr std::uint8_t kEscape = 0x1B;

    /// Reads exactly `length` bytes; 0 finishes at once with an empty payload.
    void expect_exact(std::size_t length);
    /// Reads up to Ctrl+Z; more than `max_length` bytes before it gives PromptOverflow.
    void expect_until_ctrl_z(std::size_t max_length);

    /// Consumes input until the phase ends (returns its event) or the input runs out. Payload
    /// bytes consumed are appended to `echo` unless it is null (echo off).
    std::optional<FramerEvent> next(FramerInput& input, Bytes* echo);

    std::size_t capacity() const { return payload_.capacity(); }

  private:
    std::optional<FramerEvent> next_exact(FramerInput& input, Bytes* echo);
    std::optional<FramerEvent> next_until_ctrl_z(FramerInput& input, Bytes* echo);
    FramerEvent finish_with_payload();

    bool until_ctrl_z_ = false;
    std::size_t length_ = 0;  // the exact length, or the maximum before Ctrl+Z
    bool overflowed_ = false;
    Bytes payload_;
};

}  // namespace atcoap::at
