// Faults the network causes on demand (the control socket's radio, pdp, signal and urc,
// docs/CONTROL.md), as the host sees them (docs/DIALECT.md §6, §8), in virtual time.

#include <gtest/gtest.h>

#include "fault_bench.hpp"

namespace atcoap::modem {
namespace {

constexpr std::string_view kSendGet = "AT+QCOAPSEND=0,0,1,0,0\r\n";

TEST(Faults, RadioOffByTheNetworkFailsSendsAndOpensButKeepsTheHostsCfun) {
    FaultBench bench;
    bench.open_client(0);
    bench.modem.set_network_radio(false, bench.now);
    EXPECT_EQ(bench.drain(), "");
    EXPECT_EQ(bench.run("AT+CFUN?\r\n"), "\r\n+CFUN: 1\r\n\r\nOK\r\n");
    EXPECT_EQ(bench.run("AT+CEREG?;+CSQ\r\n"), "\r\n+CEREG: 0,0\r\n\r\n+CSQ: 99,99\r\n\r\nOK\r\n");
    EXPECT_EQ(bench.run(kSendGet), "\r\nOK\r\n\r\n+QCOAPACK: 0,0,0,-11\r\n");
    EXPECT_TRUE(bench.sent.empty());
    EXPECT_EQ(bench.open_client(1), "\r\nOK\r\n\r\n+QCOAPOPEN: 1,-3\r\n");

    bench.modem.set_network_radio(true, bench.now);
    EXPECT_EQ(bench.run(kSendGet), "\r\nOK\r\n");
    EXPECT_EQ(bench.sent.size(), 1U);
    EXPECT_EQ(bench.run("AT+CEREG?\r\n"), "\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
}

TEST(Faults, DatagramsAreDroppedWhileTheNetworkHasTheRadioOff) {
    FaultBench bench;
    bench.open_client(0);
    bench.modem.set_network_radio(false, bench.now);
    // A NON GET from the server (always reported, docs/DIALECT.md §7), message ID 7.
    const Bytes non = {0x50, 0x01, 0x00, 0x07};
    bench.modem.on_datagram(bench.sockets.at(0), non, bench.now);
    EXPECT_EQ(bench.drain(), "");
    bench.modem.set_network_radio(true, bench.now);
    bench.modem.on_datagram(bench.sockets.at(0), non, bench.now);
    EXPECT_NE(bench.drain().find("+QCOAPRECV: 0,7,0.01"), std::string::npos);
}

TEST(Faults, RegistrationUrcsFollowTheModeTheHostChose) {
    FaultBench bench;
    bench.modem.set_network_radio(false, bench.now);
    bench.modem.set_network_radio(true, bench.now);
    EXPECT_EQ(bench.drain(), "");  // AT+CEREG=0: none

    bench.run("AT+CEREG=1\r\n");
    bench.modem.set_network_radio(false, bench.now);
    EXPECT_EQ(bench.drain(), "\r\n+CEREG: 0\r\n");
    bench.modem.set_network_radio(true, bench.now);
    EXPECT_EQ(bench.drain(), "\r\n+CEREG: 1\r\n");

    bench.run("AT+CEREG=2\r\n");
    EXPECT_EQ(bench.run("AT+CEREG?\r\n"), "\r\n+CEREG: 2,1,\"1A2B\",\"01A2B3C4\",8\r\n\r\nOK\r\n");
    // The host's own AT+CFUN=0 changes the registration too; the URC follows the OK.
    EXPECT_EQ(bench.run("AT+CFUN=0\r\n"), "\r\nOK\r\n\r\n+CEREG: 0\r\n");
    EXPECT_EQ(bench.run("AT+CFUN=1\r\n"), "\r\nOK\r\n\r\n+CEREG: 1,\"1A2B\",\"01A2B3C4\",8\r\n");
}

TEST(Faults, AContextDroppedByTheNetworkIsReportedAndFailsSends) {
    FaultBench bench;
    bench.open_client(0);
    ASSERT_TRUE(bench.modem.set_context_by_network(1, false, bench.now).ok());
    EXPECT_EQ(bench.drain(), "\r\n+QIURC: \"pdpdeact\",1\r\n");
    EXPECT_EQ(bench.run("AT+QIACT?\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(bench.run(kSendGet), "\r\nOK\r\n\r\n+QCOAPACK: 0,0,0,-11\r\n");

    ASSERT_TRUE(bench.modem.set_context_by_network(1, true, bench.now).ok());
    EXPECT_EQ(bench.drain(), "");  // restored silently
    EXPECT_EQ(bench.run("AT+QIACT?\r\n"), "\r\n+QIACT: 1,1,1,\"10.64.0.1\"\r\n\r\nOK\r\n");
    EXPECT_EQ(bench.run(kSendGet), "\r\nOK\r\n");
}

TEST(Faults, AContextChangeThatCannotHappenIsRefusedAndChangesNothing) {
    FaultBench bench;
    EXPECT_FALSE(bench.modem.set_context_by_network(2, false, bench.now).ok());  // inactive
    EXPECT_FALSE(bench.modem.set_context_by_network(1, true, bench.now).ok());   // active
    EXPECT_FALSE(bench.modem.set_context_by_network(0, false, bench.now).ok());
    EXPECT_FALSE(bench.modem.set_context_by_network(17, false, bench.now).ok());
    bench.run("AT+QIDEACT=1\r\n");
    bench.modem.set_network_radio(false, bench.now);
    EXPECT_FALSE(bench.modem.set_context_by_network(1, true, bench.now).ok());
    EXPECT_EQ(bench.drain(), "");
    EXPECT_EQ(bench.run("AT+QIACT?\r\n"), "\r\nOK\r\n");
}

TEST(Faults, TheSignalIsWhatCsqReportsAndABadOneChangesNothing) {
    FaultBench bench;
    ASSERT_TRUE(bench.modem.set_signal(20, 0).ok());
    EXPECT_EQ(bench.run("AT+CSQ\r\n"), "\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
    ASSERT_TRUE(bench.modem.set_signal(99, 99).ok());
    EXPECT_EQ(bench.run("AT+CSQ\r\n"), "\r\n+CSQ: 99,99\r\n\r\nOK\r\n");
    ASSERT_TRUE(bench.modem.set_signal(31, 7).ok());
    for (const auto& [rssi, ber] : {std::pair{32, 0}, {-1, 0}, {98, 0}, {0, 8}, {0, 98}, {0, -1}}) {
        EXPECT_FALSE(bench.modem.set_signal(rssi, ber).ok()) << rssi << "," << ber;
    }
    EXPECT_EQ(bench.run("AT+CSQ\r\n"), "\r\n+CSQ: 31,7\r\n\r\nOK\r\n");
}

TEST(Faults, AnInjectedUrcIsFramedAndWaitsForAnOpenResponse) {
    FaultBench bench;
    ASSERT_TRUE(bench.modem.inject_urc("+QIURC: \"recv\",0", bench.now).ok());
    EXPECT_EQ(bench.drain(), "\r\n+QIURC: \"recv\",0\r\n");
    // Inside a `> ` phase the response is open: the URC follows its result.
    bench.open_client(0);
    EXPECT_EQ(bench.run("AT+QCOAPSEND=0,1,2,0,2\r\n"), "\r\n> ");
    ASSERT_TRUE(bench.modem.inject_urc("+X: 1", bench.now).ok());
    EXPECT_EQ(bench.drain(), "");
    EXPECT_EQ(bench.run("hi"), "\r\nOK\r\n\r\n+X: 1\r\n\r\n+QCOAPACK: 0,1,0,0\r\n");
}

TEST(Faults, AUrcThatWouldBreakTheFramingIsRefused) {
    FaultBench bench;
    EXPECT_FALSE(bench.modem.inject_urc("A\r\nB", bench.now).ok());
    EXPECT_FALSE(bench.modem.inject_urc(std::string("A\0B", 3), bench.now).ok());
    EXPECT_FALSE(bench.modem.inject_urc(std::string(1025, 'x'), bench.now).ok());
    EXPECT_TRUE(bench.modem.inject_urc(std::string(1024, 'x'), bench.now).ok());
    EXPECT_EQ(bench.drain().size(), 1028U);
}

TEST(Faults, ObserversHearEveryUrcAndEveryRadioAndContextChange) {
    FaultBench bench;
    bench.open_client(0);
    bench.modem.set_network_radio(false, bench.now);
    bench.modem.set_network_radio(true, bench.now);
    ASSERT_TRUE(bench.modem.set_context_by_network(1, false, bench.now).ok());
    bench.run("AT+QIACT=3\r\n");
    const std::vector<std::string> urcs{"+QCOAPOPEN: 0,0", "+QIURC: \"pdpdeact\",1"};
    EXPECT_EQ(bench.observer.urcs, urcs);

    std::vector<std::string> seen;
    for (const StateChange& change : bench.observer.states) {
        if (const auto* radio = std::get_if<RadioChange>(&change)) {
            seen.push_back(radio->on ? "radio on" : "radio off");
        } else if (const auto* pdp = std::get_if<PdpChange>(&change)) {
            seen.push_back(fmt::format("pdp {} {}", pdp->context, pdp->active));
        }
    }
    const std::vector<std::string> expected{"radio off", "radio on", "pdp 1 false", "pdp 3 true"};
    EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace atcoap::modem
