#pragma once
// The events the AT framer hands to its consumer (the dispatcher), one at a time. Each names a
// finished piece of host input in one of the module's modes (docs/DIALECT.md §1, §3, §5).

#include <string>
#include <variant>

#include "base/bytes.hpp"

namespace atcoap::at {

/// A command line from its `AT`/`at` prefix (kept) up to, not including, its CR; BS already
/// applied, LF removed. Quoted strings are passed on verbatim: the tokenizer reads them.
struct CommandLine {
    std::string text;
    bool operator==(const CommandLine&) const = default;
};

/// A line longer than 4096 characters counted from its `AT` was discarded up to its CR; the
/// answer is `ERROR` (docs/DIALECT.md §1, §7).
struct LineTooLong {
    bool operator==(const LineTooLong&) const = default;
};

/// A `> ` data phase finished: exactly N bytes, or the bytes before Ctrl+Z (docs/DIALECT.md §3).
struct PromptData {
    Bytes payload;
    bool operator==(const PromptData&) const = default;
};

/// ESC (0x1B) ended a `> ` phase that waited for Ctrl+Z: the answer is `OK`, nothing is sent.
struct PromptCancelled {
    bool operator==(const PromptCancelled&) const = default;
};

/// Ctrl+Z came after more than the phase's maximum (1024) bytes: `ERROR`, nothing is sent
/// (docs/DIALECT.md §7). The bytes beyond the maximum were not kept.
struct PromptOverflow {
    bool operator==(const PromptOverflow&) const = default;
};

/// Bytes of a `CONNECT` upload, delivered as they become certain; chunk boundaries depend on
/// how the host's writes arrived and mean nothing. The consumer counts bytes itself for
/// QFUPL's ACK mode (an `A` after every 1024 bytes, docs/DIALECT.md §5): a chunk may straddle a
/// 1024-byte boundary.
struct UploadData {
    Bytes chunk;
    bool operator==(const UploadData&) const = default;
};

enum class UploadEnd {
    SizeReached,  // the announced size arrived
    Timeout,      // no byte came for the inactivity timeout
    Escape,       // `+++` with a guard time of silence before and after (V.250 §6.3.6, S12)
};

/// A `CONNECT` upload is over; every data byte was delivered before this event.
struct UploadFinished {
    UploadEnd how;
    bool operator==(const UploadFinished&) const = default;
};

using FramerEvent = std::variant<CommandLine, LineTooLong, PromptData, PromptCancelled,
                                 PromptOverflow, UploadData, UploadFinished>;

}  // namespace atcoap::at
