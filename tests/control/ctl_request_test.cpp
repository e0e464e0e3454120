// `atcoap ctl`'s words as control requests (control/ctl_request.hpp).

#include "control/ctl_request.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace atcoap::control {
namespace {

using nlohmann::json;

json built(std::vector<std::string> words) {
    const auto request = ctl_request(words);
    EXPECT_TRUE(request.ok()) << (request.ok() ? "" : request.error());
    return request.ok() ? *request : json();
}

bool refused(std::vector<std::string> words) {
    return !ctl_request(words).ok();
}

TEST(CtlRequest, BuildsEachCommandsRequest) {
    EXPECT_EQ(built({"radio", "off"}),
              json::parse(R"({"execute":"radio","arguments":{"state":"off"},"id":1})"));
    EXPECT_EQ(built({"pdp", "drop", "1"}).at("arguments"),
              json::parse(R"({"action":"drop","cid":1})"));
    EXPECT_EQ(built({"signal", "20", "0"}).at("arguments"), json::parse(R"({"rssi":20,"ber":0})"));
    EXPECT_EQ(built({"urc", "+QIURC: \"recv\",0"}).at("arguments"),
              json::parse(R"({"line":"+QIURC: \"recv\",0"})"));
    EXPECT_EQ(built({"latency", "200ms", "50ms"}).at("arguments"),
              json::parse(R"({"fixed_ms":200,"jitter_ms":50})"));
    EXPECT_EQ(built({"latency", "0"}).at("arguments"), json::parse(R"({"fixed_ms":0})"));
    EXPECT_EQ(built({"netem", "up", "loss 30%"}),
              json::parse(R"({"execute":"netem","arguments":{"direction":"up","spec":"loss 30%"},
                              "id":1})"));
    EXPECT_EQ(built({"netem", "down", "client 2 delay 100ms"}).at("arguments"),
              json::parse(R"({"direction":"down","spec":"client 2 delay 100ms"})"));
    EXPECT_EQ(built({"netem", "both", "delay", "100ms", "20ms"}).at("arguments"),
              json::parse(R"({"direction":"both","spec":"delay 100ms 20ms"})"));
    EXPECT_EQ(built({"netem", "both", "clear"}).at("arguments"),
              json::parse(R"({"direction":"both"})"));
    EXPECT_EQ(built({"netem", "up", "clear", "3"}).at("arguments"),
              json::parse(R"({"direction":"up","client":3})"));
    for (const char* name : {"reboot", "status", "quit"}) {
        EXPECT_EQ(built({name}).at("execute"), name);
    }
}

TEST(CtlRequest, RefusesWhatIsNotACommand) {
    EXPECT_TRUE(refused({}));
    EXPECT_TRUE(refused({"radio"}));
    EXPECT_TRUE(refused({"radio", "maybe"}));
    EXPECT_TRUE(refused({"pdp", "drop"}));
    EXPECT_TRUE(refused({"pdp", "drop", "one"}));
    EXPECT_TRUE(refused({"pdp", "flap", "1"}));
    EXPECT_TRUE(refused({"signal", "20"}));
    EXPECT_TRUE(refused({"signal", "20", "x"}));
    EXPECT_TRUE(refused({"urc"}));
    EXPECT_TRUE(refused({"urc", "a", "b"}));
    EXPECT_TRUE(refused({"latency"}));
    EXPECT_TRUE(refused({"latency", "fast"}));
    EXPECT_TRUE(refused({"reboot", "now"}));
    EXPECT_TRUE(refused({"netem"}));
    EXPECT_TRUE(refused({"netem", "up"}));
    EXPECT_TRUE(refused({"netem", "left", "loss 1%"}));
    EXPECT_TRUE(refused({"netem", "up", "clear", "two"}));
    EXPECT_TRUE(refused({"netem", "up", "clear", "1", "2"}));
    EXPECT_TRUE(refused({"format"}));
}

TEST(CtlRequest, ReadsDurations) {
    EXPECT_EQ(*parse_duration("200ms"), Duration{200});
    EXPECT_EQ(*parse_duration("1.5s"), Duration{1500});
    EXPECT_EQ(*parse_duration("2s"), Duration{2000});
    EXPECT_EQ(*parse_duration("0"), Duration{0});
    EXPECT_EQ(*parse_duration("75"), Duration{75});
    for (const char* bad : {"", "ms", "s", "-1ms", "1h", "x", "1e300s", "nan", "inf"}) {
        EXPECT_FALSE(parse_duration(bad).ok()) << bad;
    }
}

}  // namespace
}  // namespace atcoap::control
