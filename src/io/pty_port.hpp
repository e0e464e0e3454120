#pragma once
// The host on a pseudo-terminal: firmware under test opens /dev/pts/N (or the symlink) as if it
// were the module's UART. The port keeps one slave fd open itself: on Linux, reading the master
// fails with EIO while no slave is open, and the terminal settings would be lost between hosts;
// with the extra fd a host may close and reopen the slave and still find a raw line.
// Until the first host opens the slave, output waits in the terminal for it (the start-up
// banner a driver waits for), bounded by the shell's back-pressure. Once a host has come and
// gone, output with no host attached is discarded (a UART with nobody listening), and a host
// that opens the slave again finds nothing stale in it and a modem waiting for a command line.

#include <asio/posix/stream_descriptor.hpp>

#include "io/port.hpp"
#include "io/terminal_watch.hpp"

namespace atcoap::io {

class PtyPort final : public Port {
  public:
    /// `link`: a symlink to create at the slave's path (empty for none); an old symlink there is
    /// replaced, anything else is left alone and open() fails.
    PtyPort(asio::io_context& context, std::string link, Logger& log);
    ~PtyPort() override;

    Status<std::string> open(PortEvents& events) override;
    void write(Bytes bytes) override;
    bool drained() const override { return writer_.idle(); }
    std::size_t queued_bytes() const override { return writer_.queued_bytes(); }
    void pause_input() override { reader_.pause(); }
    void resume_input() override { reader_.resume(); }
    void close() override;
    std::string name() const override { return slave_path_; }

  private:
    using Descriptor = asio::posix::stream_descriptor;

    Status<std::string> open_pair();
    Status<std::string> make_link();
    void remove_link();
    void on_host_opened();
    void on_host_gone();
    void discard_output();

    std::string link_;
    Logger& log_;
    Descriptor master_;
    int slave_fd_ = -1;
    TerminalWatch hosts_;
    bool host_seen_ = false;  // a host has opened the slave since the port opened
    std::string slave_path_;
    bool linked_ = false;
    PortEvents* events_ = nullptr;
    ReadLoop<Descriptor> reader_;
    WriteQueue<Descriptor> writer_;
};

}  // namespace atcoap::io
