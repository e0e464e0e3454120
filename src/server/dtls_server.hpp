#pragma once
// The DTLS listener of the test server (`atcoap server --dtls`): a UdpTransport (one Asio
// socket and one timer) around a DtlsCore and the ServerCore it feeds. Like UdpServer it only
// moves datagrams and time; the sessions and the answers are the cores' business.

#include <asio/io_context.hpp>
#include <cstddef>
#include <optional>
#include <string>

#include "base/log.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "server/dtls_core.hpp"
#include "server/impaired_core.hpp"
#include "server/server_core.hpp"
#include "server/udp_server.hpp"
#include "server/udp_transport.hpp"

namespace atcoap::server {

/// Where and how to listen for DTLS, from the command line.
struct DtlsListenerPlan {
    HostPort where;
    DtlsOptions options;
};

/// The DTLS listener `options` asks for: nullopt without --dtls; an error (one line for the
/// user) for --dtls without --psk, a malformed --psk or --dtls, an identity given twice, a hint
/// over 255 bytes, or --psk or --hint without --dtls.
/// Bounds the keys one --psk-file may hold (the listener looks them up linearly).
inline constexpr std::size_t kMaxPskFileEntries = 10'000;
/// Bounds the size of a --psk-file: 10,000 entries of a long identity and a 32-byte key fit,
/// and a file that is not a key file (a disk image given by mistake) is refused before it is read.
inline constexpr std::uintmax_t kMaxPskFileBytes = 4 * 1024 * 1024;

Result<std::optional<DtlsListenerPlan>, std::string> plan_dtls_listener(
    const ServerOptions& options);

class DtlsServer {
  public:
    /// `random` draws the cookie secret, the sessions' randoms and the core's message IDs.
    DtlsServer(asio::io_context& context, const DtlsOptions& options, Random& random, Logger& log,
               CoreOptions core = {}, const ServerImpairment& impairment = {});
    DtlsServer(const DtlsServer&) = delete;
    DtlsServer& operator=(const DtlsServer&) = delete;

    /// As UdpTransport::open and local_endpoint: bind and start receiving; the bound port.
    Status<std::string> open(const HostPort& where) { return transport_.open(where); }
    Endpoint local_endpoint() const { return transport_.local_endpoint(); }
    /// Sends close_notify to the established peers, then closes the socket and the timer;
    /// pending handlers end with operation_aborted.
    void close();
    /// As UdpTransport::set_tap: who hears every datagram (`--pcap`).
    void set_tap(DatagramTap* tap) { transport_.set_tap(tap); }

    std::size_t session_count() const { return dtls_.session_count(); }

  private:
    ServerCore core_;
    DtlsCore dtls_;
    DatagramCoreRef<DtlsCore> link_;  // before transport_, which holds a reference to it
    ImpairedCore impaired_;           // in front of link_: the air carries DTLS records
    UdpTransport transport_;
};

}  // namespace atcoap::server
