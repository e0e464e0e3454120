#pragma once
// The modem core as the I/O shell drives it: bytes and time in, bytes and deadlines out
// (docs/ARCHITECTURE.md, "The boundary API"). Network calls (datagrams, name resolution) join this
// interface later; the shell drains every outbox in one place after each call.

#include <optional>
#include <vector>

#include "base/bytes.hpp"
#include "base/network.hpp"
#include "base/time.hpp"

namespace atcoap::io {

/// What the shell drives: the modem core (or a test double). Everything is called on the loop's
/// thread.
class HostCore {
  public:
    virtual ~HostCore() = default;
    virtual void on_host_bytes(ByteView bytes, TimePoint now) = 0;
    virtual void on_timeout(TimePoint now) = 0;
    virtual std::optional<TimePoint> next_deadline() const = 0;
    virtual Bytes take_host_output() = 0;
    /// Something is in flight (a data phase, a pending exchange): at the end of host input the
    /// shell keeps running timers until this clears or the core has no deadline left.
    virtual bool busy() const = 0;
    /// A new host is on the line (PortEvents::on_host_attached): drop the previous host's
    /// unread input, partial line, data phase and untaken output.
    virtual void on_host_attached(TimePoint) {}
    /// The shell is about to close everything: the core's last network requests (a DTLS
    /// close_notify) are sent before the sockets close.
    virtual void on_exit(TimePoint) {}

    // The network (base/network.hpp). A core without sockets keeps these defaults.
    virtual std::vector<net::Request> take_network_requests() { return {}; }
    virtual void on_socket_opened(net::SocketId, net::OpenResult, TimePoint) {}
    virtual void on_datagram(net::SocketId, ByteView, TimePoint) {}
};

/// A core with HostCore's member functions (the modem core, modem::Modem) as the shell drives it:
/// io knows no modem, so the program and the script targets name the core they wrap.
template <class Core>
class HostCoreOf final : public HostCore {
  public:
    explicit HostCoreOf(Core& core) : core_(core) {}
    void on_host_bytes(ByteView bytes, TimePoint now) override { core_.on_host_bytes(bytes, now); }
    void on_timeout(TimePoint now) override { core_.on_timeout(now); }
    std::optional<TimePoint> next_deadline() const override { return core_.next_deadline(); }
    Bytes take_host_output() override { return core_.take_host_output(); }
    bool busy() const override { return core_.busy(); }
    void on_host_attached(TimePoint now) override { core_.on_host_attached(now); }
    void on_exit(TimePoint now) override { core_.on_exit(now); }
    std::vector<net::Request> take_network_requests() override {
        return core_.take_network_requests();
    }
    void on_socket_opened(net::SocketId socket, net::OpenResult result, TimePoint now) override {
        core_.on_socket_opened(socket, result, now);
    }
    void on_datagram(net::SocketId socket, ByteView datagram, TimePoint now) override {
        core_.on_datagram(socket, datagram, now);
    }

  private:
    Core& core_;
};

}  // namespace atcoap::io
