#pragma once
// The host side of the modem: one byte stream (stdio, pseudo-terminal, TCP or serial line) that
// the shell reads into the core and writes the core's output to. Each kind lives in its own file;
// this header holds what they share: options, the port interface, raw tty mode, and the read
// loop and write queue over any Asio stream.

#include <termios.h>
#include <unistd.h>

#include <array>
#include <asio/buffer.hpp>
#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/write.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/result.hpp"

namespace atcoap::io {

enum class PortKind { Stdio, Pty, Tcp, Serial };

struct PortOptions {
    PortKind kind = PortKind::Stdio;
    int stdin_fd = STDIN_FILENO;  // Stdio: any readable fd (tests pass a pipe or socket)
    int stdout_fd = STDOUT_FILENO;
    std::string pty_link;  // Pty: optional symlink to the slave, removed at exit
    std::string tcp_host = "127.0.0.1";
    std::uint16_t tcp_port = 0;  // 0: the kernel picks one (see Port::name)
    std::string serial_device;
    unsigned serial_baud = 115200;
};

/// What a port reports to its owner, on the loop's thread.
class PortEvents {
  public:
    virtual ~PortEvents() = default;
    virtual void on_port_bytes(ByteView bytes) = 0;
    /// No host input will ever come again: end of file (error empty) or a failure.
    virtual void on_port_end(std::error_code error) = 0;
    /// Everything written so far has reached the device.
    virtual void on_port_drained() = 0;
    /// A host came on the line after an earlier one left (a TCP connection, a terminal opened
    /// again): what it finds must not be the earlier host's half-typed line or data phase.
    virtual void on_host_attached() {}
};

class Port {
  public:
    virtual ~Port() = default;
    /// Opens the device and starts reading; the reason on failure.
    virtual Status<std::string> open(PortEvents& events) = 0;
    /// Queues bytes for the host, in order; never blocks.
    virtual void write(Bytes bytes) = 0;
    virtual bool drained() const = 0;
    /// Bytes written and not yet taken by the device.
    virtual std::size_t queued_bytes() const = 0;
    /// Stops reading host input until resume_input(); a read already under way still delivers
    /// its bytes (at most one buffer). The shell's back-pressure (docs/RUNNING.md, "Limits").
    virtual void pause_input() = 0;
    virtual void resume_input() = 0;
    /// Stops I/O and undoes what open did (tty settings, symlink). Safe to call twice.
    virtual void close() = 0;
    /// What the host connects to: "/dev/pts/3", "127.0.0.1:5683", "stdio", "/dev/ttyUSB0".
    virtual std::string name() const = 0;
};

std::unique_ptr<Port> make_port(asio::io_context& context, const PortOptions& options, Logger& log);

/// Raw mode as cfmakeraw sets it: no signals from keys (Ctrl+Z and ESC reach the modem), no
/// canonical lines, no tty echo (the modem echoes), no CR/NL or flow-control translation.
void make_raw(termios& settings);

/// Raw mode, but Ctrl+C still raises SIGINT; suspend (Ctrl+Z) and quit (Ctrl+\) keys are off.
void keep_interrupt_key(termios& settings);

/// Puts a terminal in raw mode and restores its settings when destroyed.
class RawMode {
  public:
    RawMode() = default;
    /// KeepCtrlC: a person at a terminal can still end atcoap with Ctrl+C (SIGINT, a clean
    /// exit); Ctrl+Z and Ctrl+\ stay plain bytes for the modem. Raw: every key is a byte.
    enum class Interrupt { Raw, KeepCtrlC };
    static Result<RawMode, std::error_code> enter(int fd, Interrupt interrupt = Interrupt::Raw);
    RawMode(RawMode&& other) noexcept;
    RawMode& operator=(RawMode&& other) noexcept;
    RawMode(const RawMode&) = delete;
    RawMode& operator=(const RawMode&) = delete;
    ~RawMode();

    void restore();
    bool active() const { return fd_ >= 0; }

  private:
    RawMode(int fd, const termios& saved) : fd_(fd), saved_(saved) {}

