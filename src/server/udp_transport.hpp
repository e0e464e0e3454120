#pragma once
// The Asio side both listeners of the test server share (docs/ARCHITECTURE.md: a thin I/O shell
// around a pure core): one UDP socket, one receive buffer and one timer armed at the core's next
// deadline. It only moves datagrams and time; UdpServer puts a ServerCore behind it, DtlsServer
// a DtlsCore in front of its own ServerCore.

#include <array>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/host_port.hpp"
#include "base/log.hpp"
#include "base/result.hpp"
#include "base/time.hpp"
#include "server/endpoint.hpp"
#include "server/server_core.hpp"

namespace atcoap::server {

/// What a transport drives: the sans-IO surface ServerCore and DtlsCore have in common.
class DatagramCore {
  public:
    virtual ~DatagramCore() = default;
    virtual void on_datagram(const Endpoint& peer, ByteView datagram, TimePoint now) = 0;
    virtual void on_timeout(TimePoint now) = 0;
    virtual std::optional<TimePoint> next_deadline() const = 0;
    virtual std::vector<Datagram> take_datagrams() = 0;
};

/// A DatagramCore that forwards to a core with those four members, so the cores themselves
/// need no base class and no virtual calls.
template <typename Core>
class DatagramCoreRef final : public DatagramCore {
  public:
    explicit DatagramCoreRef(Core& core) : core_(core) {}

    void on_datagram(const Endpoint& peer, ByteView datagram, TimePoint now) override {
        core_.on_datagram(peer, datagram, now);
    }
    void on_timeout(TimePoint now) override { core_.on_timeout(now); }
    std::optional<TimePoint> next_deadline() const override { return core_.next_deadline(); }
    std::vector<Datagram> take_datagrams() override { return core_.take_datagrams(); }

  private:
    Core& core_;
};

/// Hears every datagram a transport receives and sends, with both ends (`atcoap server --pcap`).
class DatagramTap {
  public:
    virtual ~DatagramTap() = default;
    virtual void on_datagram(bool sent, const Endpoint& local, const Endpoint& peer,
                             ByteView datagram) = 0;
};

class UdpTransport {
  public:
    /// `label` starts the transport's own Debug lines: "DTLS " gives "DTLS receive: ...".
    UdpTransport(asio::io_context& context, DatagramCore& core, Logger& log,
                 std::string label = {});
    UdpTransport(const UdpTransport&) = delete;
    UdpTransport& operator=(const UdpTransport&) = delete;

    /// Resolves and binds `where`, then starts receiving. The error is one line for the user.
    Status<std::string> open(const HostPort& where);
    /// The bound address and port (the chosen one when port 0 was asked for).
    Endpoint local_endpoint() const;
    bool is_open() const { return socket_.is_open(); }
    /// Sends what the core has queued and re-arms the timer. The transport does this after
    /// every datagram and timeout; the owner calls it after feeding the core itself.
    void flush();
    /// Closes the socket and the timer; pending handlers end with operation_aborted.
    void close();
    /// Who hears every datagram from now on; nullptr: nobody.
    void set_tap(DatagramTap* tap) { tap_ = tap; }

  private:
    void receive();
    void on_received(const asio::error_code& error, std::size_t size);
    void arm_timer();
    void on_timer(const asio::error_code& error);

    asio::io_context& context_;
    DatagramCore& core_;
    Logger& log_;
    std::string label_;
    asio::ip::udp::socket socket_;
    asio::steady_timer timer_;
    asio::ip::udp::endpoint sender_;
    std::optional<TimePoint> armed_;
    DatagramTap* tap_ = nullptr;
    Endpoint local_;  // the bound end, for the tap
    std::array<std::uint8_t, 65536> buffer_{};
};

}  // namespace atcoap::server
