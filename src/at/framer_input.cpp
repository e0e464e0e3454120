#include "at/framer_input.hpp"

#include <algorithm>

namespace atcoap::at {
namespace {

// Consumed bytes are dropped from the front once they are this many and half the buffer, so
// that compaction costs O(1) per byte amortized.
constexpr std::size_t kCompactThreshold = 4096;
// An emptied buffer larger than this gives its memory back: one huge write must not pin it.
constexpr std::size_t kShrinkThreshold = 64 * 1024;

}  // namespace

void FramerInput::push(ByteView bytes, TimePoint at) {
    if (bytes.empty()) {
        return;
    }
    latest_ = std::max(latest_, at);
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    if (!segments_.empty() && segments_.back().at == latest_) {
        segments_.back().end = bytes_.size();
    } else {
        segments_.push_back(Segment{bytes_.size(), latest_});
    }
}

ByteView FramerInput::same_time_run() const {
    return ByteView{bytes_}.subspan(read_, segments_[segment_].end - read_);
}

void FramerInput::consume(std::size_t count) {
    read_ += std::min(count, size());
    while (segment_ < segments_.size() && segments_[segment_].end <= read_) {
        ++segment_;
    }
    compact();
}

void FramerInput::compact() {
    if (empty()) {
        bytes_.clear();
        segments_.clear();
        read_ = 0;
        segment_ = 0;
        if (bytes_.capacity() > kShrinkThreshold) {
            bytes_.shrink_to_fit();
        }
        return;
    }
    if (read_ < kCompactThreshold || read_ * 2 < bytes_.size()) {
        return;
    }
    const auto dropped = static_cast<std::ptrdiff_t>(read_);
    bytes_.erase(bytes_.begin(), bytes_.begin() + dropped);
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(segment_));
    for (Segment& segment : segments_) {
        segment.end -= read_;
    }
    read_ = 0;
    segment_ = 0;
}

std::size_t FramerInput::capacity() const {
    return bytes_.capacity() + segments_.capacity() * sizeof(Segment);
}

}  // namespace atcoap::at
