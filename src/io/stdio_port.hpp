#pragma once
// The host on standard input and output (or any pair of fds, so tests can pass pipes). When the
// input is a terminal it goes to raw mode for the run: Ctrl+Z (0x1A) ends a data phase and ESC
// cancels it (the note's data mode), so the tty must not turn them into signals or edits.

#include <asio/posix/stream_descriptor.hpp>

#include "io/port.hpp"

namespace atcoap::io {

class StdioPort final : public Port {
  public:
    /// The fds stay the caller's: the port works on duplicates and puts their flags back.
    StdioPort(asio::io_context& context, int in_fd, int out_fd, Logger& log);
    ~StdioPort() override;

    Status<std::string> open(PortEvents& events) override;
    void write(Bytes bytes) override;
    bool drained() const override { return writer_.idle(); }
    std::size_t queued_bytes() const override { return writer_.queued_bytes(); }
    void pause_input() override { reader_.pause(); }
    void resume_input() override { reader_.resume(); }
    void close() override;
    std::string name() const override { return "stdio"; }

  private:
    using Descriptor = asio::posix::stream_descriptor;

    Status<std::string> assign(Descriptor& descriptor, int fd, int& saved_flags);

    int in_fd_;
    int out_fd_;
    Logger& log_;
    Descriptor in_;
    Descriptor out_;
    RawMode raw_;
    int in_flags_ = -1;
    int out_flags_ = -1;
    PortEvents* events_ = nullptr;
    ReadLoop<Descriptor> reader_;
    WriteQueue<Descriptor> writer_;
};

}  // namespace atcoap::io
