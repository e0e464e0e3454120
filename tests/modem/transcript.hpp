#pragma once
// Transcripts: host input, the exact bytes the modem must answer, and marks of virtual time,
// run against the whole modem core in-process (docs/TESTING.md describes the format).

#include <filesystem>
#include <string>
#include <vector>

#include "base/bytes.hpp"

namespace atcoap::modem::testing {

struct TranscriptStep {
    enum class Kind { Send, Expect, Advance, ServerSends, ExpectDatagram };
    Kind kind;
    Bytes bytes;                  // Send, Expect; the datagram of ServerSends, ExpectDatagram
    std::int64_t advance_ms = 0;  // Advance
    int line = 0;                 // in the file, for failure messages
    int client = 0;               // ServerSends, ExpectDatagram
};

/// `\r`, `\n`, `\\`, `\xHH` and `\e` (ESC), `\z` (Ctrl+Z) escapes in a transcript line.
Bytes unescape(std::string_view text);

/// Printable form of bytes for failure messages: the escapes above.
std::string escape(ByteView bytes);

std::vector<TranscriptStep> parse_transcript(const std::string& text);

std::vector<std::filesystem::path> transcript_files();

}  // namespace atcoap::modem::testing
