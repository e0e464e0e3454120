#pragma once
// A trace of datagrams in a pcap file Wireshark and tshark open (docs/TRACES.md): libpcap writes
// the file (pcap_open_dead, pcap_dump_open, pcap_dump), one record per datagram as a synthesized
// IPv4 or IPv6 packet with its UDP header (LINKTYPE_RAW), carrying the real addresses and ports.
//
// Bounds and failures: the file grows with the traffic and is flushed after every datagram, so
// a run that is killed leaves a readable file. A write that fails (the disk is full, the file
// system went away) is logged once at Error, the trace closes and stops, and the caller goes on
// without it. A file that cannot be created is an error of open(), for the caller to report.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/result.hpp"

namespace atcoap::io {

/// One end of a UDP datagram: an IPv4 or IPv6 address in network order, and a port.
struct IpEndpoint {
    std::array<std::uint8_t, 16> address{};  // IPv4: the first 4 bytes
    bool v6 = false;
    std::uint16_t port = 0;

    /// "127.0.0.1", "::1"; an IPv4-mapped IPv6 address ("::ffff:127.0.0.1") becomes IPv4, so
    /// that both ends of a packet have one family. nullopt when it is not an address.
    static std::optional<IpEndpoint> parse(const std::string& address, std::uint16_t port);
};

/// The largest payload a synthesized packet carries: the IPv4 total length is 16 bits.
inline constexpr std::size_t kMaxTracedPayload = 65535 - 20 - 8;

/// The IP packet (RFC 791 or RFC 8200) with its UDP header (RFC 768) that carried `payload`
/// from `from` to `to`: TTL or hop limit 64, the IPv4 header checksum and the UDP checksum
/// computed. Empty when the ends' families differ or the payload is over kMaxTracedPayload.
Bytes udp_packet(const IpEndpoint& from, const IpEndpoint& to, ByteView payload);

/// The time of a trace record: the monotonic clock the shell runs on (io/clock.hpp), anchored
/// once to the wall clock, so records are in order and a wall-clock step cannot reorder them.
std::chrono::system_clock::time_point trace_now();

class PcapTrace {
  public:
    /// Creates (or truncates) `path` and writes the pcap file header; the reason on failure.
    static Result<std::unique_ptr<PcapTrace>, std::string> open(const std::string& path,
                                                                Logger& log);
    ~PcapTrace();
    PcapTrace(const PcapTrace&) = delete;
    PcapTrace& operator=(const PcapTrace&) = delete;

    /// Writes one datagram at `when`; nothing once the trace has stopped.
    void record(std::chrono::system_clock::time_point when, const IpEndpoint& from,
                const IpEndpoint& to, ByteView payload);
    /// False once a write failed and the trace stopped.
    bool active() const { return dumper_ != nullptr; }
    const std::string& path() const { return path_; }

  private:
    PcapTrace(std::string path, Logger& log, void* dead, void* dumper);
    void stop(const std::string& why);

    std::string path_;
    Logger& log_;
    void* dead_;    // pcap_t*
    void* dumper_;  // pcap_dumper_t*
};

}  // namespace atcoap::io
