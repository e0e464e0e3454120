#include "at/framer_upload.hpp"

#include <algorithm>

namespace atcoap::at {
namespace {

constexpr std::size_t kEscapeLength = 3;  // `+++`

}  // namespace

void UploadReader::start(std::size_t size, Duration inactivity_timeout, TimePoint now) {
    remaining_ = size;
    timeout_ = inactivity_timeout;
    last_byte_ = now;
    held_ = 0;
    end_.reset();
    chunk_.clear();
}

std::optional<FramerEvent> UploadReader::next(FramerInput& input, TimePoint now) {
    // One allocation per delivered chunk, not one per byte.
    chunk_.reserve(std::min(remaining_, input.size() + held_));
    while (!end_) {
        if (remaining_ == 0) {
            end_ = UploadEnd::SizeReached;
            break;
        }
        if (input.empty()) {
            resolve_silence_until(now);
            break;
        }
        // Bytes written before CONNECT appeared count as arriving at its start.
        const TimePoint at = std::max(input.peek_time(), last_byte_);
        resolve_silence_until(at);
        if (end_) {
            break;
        }
        take_byte(input.peek(), at);
        input.consume(1);
        take_same_time_run(input);
    }
    if (!chunk_.empty()) {
        UploadData event{std::move(chunk_)};
        chunk_.clear();
        return event;
    }
    if (end_) {
        return UploadFinished{*end_};
    }
    return std::nullopt;
}

std::optional<TimePoint> UploadReader::deadline() const {
    if (end_ || !chunk_.empty() || remaining_ == 0) {
        return last_byte_;  // an event is ready: call at once
    }
    const TimePoint timeout = last_byte_ + timeout_;
    if (held_ == 0) {
        return timeout;
    }
    return std::min(timeout, last_byte_ + kGuardTime);
}

// Applies what the silence since the last byte decided, as of time `t`.
void UploadReader::resolve_silence_until(TimePoint t) {
    const TimePoint guard_end = last_byte_ + kGuardTime;
    const TimePoint timeout_end = last_byte_ + timeout_;
    if (held_ > 0 && t >= guard_end && guard_end <= timeout_end) {
        if (held_ == kEscapeLength) {
            held_ = 0;  // the escape sequence is not data
            end_ = UploadEnd::Escape;
            return;
        }
        release_held();  // too slow for an escape: those `+` were data
    }
    if (t >= timeout_end) {
        release_held();
        end_ = UploadEnd::Timeout;
    }
}

// One byte at time `at`, when no deadline passed before it. Called with remaining_ > 0.
void UploadReader::take_byte(std::uint8_t byte, TimePoint at) {
    const bool after_silence = at - last_byte_ >= kGuardTime;
    last_byte_ = at;
    if (byte == kEscapeChar && held_ + 1 < remaining_) {
        if (held_ == 0 && after_silence) {
            held_ = 1;
            return;
        }
        // A gap of a guard time inside a candidate was resolved before this byte came.
        if (held_ > 0 && held_ < kEscapeLength) {
            ++held_;
            return;
        }
    }
    release_held();
    chunk_.push_back(byte);
    --remaining_;
}

// Bytes that arrived in the same write as the byte just taken had no silence before them: none
// can start a candidate, so while nothing is held they are plain data, copied in one go.
void UploadReader::take_same_time_run(FramerInput& input) {
    if (held_ > 0 || input.empty() || input.peek_time() > last_byte_) {
        return;
    }
    const ByteView run = input.same_time_run();
    const std::size_t count = std::min(run.size(), remaining_);
    chunk_.insert(chunk_.end(), run.begin(), run.begin() + static_cast<std::ptrdiff_t>(count));
    remaining_ -= count;
    input.consume(count);
}

void UploadReader::release_held() {
    chunk_.insert(chunk_.end(), held_, kEscapeChar);
    remaining_ -= held_;
    held_ = 0;
}

}  // namespace atcoap::at
