#pragma once
// The framer's input queue: host bytes kept in arrival order with the time each write arrived.
// Bytes stay here until the framer consumes them in the mode current at that moment, so bytes
// a host writes before a `> ` prompt or `CONNECT` appears are kept (docs/DIALECT.md §3). Arrival
// times let the upload reader judge guard times and inactivity the same way whether it runs
// right away or later.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/bytes.hpp"
#include "base/time.hpp"

namespace atcoap::at {

class FramerInput {
  public:
    /// Appends `bytes` arriving at `at`. Times never go backwards: an earlier `at` than the
    /// previous write's is taken as that write's time.
    void push(ByteView bytes, TimePoint at);

    bool empty() const { return read_ == bytes_.size(); }
    std::size_t size() const { return bytes_.size() - read_; }

    /// The next unread byte and its arrival time; the queue must not be empty.
    std::uint8_t peek() const { return bytes_[read_]; }
    TimePoint peek_time() const { return segments_[segment_].at; }

    /// Every unread byte. The view is invalid after consume().
    ByteView unread() const { return ByteView{bytes_}.subspan(read_); }
    /// The unread bytes that arrived together with the next one. Invalid after consume().
    ByteView same_time_run() const;

    void consume(std::size_t count);

    /// Heap bytes held, for memory-bound checks.
    std::size_t capacity() const;

  private:
    struct Segment {
        std::size_t end;  // one past the segment's last byte in bytes_
        TimePoint at;
    };

    void compact();

    Bytes bytes_;
    std::size_t read_ = 0;
    std::vector<Segment> segments_;
    std::size_t segment_ = 0;  // the segment holding bytes_[read_]
    TimePoint latest_ = TimePoint::min();
};

}  // namespace atcoap::at
