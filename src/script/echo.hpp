#pragma once
// The echo a script does not read (docs/SCRIPTS.md, "Output lines"): with ATE1, the module's
// default, the port repeats what the host sent (docs/DIALECT.md §1). The runner skips those
// lines, and the recorder leaves out of a recording exactly what the runner will skip, so the
// two share this one rule.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace atcoap::script {

/// Lines sent whose echo may still come, at most this many: the oldest is then forgotten.
inline constexpr std::size_t kMaxEchoLines = 64;

/// A final result code (the note's §3.1.2, docs/DIALECT.md §1): the end of an answer.
bool is_final_result(std::string_view line);

class EchoFilter {
  public:
    /// What was sent: a command line (`send`) or a payload after a prompt (`write`).
    enum class Kind : std::uint8_t { Command, Payload };

    /// Each line of `bytes` (cut at CR and LF, empty ones left out, each cut into pieces of at
    /// most `max_line` bytes as output lines are) may come back, in order.
    void sent(std::string_view bytes, Kind kind, std::size_t max_line);
    /// Whether `line`, the next output line, is the echo of what was sent. A payload echoed on
    /// the prompt's line ("> Hi") is not, but leaves `line` as the prompt, ">". A final result
    /// code ends the search: its echo, if any, came before it.
    bool is_echo(std::string& line);
    /// An answer to what was sent has been read: its echo is behind it.
    void clear() { pending_.clear(); }
    bool empty() const { return pending_.empty(); }

  private:
    struct Line {
        std::string text;
        Kind kind;
    };
    // A vector, not a deque: empty it allocates nothing, and it holds one or two lines at a
    // time (libstdc++'s std::deque allocates 576 bytes at construction, a runner per fleet
    // iteration has one). Taking the front moves at most kMaxEchoLines - 1 lines.
    std::vector<Line> pending_;
    // The last command line was answered without its echo (ATE0): a payload equal to a line of
    // the answer (`write OK`, then OK) is then that line, not its echo.
    bool echo_off_ = false;
};

}  // namespace atcoap::script
