#pragma once
// `atcoap --pcap FILE` (docs/TRACES.md): the modem's datagrams as its observers see them on the
// wire (modem::Observer::on_wire), written to a pcap trace with the real addresses and ports of
// the client's socket, which the shell's UdpNetwork knows.

#include "io/pcap_trace.hpp"
#include "io/udp_network.hpp"
#include "modem/observer.hpp"

namespace atcoap::cli {

class WireTrace final : public modem::Observer {
  public:
    WireTrace(io::PcapTrace& trace, const io::UdpNetwork& network)
        : trace_(trace), network_(network) {}

    void on_wire(modem::Direction direction, net::SocketId socket, ByteView datagram) override {
        if (!trace_.active()) {
            return;
        }
        const auto ends = network_.ends(socket);
        if (!ends) {
            return;  // the socket closed before the datagram left: it never reached the wire
        }
        if (direction == modem::Direction::Sent) {
            trace_.record(io::trace_now(), ends->local, ends->remote, datagram);
        } else {
            trace_.record(io::trace_now(), ends->remote, ends->local, datagram);
        }
    }

  private:
    io::PcapTrace& trace_;
    const io::UdpNetwork& network_;
};

}  // namespace atcoap::cli
