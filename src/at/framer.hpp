#pragma once
// The AT framer: turns host bytes into events in the module's modes (docs/DIALECT.md §1, §3, §5).
// Pure: no I/O, no clock reads, no threads; time comes in with the bytes.
//
// Use: feed() whatever arrived, then call next() until it returns nullopt, handling each event
// before asking for the next: the consumer may switch the mode between two events
// (expect_prompt_*, expect_upload, set_echo), and bytes fed earlier but not yet consumed are
// then read in the new mode. A host that writes its payload before the `> ` prompt or
// `CONNECT` appears loses nothing (docs/DIALECT.md §3). A consumer that is busy may simply stop
// calling next(); bytes wait, unechoed, until it resumes. There are no timeouts outside a
// CONNECT upload; during one, call next(now) again at next_deadline() if no byte came.
//
// Command mode (ITU-T V.250 §5.2):
// - A line starts with `AT` or `at`; `At` and `aT` are not prefixes (V.250 §5.2.1 names the
//   two forms only), so such a line is noise. V.250's `A/` (repeat the last line) is not
//   supported: docs/DIALECT.md does not list it, and `A/` is noise like any other. Bytes before a
//   prefix are discarded; a line with no prefix, or an empty one, gives no event (a stray CR LF
//   after Ctrl+Z is silent).
// - CR (S3) ends a line. LF (S4) is ignored wherever it appears in command mode.
// - BS (S5) deletes the previous character of the line; it never deletes the `AT` prefix,
//   and before a complete prefix it cancels a pending `A`.
// - A line longer than kMaxLineLength characters counted from its `AT` (after BS editing)
//   is discarded up to its CR and gives LineTooLong; at most kMaxLineLength bytes are kept.
// - Echo (ATE1, default on): every byte consumed in command mode is echoed as received,
//   discarded noise, BS and CR included; LF is not echoed. In a `> ` phase the payload bytes
//   are echoed as they are consumed, not the Ctrl+Z or ESC that ends it; a CONNECT upload is
//   never echoed (docs/DIALECT.md §1).
// - CR LF is one terminator: an LF right after a CR that gave an event belongs to that line,
//   also when the command opened a data phase; such an LF is then not data. A bare-CR host
//   whose data starts with LF loses that byte; terminator_stats() lets the consumer log it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "at/framer_events.hpp"
#include "at/framer_input.hpp"
#include "at/framer_prompt.hpp"
#include "at/framer_upload.hpp"
#include "base/bytes.hpp"
#include "base/time.hpp"

namespace atcoap::at {

/// How the host ends its command lines, seen from the byte after each line's CR.
struct TerminatorStats {
    std::uint64_t crlf_lines = 0;     // command-mode lines whose CR was followed by LF
    std::uint64_t bare_cr_lines = 0;  // lines whose CR was followed by another byte
    /// LFs dropped as the first byte of a `> ` or CONNECT phase because they followed the
    /// opening command's CR. With bare_cr_lines > 0 the host probably lost a data byte
    /// (docs/DIALECT.md §7: the log says so once).
    std::uint64_t data_lf_swallowed = 0;
};

class Framer {
  public:
    enum class Mode { Command, Prompt, Upload };

    static constexpr std::size_t kMaxLineLength = 4096;  // docs/DIALECT.md §1
    static constexpr Duration kGuardTime = UploadReader::kGuardTime;

    /// Appends host bytes that arrived at `now`; consumes nothing yet.
    void feed(ByteView bytes, TimePoint now);

    /// Consumes bytes until one event, or returns nullopt when more bytes or time are needed.
    /// `now` only matters in an upload, for its inactivity timeout and the `+++` guard time.
    std::optional<FramerEvent> next(TimePoint now);

    /// When to call next() if no byte arrives; nullopt outside an upload. A time in the past
    /// means "at once".
    std::optional<TimePoint> next_deadline() const;

    /// The echo of command-mode input and `> ` payload consumed so far (ATE1), handed over once.
    Bytes take_echo();
    void set_echo(bool on) { echo_on_ = on; }
    bool echo() const { return echo_on_; }

    /// Enters a `> ` phase reading exactly `exact_length` bytes of any value (AT+QCOAPSEND
    /// with a length). Call right after the CommandLine that opens it.
    void expect_prompt_data(std::size_t exact_length);
    /// Enters a `> ` phase ended by Ctrl+Z (PromptData, or PromptOverflow after more than
    /// `max_length` bytes) or ESC (PromptCancelled).
    void expect_prompt_until_ctrl_z(std::size_t max_length);
    /// Enters a CONNECT upload of `size` bytes whose inactivity timeout runs from `now`, the
    /// time CONNECT is written (AT+QFUPL, docs/DIALECT.md §5).
    void expect_upload(std::size_t size, Duration inactivity_timeout, TimePoint now);

    /// A new host is on the line (docs/DIALECT.md §1, "The port"): unread input, a partial line,
    /// unsent echo and any data phase are dropped; the framer waits for a command line again.
    void drop_input();

    Mode mode() const { return mode_; }
    const TerminatorStats& terminator_stats() const { return stats_; }

    /// Bytes fed and not consumed yet.
    std::size_t buffered() const { return input_.size(); }
    /// Heap bytes the framer holds (echo excluded), for memory-bound checks.
    std::size_t retained_capacity() const;

  private:
    enum class LineState { Seeking, GotA, InLine, TooLong };

    std::optional<FramerEvent> next_command();
    std::optional<FramerEvent> command_byte(std::uint8_t byte);
    void seek_prefix(std::uint8_t byte);
    void continue_prefix(std::uint8_t byte);
    std::optional<FramerEvent> line_byte(std::uint8_t byte);
    void end_line();
    void note_byte_after_line(std::uint8_t byte);
    void swallow_terminator_lf();
    void enter_data_phase(Mode mode);

    FramerInput input_;
    Mode mode_ = Mode::Command;
    LineState line_state_ = LineState::Seeking;
    char prefix_a_ = 'A';  // the case of a pending `A`, to match its `T`
    std::string line_;
    bool echo_on_ = true;
    Bytes echo_;
    bool after_line_cr_ = false;  // the last byte consumed was a CR that gave an event
    TerminatorStats stats_;
    PromptReader prompt_;
    UploadReader upload_;
};

}  // namespace atcoap::at
