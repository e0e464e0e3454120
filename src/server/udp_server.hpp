#pragma once
// The plain UDP transport of the test server: one Asio socket and one timer around ServerCore.
// It only moves datagrams and time; what the server answers is the core's business, so a DTLS
// listener can later feed the same kind of core from its own transport.

#include <array>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/log.hpp"
#include "base/result.hpp"
#include "server/server_core.hpp"

namespace atcoap::server {

/// What `atcoap server` takes from the command line.
struct ServerOptions {
    std::string listen = "127.0.0.1:5683";  // HOST:PORT or [IPV6]:PORT; port 0 picks one
    double loss = 0;                        // fraction of outgoing datagrams dropped, 0 to 1
    std::optional<std::uint64_t> seed;      // for the loss and message-ID draws; else random
    // The DTLS listener (dtls_server.hpp) beside the plain one; braces keep short aggregate
    // initializations free of missing-initializer warnings.
    std::string dtls{};               // HOST:PORT; empty: none
    std::vector<std::string> psks{};  // IDENTITY:HEXKEY each, at least one with --dtls
    std::string hint{};               // PSK identity hint; empty: none sent
};

/// Serves on `options.listen`, and with `options.dtls` also DTLS there, until SIGINT or SIGTERM,
/// logging one line per request and per DTLS handshake to standard error ("atcoap server:
/// listening on 127.0.0.1:5683", "GET / from 127.0.0.1:40000 -> 2.05", "DTLS session with
/// 127.0.0.1:40001: TLS-PSK-WITH-AES-128-CCM-8").
/// Returns 0 after a signal, 1 when a socket cannot be opened, 2 for invalid options.
int run_server(const ServerOptions& options);

struct HostPort {
    std::string host;
    std::uint16_t port = 0;
};

/// "HOST:PORT" or "[IPV6]:PORT" split into its parts; the error says what is wrong.
Result<HostPort, std::string> parse_host_port(std::string_view text);

/// Writes "atcoap server: LINE\n" to standard error for Info and above.
class StderrLogger final : public Logger {
  public:
    void log(LogLevel level, std::string_view line) override;
};

class UdpServer {
  public:
    UdpServer(asio::io_context& context, ServerCore& core, Logger& log);
    UdpServer(const UdpServer&) = delete;
    UdpServer& operator=(const UdpServer&) = delete;

    /// Resolves and binds `where`, then starts receiving. The error is one line for the user.
    Status<std::string> open(const HostPort& where);
    /// The bound address and port (the chosen one when port 0 was asked for).
    Endpoint local_endpoint() const;
    /// Closes the socket and the timer; pending handlers end with operation_aborted.
    void close();

  private:
    void receive();
    void on_received(const asio::error_code& error, std::size_t size);
    void flush();
    void arm_timer();
    void on_timer(const asio::error_code& error);

    asio::io_context& context_;
    ServerCore& core_;
    Logger& log_;
    asio::ip::udp::socket socket_;
    asio::steady_timer timer_;
    asio::ip::udp::endpoint sender_;
    std::optional<TimePoint> armed_;
    std::array<std::uint8_t, 65536> buffer_{};
};

}  // namespace atcoap::server
