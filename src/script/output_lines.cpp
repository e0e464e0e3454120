#include "script/output_lines.hpp"

#include <algorithm>

namespace atcoap::script {

OutputLines::OutputLines(std::size_t max_pending, std::size_t max_length)
    : max_pending_(std::max<std::size_t>(max_pending, 1)),
      max_length_(std::max<std::size_t>(max_length, 1)) {}

void OutputLines::feed(std::string_view bytes, const OnLine& on_line) {
    while (!bytes.empty()) {
        // The bytes up to the next line end go in at once, in pieces of the line bound.
        auto text = bytes.substr(0, find_line_end(bytes));
        bytes.remove_prefix(text.size());
        while (!text.empty()) {
            const std::size_t room = max_length_ - partial_.size();  // > 0: cut when full
            partial_.append(text.substr(0, room));
            text.remove_prefix(std::min(room, text.size()));
            if (partial_.size() >= max_length_) {
                cut(on_line);
                continuation_ = true;
            }
        }
        if (!bytes.empty()) {
            // CR LF is a CR, then an empty line, which is skipped like every empty line.
            cut(on_line);
            continuation_ = false;
            bytes.remove_prefix(1);
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
    if (lines_.size() - head_ >= max_pending_) {
        drop_oldest();
    }
    lines_.push_back(Line{seq, std::move(partial_)});
    partial_.clear();
}

void OutputLines::drop_oldest() {
    lines_[head_++].text = std::string();  // its bytes go now, its slot with the gap
    ++dropped_;
    if (head_ >= lines_.size() / 2) {
        lines_.erase(lines_.begin(), lines_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
    }
}

void OutputLines::erase(Pending::iterator line) {
    const auto at = static_cast<std::ptrdiff_t>(head_) + (line - pending().begin());
    lines_.erase(lines_.begin() + at);
    if (lines_.size() == head_) {
        lines_.clear();  // none unread: the gap goes too, the capacity stays
        head_ = 0;
    }
}

OutputLines::Pending::iterator OutputLines::from(std::uint64_t seq) const {
    const Pending unread = pending();
    return std::lower_bound(unread.begin(), unread.end(), seq,
                            [](const Line& line, std::uint64_t value) { return line.seq < value; });
}

}  // namespace atcoap::script
