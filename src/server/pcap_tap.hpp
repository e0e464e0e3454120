#pragma once
// `atcoap server --pcap FILE` (docs/TRACES.md): every datagram the listeners receive and send,
// written to a pcap trace with the listener's bound address and the peer's.

#include "io/pcap_trace.hpp"
#include "server/udp_transport.hpp"

namespace atcoap::server {

class PcapTap final : public DatagramTap {
  public:
    explicit PcapTap(io::PcapTrace& trace) : trace_(trace) {}

    void on_datagram(bool sent, const Endpoint& local, const Endpoint& peer,
                     ByteView datagram) override {
        const auto here = io::IpEndpoint::parse(local.address, local.port);
        const auto there = io::IpEndpoint::parse(peer.address, peer.port);
        if (!here || !there) {
            return;  // the transport's own text of an address: always parses
        }
        if (sent) {
            trace_.record(io::trace_now(), *here, *there, datagram);
        } else {
            trace_.record(io::trace_now(), *there, *here, datagram);
        }
    }

  private:
    io::PcapTrace& trace_;
};

}  // namespace atcoap::server
