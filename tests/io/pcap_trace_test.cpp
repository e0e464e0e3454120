// The pcap trace (io/pcap_trace.hpp): synthesized IPv4/IPv6 and UDP headers with correct lengths
// and checksums, a file libpcap reads back, and the policy when the file cannot be written.

#include "io/pcap_trace.hpp"

#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>

#include "support/capturing_logger.hpp"
#include "support/temp_dir.hpp"

namespace atcoap::io {
namespace {

using test::CapturingLogger;
using test::TempDir;

/// The one's-complement sum of `data` as 16-bit words, folded: 0xFFFF when a checksum inside
/// it is right (RFC 1071).
std::uint16_t sum_of(ByteView data, std::uint32_t start = 0) {
    std::uint32_t sum = start;
    for (std::size_t i = 0; i + 1 < data.size(); i += 2) {
        sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
    }
    if (data.size() % 2 == 1) {
        sum += static_cast<std::uint32_t>(data.back() << 8);
    }
    while (sum >> 16 != 0) {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(sum);
}

/// The pseudo-header's sum: addresses, protocol 17 and the UDP length.
std::uint32_t pseudo_sum(ByteView addresses, std::size_t udp_length) {
    return sum_of(addresses) + 17U + static_cast<std::uint32_t>(udp_length);
}

const Bytes kPayload{0x40, 0x01, 0x04, 0xD2, 0xB4, 't', 'i', 'm', 'e'};  // CON GET /time

TEST(UdpPacket, IsAnIpv4PacketWithRightLengthsAndChecksums) {
    const auto from = IpEndpoint::parse("127.0.0.1", 40000);
    const auto to = IpEndpoint::parse("192.0.2.7", 5683);
    ASSERT_TRUE(from && to);
    const Bytes packet = udp_packet(*from, *to, kPayload);
    ASSERT_EQ(packet.size(), 20 + 8 + kPayload.size());
    EXPECT_EQ(packet[0], 0x45);                 // version 4, 5 words
    EXPECT_EQ(packet[2] << 8 | packet[3], 37);  // total length
    EXPECT_EQ(packet[9], 17);                   // UDP
    EXPECT_EQ(Bytes(packet.begin() + 12, packet.begin() + 16), (Bytes{127, 0, 0, 1}));
    EXPECT_EQ(Bytes(packet.begin() + 16, packet.begin() + 20), (Bytes{192, 0, 2, 7}));
    EXPECT_EQ(sum_of(ByteView(packet.data(), 20)), 0xFFFF);  // the header checksum
    EXPECT_EQ(packet[20] << 8 | packet[21], 40000);          // source port
    EXPECT_EQ(packet[22] << 8 | packet[23], 5683);           // destination port
    EXPECT_EQ(packet[24] << 8 | packet[25], 17);             // UDP length
    const ByteView udp(packet.data() + 20, packet.size() - 20);
    EXPECT_EQ(sum_of(udp, pseudo_sum(ByteView(packet.data() + 12, 8), udp.size())), 0xFFFF);
    EXPECT_EQ(Bytes(packet.begin() + 28, packet.end()), kPayload);
}

TEST(UdpPacket, IsAnIpv6PacketWithItsPayloadLengthAndUdpChecksum) {
    const auto from = IpEndpoint::parse("::1", 40000);
    const auto to = IpEndpoint::parse("2001:db8::7", 5684);
    ASSERT_TRUE(from && to);
    const Bytes packet = udp_packet(*from, *to, kPayload);
    ASSERT_EQ(packet.size(), 40 + 8 + kPayload.size());
    EXPECT_EQ(packet[0], 0x60);
    EXPECT_EQ(packet[4] << 8 | packet[5], 17);  // payload length: UDP header and data
    EXPECT_EQ(packet[6], 17);                   // next header: UDP
    const ByteView udp(packet.data() + 40, packet.size() - 40);
    EXPECT_EQ(sum_of(udp, pseudo_sum(ByteView(packet.data() + 8, 32), udp.size())), 0xFFFF);
}

TEST(UdpPacket, AMappedIpv4AddressIsIpv4AndMixedFamiliesGiveNothing) {
    const auto mapped = IpEndpoint::parse("::ffff:127.0.0.1", 1);
    ASSERT_TRUE(mapped);
    EXPECT_FALSE(mapped->v6);
    EXPECT_EQ(mapped->address[0], 127);
    const auto v6 = IpEndpoint::parse("::1", 2);
    EXPECT_TRUE(udp_packet(*mapped, *v6, kPayload).empty());
    EXPECT_FALSE(IpEndpoint::parse("localhost", 3).has_value());
}

TEST(UdpPacket, APayloadBeyondWhatIpv4CanCarryGivesNothing) {
    const auto end = IpEndpoint::parse("127.0.0.1", 1);
    EXPECT_EQ(udp_packet(*end, *end, Bytes(kMaxTracedPayload, 0)).size(), 65535U);
    EXPECT_TRUE(udp_packet(*end, *end, Bytes(kMaxTracedPayload + 1, 0)).empty());
}

TEST(PcapTrace, WritesRawIpRecordsThatLibpcapReadsBack) {
    TempDir dir;
    const std::string path = (dir.path() / "trace.pcap").string();
    CapturingLogger log;
    {
        auto trace = PcapTrace::open(path, log);
        ASSERT_TRUE(trace) << trace.error();
        const auto a = IpEndpoint::parse("127.0.0.1", 40000);
        const auto b = IpEndpoint::parse("127.0.0.1", 5683);
        const std::chrono::system_clock::time_point when{std::chrono::microseconds{1'500'000}};
        (*trace)->record(when, *a, *b, kPayload);
        (*trace)->record(when + std::chrono::milliseconds(12), *b, *a, kPayload);
    }
    char error[PCAP_ERRBUF_SIZE];
    pcap_t* read = ::pcap_open_offline(path.c_str(), error);
    ASSERT_NE(read, nullptr) << error;
    EXPECT_EQ(::pcap_datalink(read), DLT_RAW);
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    ASSERT_EQ(::pcap_next_ex(read, &header, &data), 1);
    EXPECT_EQ(header->ts.tv_sec, 1);
    EXPECT_EQ(header->ts.tv_usec, 500'000);
    EXPECT_EQ(header->caplen, 37U);
    EXPECT_EQ(data[0], 0x45);
    ASSERT_EQ(::pcap_next_ex(read, &header, &data), 1);
    EXPECT_EQ(header->ts.tv_usec, 512'000);
    EXPECT_EQ(data[20] << 8 | data[21], 5683);
    EXPECT_EQ(::pcap_next_ex(read, &header, &data), PCAP_ERROR_BREAK);  // no more
    ::pcap_close(read);
}

TEST(PcapTrace, AFileThatCannotBeCreatedIsRefusedWithTheReason) {
    TempDir dir;
    CapturingLogger log;
    const auto trace = PcapTrace::open((dir.path() / "no" / "such" / "trace.pcap").string(), log);
    ASSERT_FALSE(trace);
    EXPECT_NE(trace.error().find("No such file or directory"), std::string::npos) << trace.error();
}

TEST(PcapTrace, AFullDiskStopsTheTraceWithOneErrorLine) {
    // The file size limit stands in for a full disk: writes past it fail (EFBIG) once SIGXFSZ,
    // which would end the process, is ignored. Both are put back afterwards.
    TempDir dir;
    const std::string path = (dir.path() / "trace.pcap").string();
    CapturingLogger log;
    auto trace = PcapTrace::open(path, log);
    ASSERT_TRUE(trace) << trace.error();
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved;
    small.rlim_cur = 1000;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    const auto end = IpEndpoint::parse("127.0.0.1", 5683);
    for (int i = 0; i < 100 && (*trace)->active(); ++i) {
        (*trace)->record(trace_now(), *end, *end, kPayload);
    }
    const bool stopped = !(*trace)->active();
    (*trace)->record(trace_now(), *end, *end, kPayload);  // a no-op now
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, old_handler);

    EXPECT_TRUE(stopped);
    EXPECT_EQ(log.count("--pcap", LogLevel::Error), 1U);
    EXPECT_TRUE(log.contains("the trace stops here")) << (log.lines.empty() ? "" : log.lines[0]);
    EXPECT_LE(std::filesystem::file_size(path), 1000U);
}

}  // namespace
}  // namespace atcoap::io
