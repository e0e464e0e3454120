#include "script/output_lines.hpp"

#include <algorithm>

namespace atcoap::script {

OutputLines::OutputLines(std::size_t max_pending, std::size_t max_length)
    : max_pending_(std::max<std::size_t>(max_pending, 1)),
      max_length_(std::max<std::size_t>(max_length, 1)) {}

void OutputLines::feed(std::string_view bytes, const OnLine& on_line) {
    for (const char c : bytes) {
        if (c == '\r' || c == '\n') {
            // CR LF is a CR, then an empty line, which is skipped like every empty line.
            cut(on_line);
            continuation_ = false;
            continue;
        }
        partial_ += c;
        if (partial_.size() >= max_length_) {
            cut(on_line);
            continuation_ = true;
        }
    }
    // The payload prompt has no line end: the modem waits for the payload after it
    // (docs/DIALECT.md). Only a `> ` at the start of a line is one.
    if (partial_ == "> " && !continuation_) {
        partial_ = ">";
        cut(on_line);
    }
}

void OutputLines::cut(const OnLine& on_line) {
    if (partial_.empty()) {
        return;
    }
    const std::uint64_t seq = next_seq_++;
    if (on_line && !on_line(partial_)) {
        partial_.clear();
        return;
    }
    if (pending_.size() >= max_pending_) {
        pending_.pop_front();
        ++dropped_;
    }
    pending_.push_back(Line{seq, std::move(partial_)});
    partial_.clear();
}

OutputLines::Pending::const_iterator OutputLines::from(std::uint64_t seq) const {
    return std::lower_bound(pending_.begin(), pending_.end(), seq,
                            [](const Line& line, std::uint64_t value) { return line.seq < value; });
}

}  // namespace atcoap::script
