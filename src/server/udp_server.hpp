#pragma once
// The plain UDP listener of the test server: a UdpTransport (one Asio socket and one timer)
// around ServerCore. It only moves datagrams and time; what the server answers is the core's
// business, and the DTLS listener (dtls_server.hpp) feeds the same kind of core.

#include <asio/io_context.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/log.hpp"
#include "base/result.hpp"
#include "server/impaired_core.hpp"
#include "server/server_core.hpp"
#include "server/udp_transport.hpp"

namespace atcoap::server {

/// What `atcoap server` takes from the command line.
struct ServerOptions {
    std::string listen = "127.0.0.1:5683";  // HOST:PORT or [IPV6]:PORT; port 0 picks one
    double loss = 0;                        // fraction of outgoing datagrams dropped, 0 to 1
    std::optional<std::uint64_t> seed;      // for the loss and message-ID draws; else random
    // The DTLS listener (dtls_server.hpp) beside the plain one; braces keep short aggregate
    // initializations free of missing-initializer warnings.
    std::string dtls{};               // HOST:PORT; empty: none
    std::vector<std::string> psks{};  // IDENTITY:HEXKEY each; with --dtls, these or a file
    std::string psk_file{};           // one IDENTITY:HEXKEY per line: keys off the command line
    std::string hint{};               // PSK identity hint; empty: none sent
    std::string pcap{};               // a pcap trace of every datagram; empty: none
    // Network impairments (impaired_core.hpp): tc netem specs; empty: none.
    std::string netem{};
    std::string netem_up{};    // what the server receives
    std::string netem_down{};  // what the server sends
};

/// Serves on `options.listen`, and with `options.dtls` also DTLS there, until SIGINT or SIGTERM,
/// logging one line per request and per DTLS handshake to standard error ("atcoap server:
/// listening on 127.0.0.1:5683", "GET / from 127.0.0.1:40000 -> 2.05", "DTLS session with
/// 127.0.0.1:40001: TLS-PSK-WITH-AES-128-CCM-8").
/// Returns 0 after a signal, 1 when a socket cannot be opened, 2 for invalid options or a
/// `--pcap` file that cannot be created.
int run_server(const ServerOptions& options);

class UdpServer {
  public:
    UdpServer(asio::io_context& context, ServerCore& core, Logger& log,
              const ServerImpairment& impairment = {});
    UdpServer(const UdpServer&) = delete;
    UdpServer& operator=(const UdpServer&) = delete;

    /// As UdpTransport::open and local_endpoint: bind and start receiving; the bound port.
    Status<std::string> open(const HostPort& where) { return transport_.open(where); }
    Endpoint local_endpoint() const { return transport_.local_endpoint(); }
    /// As UdpTransport::close: pending handlers end with operation_aborted.
    void close() { transport_.close(); }
    /// As UdpTransport::set_tap: who hears every datagram (`--pcap`).
    void set_tap(DatagramTap* tap) { transport_.set_tap(tap); }

  private:
    DatagramCoreRef<ServerCore> core_;  // before transport_, which holds a reference to it
    ImpairedCore impaired_;             // in front of core_; passes through without a spec
    UdpTransport transport_;
};

}  // namespace atcoap::server
