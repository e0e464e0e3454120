#pragma once
// The `CONNECT` phase of AT+QFUPL (docs/DIALECT.md §5): raw bytes, never echoed, until the
// announced size arrived, no byte came for the inactivity timeout, or the host escaped with `+++`.
//
// Escape (ITU-T V.250 §6.3.6 and its S12 guard time, 1 s by default): a `+` that comes after
// at least the guard time of silence starts a candidate; the next two `+` must each follow
// within less than the guard time; then a guard time of silence must follow. Candidate `+`
// bytes are held back, not delivered, until that is decided: any other byte, a fourth `+`, or
// a gap of a guard time inside the three releases them as data. So `+++` inside the data,
// Ctrl+Z and ESC are plain bytes. The upload's start (when CONNECT was written) counts as the
// last activity: a host may escape after a second of silence following CONNECT.
//
// Decisions where V.250 and the note are silent:
// - A `+` that would complete the announced size is data: the size ends the upload at once,
//   the modem does not wait a guard time to see whether an escape was meant.
// - An escape needs an inactivity timeout longer than the guard time (QFUPL's is whole
//   seconds, 5 by default): with a timeout at most the guard time the silence before `+++`
//   already ends the upload. If both deadlines fall at one instant the escape is judged
//   first, and held `+` bytes released by a timeout are data.
// - A byte arriving exactly a guard time after the previous one counts as "after silence";
//   a byte arriving exactly at the inactivity deadline comes too late (the upload is over,
//   the byte belongs to command mode).

#include <cstddef>
#include <optional>

#include "at/framer_events.hpp"
#include "at/framer_input.hpp"
#include "base/time.hpp"

namespace atcoap::at {

class UploadReader {
  public:
    static constexpr Duration kGuardTime{1000};
    static constexpr std::uint8_t kEscapeChar = '+';

    void start(std::size_t size, Duration inactivity_timeout, TimePoint now);

    /// Consumes input until one event: UploadData with the bytes now certain to be data, or
    /// UploadFinished (always after the last UploadData). `now` is the caller's time; it
    /// decides timeouts once the input is exhausted.
    std::optional<FramerEvent> next(FramerInput& input, TimePoint now);

    /// When next() should be called if no byte arrives.
    std::optional<TimePoint> deadline() const;

    /// Whether a byte arriving at `t` before any other is still part of the upload.
    bool open_at(TimePoint t) const { return t < last_byte_ + timeout_; }

    std::size_t capacity() const { return chunk_.capacity(); }

  private:
    void resolve_silence_until(TimePoint t);
    void take_byte(std::uint8_t byte, TimePoint at);
    void take_same_time_run(FramerInput& input);
    void release_held();

    std::size_t remaining_ = 0;  // bytes still to come, not counting held ones
    Duration timeout_{0};
    TimePoint last_byte_{};  // arrival of the last byte taken, or the start
    std::size_t held_ = 0;   // candidate `+` bytes held back (0 to 3)
    std::optional<UploadEnd> end_;
    Bytes chunk_;
};

}  // namespace atcoap::at
