#pragma once
// One end of a byte stream (pipe, pseudo-terminal or socket) read and written with a bound on
// every wait: the program on the other end runs in another process, so a test or a benchmark
// waits for the bytes it expects, never for an amount of time, and a stuck peer ends the wait
// instead of hanging it.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace atcoap::test {

using Millis = std::chrono::milliseconds;

class Channel {
  public:
    /// Takes ownership of `fd` (closed on destruction) and makes it non-blocking, so that no
    /// read or write can outlast its bound; -1 makes a closed channel.
    explicit Channel(int fd = -1);
    ~Channel();
    Channel(Channel&& other) noexcept;
    Channel& operator=(Channel&& other) noexcept;
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    /// Writes every byte of `data` unless `bound` passes or the other end is gone.
    bool write_all(std::string_view data, Millis bound);

    /// Reads until the unread text holds `pattern`; false when `bound` passes or the stream ends
    /// first.
    bool wait_for(std::string_view pattern, Millis bound);

    /// Reads until at least `count` bytes are unread; false when `bound` passes or the stream
    /// ends first.
    bool wait_for_size(std::size_t count, Millis bound);

    /// Reads until the other end closes; false when `bound` passes first.
    bool wait_for_end(Millis bound);

    /// Removes the unread text up to and including the first `pattern` and returns it; all of
    /// it when `pattern` is absent.
    std::string take_through(std::string_view pattern);

    /// Removes and returns all unread text.
    std::string take_all();

    /// Drops the first `count` unread bytes (all of them when fewer are unread).
    void consume(std::size_t count);

    /// Takes in what can be read without waiting (for a caller that polled the fd itself).
    void read_ready() { read_some(std::chrono::steady_clock::now()); }
    /// Reads everything that can be read without waiting: what an exited child left in its pipe.
    void read_available();

    const std::string& unread() const { return unread_; }
    bool ended() const { return ended_; }
    int fd() const { return fd_; }
    void close();

  private:
    using Deadline = std::chrono::steady_clock::time_point;
    /// Waits for bytes until `deadline` and appends what one read gives; false on timeout.
    bool read_some(Deadline deadline);

    int fd_ = -1;
    std::string unread_;
    bool ended_ = false;
};

}  // namespace atcoap::test
