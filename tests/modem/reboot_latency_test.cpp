// The control socket's reboot and latency (docs/CONTROL.md) in the modem core, in virtual time:
// a restart loses every client and setting and keeps the files; a late module keeps its order.

#include <gtest/gtest.h>

#include "base/random.hpp"
#include "fault_bench.hpp"

namespace atcoap::modem {
namespace {

TEST(Reboot, DropsEveryClientSilentlyAndSaysRdyAgain) {
    FaultBench bench;
    bench.open_client(0);
    bench.open_client(3);
    bench.observer.urcs.clear();
    bench.modem.reboot(bench.now);
    EXPECT_EQ(bench.drain(), "\r\nRDY\r\n\r\nAPP RDY\r\n");
    EXPECT_EQ(bench.closed, bench.sockets);  // both sockets closed, no +QCOAPCLOSE
    const std::vector<std::string> urcs{"RDY", "APP RDY"};
    EXPECT_EQ(bench.observer.urcs, urcs);
    EXPECT_EQ(bench.run("AT+QCOAPOPEN?\r\n"), "AT+QCOAPOPEN?\r\r\nOK\r\n");  // echo is back on
}

TEST(Reboot, ForgetsEverySettingAndKeepsTheFiles) {
    FaultBench bench;
    bench.run("AT+CMEE=2\r\n");
    bench.run("AT+CEREG=1\r\n");
    bench.run("AT+QICSGP=1,1,\"apn\"\r\n");
    bench.run("AT+QIACT=2\r\n");
    bench.run("AT+CFUN=0\r\n");
    bench.run("AT+QSSLCFG=\"dtls\",2,1\r\n");
    bench.run("AT+QCOAPCFG=\"pdpcid\",1,2\r\n");
    bench.run("AT+QFUPL=\"kept.txt\",2\r\nok");
    bench.modem.reboot(bench.now);
    bench.drain();
    bench.run("ATE0\r\n");
    EXPECT_EQ(bench.run("AT+CMEE?\r\n"), "\r\n+CMEE: 1\r\n\r\nOK\r\n");
    EXPECT_EQ(bench.run("AT+CEREG?\r\n"), "\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
    EXPECT_EQ(bench.run("AT+CFUN?\r\n"), "\r\n+CFUN: 1\r\n\r\nOK\r\n");
    EXPECT_EQ(bench.run("AT+QICSGP=1\r\n"), "\r\n+QICSGP: 1,\"\",\"\",\"\",0\r\n\r\nOK\r\n");
    EXPECT_EQ(bench.run("AT+QIACT?\r\n"), "\r\n+QIACT: 1,1,1,\"10.64.0.1\"\r\n\r\nOK\r\n");
    EXPECT_EQ(bench.run("AT+QSSLCFG=\"dtls\",2\r\n"), "\r\n+QSSLCFG: \"dtls\",2,0\r\n\r\nOK\r\n");
    EXPECT_EQ(bench.run("AT+QCOAPCFG=\"pdpcid\",1\r\n"),
              "\r\n+QCOAPCFG: \"pdpcid\",1\r\n\r\nOK\r\n");
    EXPECT_EQ(bench.run("AT+QFLST\r\n"), "\r\n+QFLST: \"UFS:kept.txt\",2\r\n\r\nOK\r\n");
}

TEST(Reboot, KeepsWhatTheNetworkDecides) {
    FaultBench bench;
    ASSERT_TRUE(bench.modem.set_signal(10, 1).ok());
    bench.modem.set_network_radio(false, bench.now);
    bench.modem.reboot(bench.now);
    bench.drain();
    bench.run("ATE0\r\n");
    EXPECT_EQ(bench.run("AT+CSQ\r\n"), "\r\n+CSQ: 99,99\r\n\r\nOK\r\n");
    bench.modem.set_network_radio(true, bench.now);
    EXPECT_EQ(bench.run("AT+CSQ\r\n"), "\r\n+CSQ: 10,1\r\n\r\nOK\r\n");
}

TEST(Reboot, EndsAnOpenDataPhaseAndDropsHeldUrcs) {
    FaultBench bench;
    EXPECT_EQ(bench.run("AT+QFUPL=\"lost.txt\",10\r\nabc"), "\r\nCONNECT\r\n");
    ASSERT_TRUE(bench.modem.inject_urc("+HELD: 1", bench.now).ok());
    bench.modem.reboot(bench.now);
    EXPECT_EQ(bench.drain(), "\r\nRDY\r\n\r\nAPP RDY\r\n");
    EXPECT_FALSE(bench.modem.busy());
    // The rest of the upload is noise now; the next command works.
    EXPECT_EQ(bench.run("defghij\r\nAT\r\n"), "defghij\rAT\r\r\nOK\r\n");  // LF is never echoed
    bench.run("ATE0\r\n");
    EXPECT_EQ(bench.run("AT+QFLST\r\n"), "\r\nOK\r\n");
}

TEST(Latency, DelaysEverythingTheModemWritesAsADeadline) {
    FaultBench bench;
    ASSERT_TRUE(bench.modem.set_latency(Duration{200}, Duration{0}, bench.now).ok());
    const TimePoint sent = bench.now;
    EXPECT_EQ(bench.run("AT\r\n"), "");
    EXPECT_EQ(bench.modem.next_deadline(), sent + Duration{200});
    EXPECT_TRUE(bench.modem.busy());
    EXPECT_EQ(bench.advance_to(sent + Duration{199}), "");
    EXPECT_EQ(bench.advance_to(sent + Duration{200}), "\r\nOK\r\n");
    EXPECT_FALSE(bench.modem.busy());
}

TEST(Latency, KeepsTheOrderWhateverTheJitterDraws) {
    FaultBench bench;
    // Draws for three chunks: 90, 0, 50 ms of jitter (uniform() maps a draw modulo 101).
    bench.random = test::ScriptedRandom({90, 0, 50});
    ASSERT_TRUE(bench.modem.set_latency(Duration{100}, Duration{100}, bench.now).ok());
    const TimePoint start = bench.now;
    bench.run("AT\r\n");  // due at +190
    bench.now += Duration{10};
    bench.run("AT+CSQ\r\n");  // drawn +110, held to +190 behind the first
    bench.now += Duration{10};
    bench.run("AT+CFUN?\r\n");  // +170, held to +190
    EXPECT_EQ(bench.advance_to(start + Duration{189}), "");
    EXPECT_EQ(bench.advance_to(start + Duration{190}),
              "\r\nOK\r\n\r\n+CSQ: 24,99\r\n\r\nOK\r\n\r\n+CFUN: 1\r\n\r\nOK\r\n");
}

TEST(Latency, JitterStaysWithinItsBound) {
    test::CapturingLogger logger;
    SeededRandom random(7);
    HostLatency latency(logger);
    latency.set(Duration{50}, Duration{20});
    TimePoint now = at_ms(0);
    for (int i = 0; i < 1000; ++i) {
        now += Duration{1000};  // far apart: each chunk's own draw decides
        EXPECT_TRUE(latency.pass(Bytes{1}, now, random).empty());
        const TimePoint due = *latency.next_deadline();
        EXPECT_GE(due, now + Duration{50});
        EXPECT_LE(due, now + Duration{70});
        EXPECT_EQ(latency.pass({}, due, random).size(), 1U);
    }
}

TEST(Latency, ZeroTurnsItOffAndReleasesWhatIsHeld) {
    FaultBench bench;
    ASSERT_TRUE(bench.modem.set_latency(Duration{1000}, Duration{0}, bench.now).ok());
    bench.run("AT\r\n");
    ASSERT_TRUE(bench.modem.set_latency(Duration{0}, Duration{0}, bench.now).ok());
    EXPECT_EQ(bench.drain(), "\r\nOK\r\n");
    EXPECT_EQ(bench.run("AT\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(bench.modem.next_deadline(), std::nullopt);
}

TEST(Latency, PastItsBoundReleasesEverythingAtOnceInOrder) {
    FaultBench bench;
    ASSERT_TRUE(bench.modem.set_latency(Duration{1000}, Duration{0}, bench.now).ok());
    // Echo on (from the next line): every byte the host sends comes back, held.
    bench.run("ATE1\r\n");
    const std::string noise(HostLatency::kMaxHeldBytes, 'x');
    const std::string out = bench.run(noise);
    EXPECT_EQ(out.size(), HostLatency::kMaxHeldBytes + std::string("\r\nOK\r\n").size());
    EXPECT_TRUE(out.starts_with("\r\nOK\r\nxxx"));
    EXPECT_EQ(bench.logger.count("released at once", LogLevel::Warn), 1U);
}

TEST(Latency, ABadValueIsRefusedAndChangesNothing) {
    FaultBench bench;
    EXPECT_FALSE(bench.modem.set_latency(Duration{-1}, Duration{0}, bench.now).ok());
    EXPECT_FALSE(bench.modem.set_latency(Duration{0}, Duration{60'001}, bench.now).ok());
    EXPECT_EQ(bench.run("AT\r\n"), "\r\nOK\r\n");
}

}  // namespace
}  // namespace atcoap::modem
