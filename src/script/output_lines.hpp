#pragma once
// The AT port's output as the script runner reads it (docs/SCRIPTS.md, "Output lines"): bytes
// cut into lines at CR, LF or CR LF, empty lines skipped, the `> ` prompt of a payload phase
// as the line `>`. Bounded: a line longer than the limit is cut into pieces, and past the limit
// of unread lines the oldest is dropped and counted (a target that floods cannot exhaust the
// runner; the failure report says how many went).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace atcoap::script {

/// Where the first CR or LF of `text` is, or npos. A plain loop: string_view::find_first_of
/// calls memchr over the two-byte set once per byte of `text` (libstdc++).
inline std::size_t find_line_end(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' || text[i] == '\n') {
            return i;
        }
    }
    return std::string_view::npos;
}

class OutputLines {
  public:
    /// One unread line; `seq` counts the lines ever cut, so a reader can resume a scan.
    struct Line {
        std::uint64_t seq = 0;
        std::string text;
    };
    using Pending = std::span<const Line>;
    /// Told each line as it is cut, and may change it; false drops it instead of keeping it
    /// unread (the runner's own echo).
    using OnLine = std::function<bool(std::string& line)>;

    OutputLines(std::size_t max_pending, std::size_t max_length);

    /// Cuts `bytes` into lines, each told to `on_line` (may be empty: every line is kept).
    void feed(std::string_view bytes, const OnLine& on_line);

    /// The unread lines, oldest first; valid until the next feed() or erase().
    Pending pending() const { return {lines_.data() + head_, lines_.size() - head_}; }
    /// Consumes one unread line.
    void erase(Pending::iterator line);
    /// The first unread line with a `seq` of at least `seq`.
    Pending::iterator from(std::uint64_t seq) const;
    /// The `seq` the next line cut will have.
    std::uint64_t next_seq() const { return next_seq_; }

    /// What came after the last line end (a line not yet finished).
    std::string_view partial() const { return partial_; }
    /// Unread lines dropped past the bound, since the start.
    std::uint64_t dropped() const { return dropped_; }

  private:
    void cut(const OnLine& on_line);
    void drop_oldest();

    std::size_t max_pending_;
    std::size_t max_length_;
    // The unread lines are lines_[head_...]: a vector, not a deque, so that an empty one
    // allocates nothing and a few (what a script leaves unread at a time) cost a few Lines, where
    // libstdc++'s std::deque allocates 576 bytes at construction (a fleet makes a runner per
    // iteration). Lines dropped past the bound advance head_; the gap is closed once it is half
    // the vector, so a flood costs amortized O(1) per line.
    std::vector<Line> lines_;
    std::size_t head_ = 0;
    std::string partial_;
    bool continuation_ = false;  // partial_ follows a piece cut for length: not a line start
    std::uint64_t next_seq_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace atcoap::script