    int fd_ = -1;
    termios saved_{};
};

/// Reads a stream until stopped, end of file or error. Handlers that complete after stop() or
/// after destruction are ignored (the generation and the weak lifeline tell).
template <class Stream>
class ReadLoop {
  public:
    using BytesHandler = std::function<void(ByteView)>;
    using EndHandler = std::function<void(std::error_code)>;  // empty: end of file

    ReadLoop(Stream& stream, BytesHandler on_bytes, EndHandler on_end)
        : stream_(stream), on_bytes_(std::move(on_bytes)), on_end_(std::move(on_end)) {}

    void start() {
        ++generation_;
        running_ = true;
        reading_ = false;
        if (!paused_) {
            read_next();
        }
    }
    void stop() {
        ++generation_;
        running_ = false;
        reading_ = false;
    }
    /// No new read starts until resume(); one under way completes and delivers its bytes.
    void pause() { paused_ = true; }
    /// Reads again, if started and not stopped meanwhile.
    void resume() {
        paused_ = false;
        if (running_ && !reading_) {
            read_next();
        }
    }

  private:
    void read_next() {
        reading_ = true;
        stream_.async_read_some(
            asio::buffer(buffer_), [this, generation = generation_, life = std::weak_ptr(life_)](
                                       std::error_code error, std::size_t size) {
                if (life.expired() || generation != generation_) {
                    return;
                }
                reading_ = false;
                if (size > 0) {
                    on_bytes_(ByteView{buffer_.data(), size});
                }
                if (generation != generation_) {
                    return;  // the bytes' handler stopped this loop
                }
                if (error) {
                    ++generation_;
                    running_ = false;
                    on_end_(error == asio::error::eof ? std::error_code{} : error);
                    return;
                }
                if (!paused_) {
                    read_next();
                }
            });
    }

    Stream& stream_;
    BytesHandler on_bytes_;
    EndHandler on_end_;
    std::array<std::uint8_t, 4096> buffer_{};
    unsigned generation_ = 0;
    bool running_ = false;  // started, and neither stopped nor ended
    bool reading_ = false;  // a read is under way
    bool paused_ = false;
    std::shared_ptr<char> life_ = std::make_shared<char>();
};

/// Writes queued bytes one async_write at a time, keeping their order. `on_done` hears an empty
/// error when the queue drains and the error when a write fails (the queue is then dropped).
template <class Stream>
class WriteQueue {
  public:
    using DoneHandler = std::function<void(std::error_code)>;

    WriteQueue(Stream& stream, DoneHandler on_done)
        : stream_(stream), on_done_(std::move(on_done)) {}

    void push(Bytes bytes) {
        if (bytes.empty()) {
            return;
        }
        queued_ += bytes.size();
        pending_.push_back(std::move(bytes));
        if (!writing_) {
            write_next();
        }
    }
    bool idle() const { return !writing_ && pending_.empty(); }
    /// Bytes pushed and not yet written, the write in flight included.
    std::size_t queued_bytes() const { return queued_; }
    /// Forgets pending bytes and any write in flight (the host went away).
    void clear() {
        pending_.clear();
        queued_ = 0;
        writing_ = false;
        ++generation_;
    }

  private:
    void write_next() {
        // One buffer per write: it lives in the handler, so clear() cannot free it under the OS.
        auto chunk = std::make_shared<Bytes>(std::move(pending_.front()));
        pending_.pop_front();
        for (; !pending_.empty(); pending_.pop_front()) {
            chunk->insert(chunk->end(), pending_.front().begin(), pending_.front().end());
        }
        writing_ = true;
        asio::async_write(stream_, asio::buffer(*chunk),
                          [this, chunk, generation = generation_, life = std::weak_ptr(life_)](
                              std::error_code error, std::size_t) {
                              if (life.expired() || generation != generation_) {
                                  return;
                              }
                              writing_ = false;
                              queued_ -= chunk->size();
                              if (error) {
                                  pending_.clear();
                                  queued_ = 0;
                              } else if (!pending_.empty()) {
                                  write_next();
                                  return;
                              }
                              on_done_(error);
                          });
    }

    Stream& stream_;
    DoneHandler on_done_;
    std::deque<Bytes> pending_;
    std::size_t queued_ = 0;
    bool writing_ = false;
    unsigned generation_ = 0;
    std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace atcoap::io
