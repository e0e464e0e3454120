#include "fleet/summary.hpp"

#include <gtest/gtest.h>

namespace atcoap::fleet {
namespace {

FleetStats constructed() {
    FleetStats s;
    s.modems_up = 250;
    s.iterations_started = 502;
    s.iterations_passed = 498;
    s.iterations_failed = 2;
    s.requests = 1000;
    s.retransmissions = 7;
    s.give_ups = 1;
    s.handshakes = 250;
    s.handshake_failures = 3;
    s.responses = {{"2.05", 990}, {"4.04", 9}};
    s.at_failures = {{-11, 1}, {-9, 3}};
    for (int i = 0; i < 1000; ++i) {
        s.latency.record(i < 900 ? 45'000 : 1'000'000);  // 45 ms, then a tail of 1 s
    }
    s.latency.record(2'000'000);
    s.handshake.record(150'000);
    return s;
}

// The percentiles are bucket bounds (at most 1/64 above the value), the max is exact.
TEST(Summary, TheTableHasEveryFigureInItsRow) {
    EXPECT_EQ(summary_table(constructed(), Duration{60'000}),
              "elapsed (s)                 60.0\n"
              "iterations passed            498\n"
              "iterations failed              2\n"
              "requests                    1000\n"
              "requests/s                  16.7\n"
              "responses 2.05               990\n"
              "responses 4.04                 9\n"
              "retransmissions                7\n"
              "give-ups                       1\n"
              "AT failures -11                1\n"
              "AT failures -9                 3\n"
              "handshakes                   250\n"
              "handshake failures             3\n"
              "handshake p50 (ms)         150.0\n"
              "handshake p90 (ms)         150.0\n"
              "handshake p99 (ms)         150.0\n"
              "handshake p99.9 (ms)       150.0\n"
              "handshake max (ms)         150.0\n"
              "latency p50 (ms)            45.1\n"
              "latency p90 (ms)          1007.6\n"
              "latency p99 (ms)          1007.6\n"
              "latency p99.9 (ms)        1007.6\n"
              "latency max (ms)          2000.0\n");
}

TEST(Summary, AnEmptyRunHasNoPercentiles) {
    EXPECT_EQ(summary_table(FleetStats{}, Duration{0}),
              "elapsed (s)                  0.0\n"
              "iterations passed              0\n"
              "iterations failed              0\n"
              "requests                       0\n"
              "requests/s                   0.0\n"
              "retransmissions                0\n"
              "give-ups                       0\n"
              "handshakes                     0\n"
              "handshake failures             0\n"
              "latency p50 (ms)               -\n"
              "latency p90 (ms)               -\n"
              "latency p99 (ms)               -\n"
              "latency p99.9 (ms)             -\n"
              "latency max (ms)               -\n");
}

TEST(Summary, TheStatusLineHasTheIntervalsRatesAndTheRunsCounts) {
    FleetStats interval;
    interval.iterations_started = 25;
    interval.requests = 50;
    interval.latency.record(12'000);
    interval.latency.record(80'000);
    EXPECT_EQ(status_line(constructed(), interval, Duration{2000}),
              "modems 250 up | 12.5 iterations/s | 25.0 requests/s | p50 12.0 ms p99 80.0 ms | "
              "failures -11:1 -9:3 | retransmissions 7");
    EXPECT_EQ(status_line(FleetStats{}, FleetStats{}, Duration{1000}),
              "modems 0 up | 0.0 iterations/s | 0.0 requests/s | p50 - p99 - | failures none | "
              "retransmissions 0");
}

}  // namespace
}  // namespace atcoap::fleet
