// `atcoap fleet`'s command line turned into a fleet (src/cli/fleet_command_plan.cpp): the
// per-device variables, shards, the pacing options and every usage error with its line.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdio>

#include "cli/fleet_command_plan.hpp"

namespace atcoap::cli {
namespace {

std::string write_script(const std::string& name, const std::string& text) {
    const std::string path = testing::TempDir() + "/" + name;
    std::FILE* file = std::fopen(path.c_str(), "w");
    EXPECT_NE(file, nullptr);
    std::fputs(text.c_str(), file);
    std::fclose(file);
    return path;
}

FleetCommandLine basic() {
    FleetCommandLine line;
    line.modems = 4;
    line.script =
        write_script("plan.at", "send AT+X=${DEVICE},${IMEI},${PSK_ID},${HOST}:${PORT}\n");
    line.target = "127.0.0.1:5683";
    return line;
}

std::string error_of(const FleetCommandLine& line) {
    auto plan = make_fleet_plan(line);
    return plan ? std::string("planned") : plan.error();
}

TEST(FleetPlan, EveryDeviceHasItsVariables) {
    auto plan = make_fleet_plan(basic());
    ASSERT_TRUE(static_cast<bool>(plan)) << plan.error();
    ASSERT_EQ(plan->options.devices.size(), 4u);
    const auto& third = plan->options.devices[2];
    EXPECT_EQ(third.device, 2u);
    EXPECT_EQ(third.variables.at("DEVICE"), "2");
    EXPECT_EQ(third.variables.at("IMEI"), third.imei);
    EXPECT_EQ(third.variables.at("PSK_ID"), "dev-2");
    EXPECT_EQ(third.variables.at("HOST"), "127.0.0.1");
    EXPECT_EQ(third.variables.at("PORT"), "5683");
    EXPECT_FALSE(third.variables.contains("DTLS_PORT"));
    EXPECT_NE(plan->options.devices[0].imei, plan->options.devices[1].imei);
    EXPECT_NE(plan->options.devices[0].seed, plan->options.devices[1].seed);
    EXPECT_EQ(plan->options.iterations, 1u);  // neither --iterations nor --duration
}

TEST(FleetPlan, AShardHoldsItsSliceWithTheSameDevices) {
    auto whole = make_fleet_plan(basic());
    FleetCommandLine line = basic();
    line.shard = "1/2";
    auto half = make_fleet_plan(line);
    ASSERT_TRUE(whole && half);
    ASSERT_EQ(half->options.devices.size(), 2u);
    EXPECT_EQ(half->options.devices[0].device, 1u);
    EXPECT_EQ(half->options.devices[1].device, 3u);
    EXPECT_EQ(half->options.devices[1].seed, whole->options.devices[3].seed);
    EXPECT_EQ(half->options.devices[1].variables, whole->options.devices[3].variables);
    EXPECT_EQ(half->run.shard_index, 1u);
    EXPECT_EQ(half->run.modems, 4u);
}

TEST(FleetPlan, DtlsDefinesDtlsPortAndDashDOverridesTheFleetsNames) {
    FleetCommandLine line = basic();
    line.script = write_script("dtls.at", "send AT+X=${DTLS_PORT},${EXTRA}\n");
    line.dtls = true;
    line.variables = {"EXTRA=1", "HOST=example.org"};
    auto plan = make_fleet_plan(line);
    ASSERT_TRUE(static_cast<bool>(plan)) << plan.error();
    EXPECT_EQ(plan->options.devices[0].variables.at("DTLS_PORT"), "5683");
    EXPECT_EQ(plan->options.devices[0].variables.at("HOST"), "example.org");
    line.dtls = false;
    line.variables = {"EXTRA=1"};
    EXPECT_NE(error_of(line).find("DTLS_PORT"), std::string::npos) << error_of(line);
}

TEST(FleetPlan, SourcesGoRoundRobinOverTheDevices) {
    FleetCommandLine line = basic();
    line.source = "127.0.0.2-127.0.0.4";
    auto plan = make_fleet_plan(line);
    ASSERT_TRUE(static_cast<bool>(plan)) << plan.error();
    EXPECT_EQ(plan->options.devices[0].source->to_string(), "127.0.0.2");
    EXPECT_EQ(plan->options.devices[2].source->to_string(), "127.0.0.4");
    EXPECT_EQ(plan->options.devices[3].source->to_string(), "127.0.0.2");
}

TEST(FleetPlan, NetemGoesToTheFirstFractionOfTheWholeFleet) {
    FleetCommandLine line = basic();
    line.netem = {"loss 30%"};
    line.netem_fraction = 0.5;
    line.shard = "1/2";  // devices 1 and 3 of 4: only device 1 is below 0.5 * 4
    auto plan = make_fleet_plan(line);
    ASSERT_TRUE(static_cast<bool>(plan)) << plan.error();
    ASSERT_NE(plan->options.devices[0].netem, nullptr);
    EXPECT_EQ(plan->options.devices[0].netem->size(), 2u);  // up and down
    EXPECT_EQ(plan->options.devices[1].netem, nullptr);
    line.netem = {"loss 120%"};
    EXPECT_NE(error_of(line).find("--netem"), std::string::npos) << error_of(line);
    line.netem = {"loss 1%"};
    line.netem_fraction = 1.5;
    EXPECT_NE(error_of(line).find("--netem-fraction"), std::string::npos);
}

TEST(FleetPlan, PacingOptions) {
    FleetCommandLine line = basic();
    line.duration = "2m";
    line.rate = "250/s";
    line.ramp_up = "1.5s";
    line.threads = 3;
    line.reboot_every = "10s";
    auto plan = make_fleet_plan(line);
    ASSERT_TRUE(static_cast<bool>(plan)) << plan.error();
    EXPECT_EQ(plan->options.duration, Duration(120'000));
    EXPECT_EQ(plan->options.iterations, std::nullopt);
    EXPECT_EQ(plan->options.rate, 250.0);
    EXPECT_EQ(plan->options.ramp_up, Duration(1'500));
    EXPECT_EQ(plan->options.threads, 3u);
    EXPECT_EQ(plan->options.reboot_every, Duration(10'000));
}

TEST(FleetPlan, UsageErrorsSayWhatIsWrong) {
    const auto with = [](auto change) {
        FleetCommandLine line = basic();
        change(line);
        return error_of(line);
    };
    EXPECT_NE(with([](auto& l) { l.modems = 0; }).find("--modems"), std::string::npos);
    EXPECT_NE(with([](auto& l) { l.target = "nowhere"; }).find("--target"), std::string::npos);
    EXPECT_NE(with([](auto& l) { l.rate = "fast"; }).find("--rate"), std::string::npos);
    EXPECT_NE(with([](auto& l) { l.rate = "0/s"; }).find("--rate"), std::string::npos);
    EXPECT_NE(with([](auto& l) { l.duration = "soon"; }).find("--duration"), std::string::npos);
    EXPECT_NE(with([](auto& l) { l.threads = 0; }).find("--threads"), std::string::npos);
    EXPECT_NE(with([](auto& l) { l.shard = "2/2"; }).find("--shard"), std::string::npos);
    EXPECT_NE(with([](auto& l) { l.source = "127.0.0.9-127.0.0.1"; }).find("--source"),
              std::string::npos);
    EXPECT_NE(with([](auto& l) { l.variables = {"1X=2"}; }).find("-D"), std::string::npos);
    EXPECT_NE(with([](auto& l) { l.interval = "10ms"; }).find("--interval"), std::string::npos);
    EXPECT_NE(with([](auto& l) { l.reboot_every = "50ms"; }).find("--reboot-every"),
              std::string::npos);
    EXPECT_NE(with([](auto& l) { l.rebind_every = "often"; }).find("--rebind-every"),
              std::string::npos);
    EXPECT_NE(with([](auto& l) { l.script = "/nonexistent/x.at"; }).find("x.at"),
              std::string::npos);
    EXPECT_NE(with([](auto& l) {
                  l.script = write_script("control.at", "radio off\n");
              }).find("atcoap fleet"),
              std::string::npos);
}

TEST(FleetPlan, DurationsAndRates) {
    EXPECT_EQ(*parse_fleet_duration("250ms"), Duration(250));
    EXPECT_EQ(*parse_fleet_duration("5m"), Duration(300'000));
    EXPECT_EQ(*parse_fleet_duration("1h"), Duration(3'600'000));
    EXPECT_FALSE(parse_fleet_duration("1000000h"));
    EXPECT_EQ(*parse_rate("1000"), 1000.0);
    EXPECT_FALSE(parse_rate("-1/s"));
}

TEST(FleetPlan, ModemsPastTheOpenFileLimitAreRefusedWithBothLimits) {
    rlimit limit{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
    if (limit.rlim_max == RLIM_INFINITY) {
        GTEST_SKIP() << "no hard limit on open files here";
    }
    const auto refused = reserve_descriptors(limit.rlim_max + 1);
    ASSERT_FALSE(static_cast<bool>(refused));
    EXPECT_NE(refused.error().find(std::to_string(limit.rlim_max)), std::string::npos);
    EXPECT_TRUE(static_cast<bool>(reserve_descriptors(16)));
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
    EXPECT_EQ(limit.rlim_cur, limit.rlim_max);  // raised to the hard limit
}

}  // namespace
}  // namespace atcoap::cli
