#include "io/pcap_trace.hpp"

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace atcoap::io {

namespace {

constexpr std::uint8_t kUdp = 17;
constexpr std::uint8_t kTtl = 64;
constexpr int kSnapLength = 65535;

void put16(Bytes& out, std::size_t at, std::uint32_t value) {
    out[at] = static_cast<std::uint8_t>(value >> 8);
    out[at + 1] = static_cast<std::uint8_t>(value);
}

/// The one's-complement sum of 16-bit big-endian words (RFC 1071), not yet folded.
std::uint32_t add_words(std::uint32_t sum, const std::uint8_t* data, std::size_t size) {
    for (std::size_t i = 0; i + 1 < size; i += 2) {
        sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
    }
    if (size % 2 == 1) {
        sum += static_cast<std::uint32_t>(data[size - 1] << 8);
    }
    return sum;
}

std::uint16_t fold(std::uint32_t sum) {
    while (sum >> 16 != 0) {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum);
}

std::size_t address_size(const IpEndpoint& end) {
    return end.v6 ? 16 : 4;
}

/// The IPv4 header (RFC 791): no options, DF set, identification 0 as for a DF packet.
void write_ipv4_header(Bytes& packet, const IpEndpoint& from, const IpEndpoint& to) {
    packet[0] = 0x45;
    put16(packet, 2, static_cast<std::uint32_t>(packet.size()));
    packet[6] = 0x40;
    packet[8] = kTtl;
    packet[9] = kUdp;
    std::memcpy(&packet[12], from.address.data(), 4);
    std::memcpy(&packet[16], to.address.data(), 4);
    put16(packet, 10, fold(add_words(0, packet.data(), 20)));
}

/// The IPv6 header (RFC 8200): no extension headers, flow label 0.
void write_ipv6_header(Bytes& packet, const IpEndpoint& from, const IpEndpoint& to) {
    packet[0] = 0x60;
    put16(packet, 4, static_cast<std::uint32_t>(packet.size() - 40));
    packet[6] = kUdp;
    packet[7] = kTtl;
    std::memcpy(&packet[8], from.address.data(), 16);
    std::memcpy(&packet[24], to.address.data(), 16);
}

/// The UDP checksum over the pseudo-header of RFC 768 (IPv4) or RFC 8200 §8.1 (IPv6); a
/// computed 0 is sent as 0xFFFF.
std::uint16_t udp_checksum(const IpEndpoint& from, const IpEndpoint& to, const std::uint8_t* udp,
                           std::size_t udp_size) {
    std::uint32_t sum = add_words(0, from.address.data(), address_size(from));
    sum = add_words(sum, to.address.data(), address_size(to));
    sum += kUdp;
    sum += static_cast<std::uint32_t>(udp_size);
    const std::uint16_t folded = fold(add_words(sum, udp, udp_size));
    return folded == 0 ? 0xFFFF : folded;
}

}  // namespace

std::optional<IpEndpoint> IpEndpoint::parse(const std::string& address, std::uint16_t port) {
    IpEndpoint end;
    end.port = port;
    if (::inet_pton(AF_INET, address.c_str(), end.address.data()) == 1) {
        return end;
    }
    if (::inet_pton(AF_INET6, address.c_str(), end.address.data()) != 1) {
        return std::nullopt;
    }
    static constexpr std::array<std::uint8_t, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::equal(kMapped.begin(), kMapped.end(), end.address.begin())) {
        std::memmove(end.address.data(), end.address.data() + 12, 4);
        std::fill(end.address.begin() + 4, end.address.end(), 0);
        return end;
    }
    end.v6 = true;
    return end;
}

