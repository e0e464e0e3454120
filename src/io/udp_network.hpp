#pragma once
// The core's UDP sockets (base/network.hpp) on Asio: asynchronous name resolution, so the AT
// port never stalls (docs/DIALECT.md §3), and one connected socket per CoAP client, so only its
// server's datagrams come back (RFC 7252 §5.3.2: the response's source is the request's
// destination).

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/log.hpp"
#include "base/network.hpp"
#include "io/pcap_trace.hpp"

namespace atcoap::io {

/// What the network reports back to its owner, on the loop's thread.
class NetworkEvents {
  public:
    virtual ~NetworkEvents() = default;
    virtual void on_socket_opened(net::SocketId socket, net::OpenResult result) = 0;
    virtual void on_datagram(net::SocketId socket, ByteView datagram) = 0;
};

class UdpNetwork {
  public:
    struct Options {
        /// The receive buffer (make_buffer()): the networks of one loop may share one, since the
        /// loop runs one handler at a time and the core copies what it keeps (a fleet's 10,000
        /// modems then hold one buffer, not 10,000); empty: this network allocates its own.
        std::shared_ptr<std::uint8_t[]> buffer;
        /// The local address every socket binds to before it connects (a fleet's --source);
        /// nullopt: the kernel picks, as for any connected socket.
        std::optional<asio::ip::address> source;
    };
    static std::shared_ptr<std::uint8_t[]> make_buffer();

    UdpNetwork(asio::io_context& context, NetworkEvents& events, Logger& log, Options options = {})
        : context_(context),
          events_(events),
          log_(log),
          buffer_(std::move(options.buffer)),
          source_(options.source) {}
    UdpNetwork(const UdpNetwork&) = delete;
    UdpNetwork& operator=(const UdpNetwork&) = delete;
    ~UdpNetwork() { close_all(); }

    void handle(net::Request request);
    void close_all();

    /// Stops taking datagrams from the sockets until resume_receiving(): they wait in the
    /// kernel's buffers, which drop what overflows, as the air loses what a module cannot take
    /// (the shell's back-pressure, docs/RUNNING.md "Limits").
    void pause_receiving();
    void resume_receiving();

    /// NAT rebinding (docs/FLEET.md, --rebind-every): the client's connected socket is replaced
    /// by a new one to the same peer from a new local port, unknown to the modem, as when a
    /// NAT's binding expires and the next datagram gets a new one. Datagrams still queued on the
    /// old port are lost, as those sent to an expired binding are. False when the client has no
    /// connected socket, or the new one cannot be made (the old one is kept then).
    bool rebind(int client);
    /// rebind() of every client with a connected socket; how many were moved.
    std::size_t rebind_all();

    /// The local port of a client's socket, 0 when it has none (for tests and logs).
    std::uint16_t local_port(int client) const;

    /// The local and remote end of a connected socket, for a trace (`--pcap`); nullopt when
    /// the socket is not connected (yet, or any more).
    struct Ends {
        IpEndpoint local;
        IpEndpoint remote;
    };
    std::optional<Ends> ends(net::SocketId id) const;

  private:
    struct Socket;

    void open(const net::OpenSocket& request);
    void resolve(const std::shared_ptr<Socket>& socket, const std::string& host,
                 std::uint16_t port);
    void connect(const std::shared_ptr<Socket>& socket, const asio::ip::udp::endpoint& peer);
    void send(const net::SendDatagram& request);
    void close(net::SocketId id);
    void receive(const std::shared_ptr<Socket>& socket);
    std::shared_ptr<Socket> find(net::SocketId id) const;

    asio::io_context& context_;
    NetworkEvents& events_;
    Logger& log_;
    std::map<int, std::shared_ptr<Socket>> sockets_;  // by client ID
    std::shared_ptr<std::uint8_t[]> buffer_;          // every socket's receive buffer
    std::optional<asio::ip::address> source_;
    bool paused_ = false;
};

}  // namespace atcoap::io
