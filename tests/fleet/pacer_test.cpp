// The fleet's pacing in virtual time (docs/FLEET.md, "Behaviour over time"): the ramp-up, the
// closed model's back-to-back iterations, the open model's arrivals and its bounded backlog.

#include "fleet/engine/pacer.hpp"

#include <gtest/gtest.h>

namespace atcoap::fleet {
namespace {

constexpr TimePoint kStart = at_ms(1'000);

PacerActions step(Pacer& pacer, TimePoint now) {
    PacerActions actions;
    pacer.on_time(now, actions);
    return actions;
}

TEST(RampOffsets, DeviceKBootsAtKTimesTOverN) {
    const auto offsets = ramp_offsets(4, Duration(1'000));
    EXPECT_EQ(offsets,
              (std::vector<Duration>{Duration(0), Duration(250), Duration(500), Duration(750)}));
    EXPECT_EQ(ramp_offsets(3, Duration(0)), std::vector<Duration>(3, Duration(0)));
    EXPECT_TRUE(ramp_offsets(0, Duration(10)).empty());
}

TEST(Pacer, ClosedModelRampsUpAndRunsItsIterationsBackToBack) {
    Pacer pacer({.boot_offsets = ramp_offsets(2, Duration(1'000)), .iterations = 2}, kStart);
    EXPECT_EQ(pacer.next_deadline(), kStart);
    auto actions = step(pacer, kStart);
    EXPECT_EQ(actions.boot, std::vector<std::size_t>{0});
    EXPECT_EQ(actions.begin, std::vector<std::size_t>{0});
    EXPECT_EQ(pacer.next_deadline(), kStart + Duration(500));
    EXPECT_TRUE(step(pacer, kStart + Duration(499)).boot.empty());
    actions = step(pacer, kStart + Duration(500));
    EXPECT_EQ(actions.boot, std::vector<std::size_t>{1});
    EXPECT_EQ(actions.begin, std::vector<std::size_t>{1});
    EXPECT_EQ(pacer.next_deadline(), std::nullopt);

    EXPECT_TRUE(pacer.on_iteration_end(0, kStart + Duration(600)));   // its second
    EXPECT_FALSE(pacer.on_iteration_end(0, kStart + Duration(700)));  // it had two
    EXPECT_FALSE(pacer.done());
    EXPECT_TRUE(pacer.on_iteration_end(1, kStart + Duration(800)));
    EXPECT_FALSE(pacer.on_iteration_end(1, kStart + Duration(900)));
    EXPECT_TRUE(pacer.done());
}

TEST(Pacer, ADurationStopsEverythingAtItsEnd) {
    Pacer pacer({.boot_offsets = ramp_offsets(1, Duration(0)), .duration = Duration(2'000)},
                kStart);
    step(pacer, kStart);
    EXPECT_TRUE(pacer.on_iteration_end(0, kStart + Duration(1'999)));
    EXPECT_FALSE(pacer.done());
    EXPECT_EQ(pacer.next_deadline(), kStart + Duration(2'000));
    const auto actions = step(pacer, kStart + Duration(2'000));
    EXPECT_TRUE(actions.stop);
    EXPECT_TRUE(pacer.done());
    EXPECT_EQ(pacer.next_deadline(), std::nullopt);
    EXPECT_FALSE(pacer.on_iteration_end(0, kStart + Duration(2'001)));
}

TEST(Pacer, OpenModelArrivesAtTheRateRoundRobin) {
    // 10 per second over 2 devices: one arrival every 100 ms, devices 0, 1, 0, 1 ...
    Pacer pacer({.boot_offsets = ramp_offsets(2, Duration(0)), .iterations = 2, .rate = 10.0},
                kStart);
    auto actions = step(pacer, kStart);
    EXPECT_EQ(actions.boot, (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(actions.begin, std::vector<std::size_t>{0});
    EXPECT_EQ(pacer.next_deadline(), kStart + Duration(100));
    actions = step(pacer, kStart + Duration(100));
    EXPECT_EQ(actions.begin, std::vector<std::size_t>{1});
    EXPECT_FALSE(pacer.on_iteration_end(0, kStart + Duration(150)));  // nothing waits for it
    actions = step(pacer, kStart + Duration(200));
    EXPECT_EQ(actions.begin, std::vector<std::size_t>{0});
    // Device 1 is still busy when its second arrival comes: it waits in the backlog.
    actions = step(pacer, kStart + Duration(300));
    EXPECT_TRUE(actions.begin.empty());
    EXPECT_EQ(pacer.counters().backlogged, 1u);
    EXPECT_EQ(pacer.next_deadline(), std::nullopt);                  // 2 x 2 arrivals came
    EXPECT_TRUE(pacer.on_iteration_end(1, kStart + Duration(350)));  // takes it at once
    EXPECT_FALSE(pacer.on_iteration_end(0, kStart + Duration(360)));
    EXPECT_FALSE(pacer.done());
    EXPECT_FALSE(pacer.on_iteration_end(1, kStart + Duration(400)));
    EXPECT_TRUE(pacer.done());
    EXPECT_EQ(pacer.counters().arrivals, 4u);
    EXPECT_EQ(pacer.counters().dropped, 0u);
}

TEST(Pacer, ArrivalsPastAFullBacklogAreDroppedAndCounted) {
    Pacer pacer(
        {.boot_offsets = {Duration(0)}, .iterations = 10, .rate = 1'000.0, .max_backlog = 3},
        kStart);
    step(pacer, kStart);                // the first begins
    step(pacer, kStart + Duration(9));  // 9 more arrive while it is busy: 3 wait, 6 dropped
    EXPECT_EQ(pacer.counters().arrivals, 10u);
    EXPECT_EQ(pacer.counters().backlogged, 3u);
    EXPECT_EQ(pacer.counters().dropped, 6u);
    EXPECT_EQ(pacer.counters().deepest_backlog, 3u);
    int more = 0;
    while (pacer.on_iteration_end(0, kStart + Duration(20 + more))) {
        ++more;
    }
    EXPECT_EQ(more, 3);
    EXPECT_TRUE(pacer.done());
}

TEST(Pacer, AnArrivalBeforeItsDeviceBootsWaitsForTheBoot) {
    Pacer pacer({.boot_offsets = ramp_offsets(2, Duration(1'000)), .iterations = 1, .rate = 4.0},
                kStart);
    step(pacer, kStart);                                 // device 0 boots and begins
    auto actions = step(pacer, kStart + Duration(250));  // device 1's arrival, not booted
    EXPECT_TRUE(actions.begin.empty());
    actions = step(pacer, kStart + Duration(500));  // it boots and takes it
    EXPECT_EQ(actions.boot, std::vector<std::size_t>{1});
    EXPECT_EQ(actions.begin, std::vector<std::size_t>{1});
}

TEST(Pacer, ZeroIterationsIsDoneAtOnce) {
    Pacer pacer({.boot_offsets = {Duration(0)}, .iterations = 0}, kStart);
    const auto actions = step(pacer, kStart);
    EXPECT_TRUE(actions.begin.empty());
    EXPECT_TRUE(pacer.done());
}

}  // namespace
}  // namespace atcoap::fleet