Bytes udp_packet(const IpEndpoint& from, const IpEndpoint& to, ByteView payload) {
    if (from.v6 != to.v6 || payload.size() > kMaxTracedPayload) {
        return {};
    }
    const std::size_t ip_size = from.v6 ? 40 : 20;
    const std::size_t udp_size = 8 + payload.size();
    Bytes packet(ip_size + udp_size, 0);
    std::uint8_t* udp = packet.data() + ip_size;
    put16(packet, ip_size, from.port);
    put16(packet, ip_size + 2, to.port);
    put16(packet, ip_size + 4, static_cast<std::uint32_t>(udp_size));
    std::copy(payload.begin(), payload.end(), udp + 8);
    put16(packet, ip_size + 6, udp_checksum(from, to, udp, udp_size));
    if (from.v6) {
        write_ipv6_header(packet, from, to);
    } else {
        write_ipv4_header(packet, from, to);
    }
    return packet;
}

std::chrono::system_clock::time_point trace_now() {
    static const auto wall_start = std::chrono::system_clock::now();
    static const auto steady_start = std::chrono::steady_clock::now();
    return wall_start + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                            std::chrono::steady_clock::now() - steady_start);
}

Result<std::unique_ptr<PcapTrace>, std::string> PcapTrace::open(const std::string& path,
                                                                Logger& log) {
    pcap_t* dead = ::pcap_open_dead(DLT_RAW, kSnapLength);
    if (dead == nullptr) {
        return fail(std::string("libpcap cannot make a capture handle"));
    }
    pcap_dumper_t* dumper = ::pcap_dump_open(dead, path.c_str());
    if (dumper == nullptr) {
        std::string why = ::pcap_geterr(dead);
        ::pcap_close(dead);
        return fail(why);
    }
    // The header is in the stdio buffer: flushing it now finds an unwritable file at start.
    if (::pcap_dump_flush(dumper) != 0) {
        const std::string why = std::strerror(errno);
        ::pcap_dump_close(dumper);
        ::pcap_close(dead);
        return fail(path + ": " + why);
    }
    return std::unique_ptr<PcapTrace>(new PcapTrace(path, log, dead, dumper));
}

PcapTrace::PcapTrace(std::string path, Logger& log, void* dead, void* dumper)
    : path_(std::move(path)), log_(log), dead_(dead), dumper_(dumper) {}

PcapTrace::~PcapTrace() {
    if (dumper_ != nullptr) {
        ::pcap_dump_close(static_cast<pcap_dumper_t*>(dumper_));
    }
    ::pcap_close(static_cast<pcap_t*>(dead_));
}

void PcapTrace::record(std::chrono::system_clock::time_point when, const IpEndpoint& from,
                       const IpEndpoint& to, ByteView payload) {
    if (dumper_ == nullptr) {
        return;
    }
    const Bytes packet = udp_packet(from, to, payload);
    if (packet.empty()) {
        log_.log(LogLevel::Debug, "--pcap: a " + std::to_string(payload.size()) +
                                      "-byte datagram cannot be traced: skipped");
        return;
    }
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count();
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<time_t>(micros / 1'000'000);
    header.ts.tv_usec = static_cast<suseconds_t>(micros % 1'000'000);
    header.caplen = static_cast<bpf_u_int32>(packet.size());
    header.len = header.caplen;
    auto* dumper = static_cast<pcap_dumper_t*>(dumper_);
    ::pcap_dump(reinterpret_cast<u_char*>(dumper), &header, packet.data());
    // Flushed per datagram: a killed run leaves a whole file, and a full disk shows at once.
    if (::pcap_dump_flush(dumper) != 0 || std::ferror(::pcap_dump_file(dumper)) != 0) {
        stop(std::strerror(errno));
    }
}

void PcapTrace::stop(const std::string& why) {
    log_.log(LogLevel::Error, "--pcap " + path_ + ": cannot write (" + why +
                                  "); the trace stops here, the rest goes on untraced");
    // Closing flushes again, which fails again: the file keeps what reached it.
    ::pcap_dump_close(static_cast<pcap_dumper_t*>(dumper_));
    dumper_ = nullptr;
}

}  // namespace atcoap::io
