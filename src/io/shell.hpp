#pragma once
// The event loop around the modem core (docs/ARCHITECTURE.md, "Data flow"): it reads host bytes and
// calls in with the monotonic clock's now, drains the core's output to the port after every
// call, and keeps one timer armed no later than the core's next deadline. Everything runs on one
// thread.

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/log.hpp"
#include "base/result.hpp"
#include "io/host_core.hpp"
#include "io/port.hpp"
#include "io/stderr_logger.hpp"
#include "io/udp_network.hpp"

namespace atcoap::io {

/// How many bytes may wait for a host that does not read (a firmware stopped in a debugger)
/// before the shell stops feeding the core: a module's UART buffer holds a few KiB, then data
/// is lost. Past it, host input and datagrams are no longer read (the kernel's buffers fill
/// and then drop datagrams, as the air does) until the host has read everything; output the
/// core makes meanwhile on its own (retransmission reports) is bounded by its open exchanges.
inline constexpr std::size_t kHostOutputLimit = 64 * 1024;

class Shell final : private PortEvents, private NetworkEvents {
  public:
    /// Logs to standard error.
    Shell(HostCore& core, PortOptions options);
    Shell(HostCore& core, PortOptions options, Logger& log);
    /// Makes the port on the shell's loop: a host in this process (a script's runner). Such a
    /// port is not announced on standard error.
    using PortFactory = std::function<std::unique_ptr<Port>(asio::io_context&, Logger&)>;
    Shell(HostCore& core, const PortFactory& make_port, Logger& log);
    ~Shell() override;
    Shell(const Shell&) = delete;
    Shell& operator=(const Shell&) = delete;

    /// Opens the port and starts listening for SIGINT, SIGTERM and SIGHUP. A pseudo-terminal,
    /// TCP or serial port is announced on standard error as "atcoap: AT port on NAME".
    /// Opening twice is a no-op.
    Status<std::string> open();

    /// Opens if needed, then serves until the host input ends and the core is idle (exit 0), a
    /// signal (exit 0) or a port failure (exit 1). The port is closed on return: the terminal
    /// settings are back and the pseudo-terminal's symlink is gone.
    int run();

    /// Opens if needed, then runs the loop until `done()` holds, the shell finishes or `bound`
    /// passes; returns done(). For tests, which must never wait without a bound.
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds bound);

    /// The exit code once the shell has finished.
    std::optional<int> exit_code() const { return exit_code_; }
    /// "/dev/pts/N", "127.0.0.1:PORT", "stdio" or the serial device; empty before open().
    std::string port_name() const;
    asio::io_context& context() { return context_; }
    /// The core's sockets, for a trace that needs their addresses.
    const UdpNetwork& network() const { return network_; }

    /// Something besides the port and the network called the core (the control socket): drain
    /// its outboxes and re-arm the timer, as after any call.
    void core_changed() {
        if (opened_ && !exit_code_) {
            after_core_call();
        }
    }
    /// Ends the loop with `code`, as a signal does (the control socket's quit).
    void stop(int code) { finish(code); }

  private:
    void on_port_bytes(ByteView bytes) override;
    void on_port_end(std::error_code error) override;
    void on_port_drained() override;
    void on_host_attached() override;
    void on_socket_opened(net::SocketId socket, net::OpenResult result) override;
    void on_datagram(net::SocketId socket, ByteView datagram) override;

    void after_core_call();
    void write_to_host(Bytes output);
    void resume_after_stall();
    void arm_timer();
    void on_timer(unsigned generation);
    void wait_for_signal();
    void maybe_finish();
    void finish(int code);

    HostCore& core_;
    PortOptions options_;
    StderrLogger stderr_log_{"atcoap: "};  // every level
    Logger& log_;
    asio::io_context context_;
    asio::steady_timer timer_;
    asio::signal_set signals_;
    std::unique_ptr<Port> port_;
    UdpNetwork network_;
    bool opened_ = false;
    std::optional<TimePoint> armed_;
    unsigned timer_generation_ = 0;
    bool input_ended_ = false;
    bool host_stalled_ = false;  // output over kHostOutputLimit: input and network paused
    bool finishing_ = false;
    std::optional<int> exit_code_;
    std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace atcoap::io
