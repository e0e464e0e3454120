#pragma once
// The control socket's protocol (docs/CONTROL.md), after QEMU's QMP: JSON lines. The server
// greets with {"atcoap": {"version": ...}, "capabilities": []}; each request
// {"execute": NAME, "arguments": {...}, "id": ...} gets one reply line, {"return": ..., "id": ...}
// or {"error": {"class": ..., "desc": ...}, "id": ...}; events go out as
// {"event": NAME, "data": {...}, "timestamp": {"seconds": S, "microseconds": U}}.
// Pure: bytes in, lines out. A malformed line, an unknown command or a bad argument gets an
// error reply and never reaches the Target.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "control/target.hpp"

namespace atcoap::control {

/// A request line longer than this (its '\n' aside) is refused with one error reply, and the
/// rest of it, up to its '\n', is read and discarded.
inline constexpr std::size_t kMaxLineLength = 64 * 1024;
/// Arrays and objects nested deeper than this in a request are refused.
inline constexpr int kMaxDepth = 16;

/// Wall-clock time of an event, as QMP stamps them.
struct Timestamp {
    std::int64_t seconds = 0;
    std::int64_t microseconds = 0;
};

/// The first line a client reads, with its '\n'.
std::string greeting(std::string_view version);

/// One event line, with its '\n'.
std::string event_line(std::string_view name, nlohmann::json data, Timestamp when);

/// One request line (without its '\n') to one reply line (with it); an empty or blank line
/// gets no reply (an empty string).
std::string answer(std::string_view line, Target& target);

/// One client's side of the protocol: splits its bytes into lines and answers each.
class Session {
  public:
    explicit Session(Target& target) : target_(target) {}

    /// Bytes the client sent; returns the reply lines to send back, in order.
    std::string feed(std::string_view bytes);
    /// Bytes held of an unfinished line.
    std::size_t buffered() const { return line_.size(); }

  private:
    Target& target_;
    std::string line_;
    bool discarding_ = false;  // past kMaxLineLength: up to the next '\n'
};

}  // namespace atcoap::control
