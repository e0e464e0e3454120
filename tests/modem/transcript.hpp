#pragma once
// Transcripts: host input, the exact bytes the modem must answer, and marks of virtual time,
// run against the whole modem core in-process (docs/TESTING.md describes the format).
//
// What the modem does is one ordered stream: its host output and the datagrams it sends, in the
// order of the calls into the modem that produced them. A transcript's `<` and `S<` lines must
// follow that order. Within one call the order of host output and datagrams cannot be seen
// through the modem's interface (it hands out each through its own queue), so there either
// may come first.

#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
#include "modem/modem.hpp"
#include "support/scripted_random.hpp"
#include "ufs/storage.hpp"

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

/// A fresh modem core (memory file store, virtual time from 0, every random draw 0:
/// message IDs from 0, zero tokens, first retransmission waits of exactly ACK_TIMEOUT) and a
/// simulated network where sockets open at once, except to "unresolvable.invalid" (the -5 path).
class TranscriptRunner {
  public:
    TranscriptRunner();

    /// Runs `steps` up to the first step the modem does not follow; nullopt when it follows
    /// them all, else one message naming the transcript line and what differed.
    std::optional<std::string> run(const std::vector<TranscriptStep>& steps);

  private:
    /// Something the modem did, tagged with the call into the modem that did it.
    struct Observed {
        std::uint64_t call = 0;
        bool datagram = false;  // else host output
        int client = 0;         // of a datagram
        Bytes bytes;
    };
    using Stream = std::deque<Observed>;

    std::optional<std::string> step(const TranscriptStep& step);
    void after_call();
    Stream::iterator first_of_next_call(bool datagram);
    std::optional<std::string> expect_output(const Bytes& expected);
    std::optional<std::string> expect_datagram(const TranscriptStep& step);
    std::optional<std::string> expect_nothing_more() const;
    void advance(Duration by);

    ufs::MemoryStorage storage_;
    test::ScriptedRandom random_;
    NullLogger logger_;
    std::map<int, net::SocketId> sockets_;
    TimePoint now_ = at_ms(0);
    Modem modem_;
    std::uint64_t calls_ = 0;
    Stream stream_;
};

}  // namespace atcoap::modem::testing
