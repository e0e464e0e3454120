#pragma once
// The host over TCP: a listening socket that serves one host connection at a time, like the one
// UART of a real module. A second host gets a one-line refusal and is closed; when the host
// disconnects, the next connection is served. Output while no host is connected is dropped, as a
// UART with nothing attached would lose it.

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <string_view>
#include <utility>

#include "io/port.hpp"

namespace atcoap::io {

/// The line a refused second host reads before its connection closes.
inline constexpr std::string_view kPortBusyLine = "atcoap: AT port busy\r\n";

/// How long accepting pauses when the process or the system is out of descriptors or memory:
/// retrying at once would spin (the pending connection stays in the backlog and fails again).
inline constexpr std::chrono::milliseconds kAcceptPause{1000};

class TcpPort final : public Port {
  public:
    TcpPort(asio::io_context& context, std::string host, std::uint16_t port, Logger& log);
    ~TcpPort() override;

    Status<std::string> open(PortEvents& events) override;
    void write(Bytes bytes) override;
    bool drained() const override { return writer_.idle(); }
    std::size_t queued_bytes() const override { return writer_.queued_bytes(); }
    void pause_input() override { reader_.pause(); }
    void resume_input() override { reader_.resume(); }
    void close() override;
    /// "127.0.0.1:PORT" with the bound port (the kernel's choice when asked for 0).
    std::string name() const override;
    std::uint16_t local_port() const;

  private:
    using Socket = asio::ip::tcp::socket;

    Status<std::string> listen();
    void accept_next();
    void on_accept(std::error_code error, Socket peer);
    void pause_accepting(std::error_code error);
    void drop_host(const std::string& why);

    asio::io_context& context_;
    std::string host_name_;
    std::uint16_t port_;
    Logger& log_;
    asio::ip::tcp::acceptor acceptor_;
    asio::steady_timer accept_pause_;
    bool accept_failure_logged_ = false;
    Socket host_;
    bool connected_ = false;
    PortEvents* events_ = nullptr;
    ReadLoop<Socket> reader_;
    WriteQueue<Socket> writer_;
    std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace atcoap::io
