#pragma once
// The DTLS listener of the test server (`atcoap server --dtls`): one Asio socket and one timer
// around a DtlsCore and the ServerCore it feeds. Like UdpServer it only moves datagrams and
// time; the sessions and the answers are the cores' business.

#include <array>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "base/log.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "server/dtls_core.hpp"
#include "server/server_core.hpp"
#include "server/udp_server.hpp"

namespace atcoap::server {

/// Where and how to listen for DTLS, from the command line.
struct DtlsListenerPlan {
    HostPort where;
    DtlsOptions options;
};

/// The DTLS listener `options` asks for: nullopt without --dtls; an error (one line for the
/// user) for --dtls without --psk, a malformed --psk or --dtls, an identity given twice, a hint
/// over 255 bytes, or --psk or --hint without --dtls.
Result<std::optional<DtlsListenerPlan>, std::string> plan_dtls_listener(
    const ServerOptions& options);

class DtlsServer {
  public:
    /// `random` draws the cookie secret, the sessions' randoms and the core's message IDs.
    DtlsServer(asio::io_context& context, const DtlsOptions& options, Random& random, Logger& log,
               CoreOptions core = {});
    DtlsServer(const DtlsServer&) = delete;
    DtlsServer& operator=(const DtlsServer&) = delete;

    /// Resolves and binds `where`, then starts receiving. The error is one line for the user.
    Status<std::string> open(const HostPort& where);
    /// The bound address and port (the chosen one when port 0 was asked for).
    Endpoint local_endpoint() const;
    /// Sends close_notify to the established peers, then closes the socket and the timer;
    /// pending handlers end with operation_aborted.
    void close();

    std::size_t session_count() const { return dtls_.session_count(); }

  private:
    void receive();
    void on_received(const asio::error_code& error, std::size_t size);
    void flush();
    void arm_timer();
    void on_timer(const asio::error_code& error);

    asio::io_context& context_;
    Logger& log_;
    ServerCore core_;
    DtlsCore dtls_;
    asio::ip::udp::socket socket_;
    asio::steady_timer timer_;
    asio::ip::udp::endpoint sender_;
    std::optional<TimePoint> armed_;
    std::array<std::uint8_t, 65536> buffer_{};
};

}  // namespace atcoap::server
