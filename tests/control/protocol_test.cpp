// The control socket's protocol (control/protocol.hpp, docs/CONTROL.md): requests, replies,
// errors and bounds, against a Target that records every call. A bad request never calls it.

#include "control/protocol.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace atcoap::control {
namespace {

using nlohmann::json;

class RecordingTarget final : public Target {
  public:
    Status<std::string> radio(bool on) override { return note(on ? "radio on" : "radio off"); }
    Status<std::string> pdp(int cid, bool active) override {
        return note("pdp " + std::to_string(cid) + (active ? " restore" : " drop"));
    }
    Status<std::string> signal(int rssi, int ber) override {
        return note("signal " + std::to_string(rssi) + " " + std::to_string(ber));
    }
    Status<std::string> urc(std::string_view line) override {
        return note("urc " + std::string(line));
    }
    Status<std::string> reboot() override { return note("reboot"); }
    Status<std::string> latency(Duration fixed, Duration jitter) override {
        return note("latency " + std::to_string(fixed.count()) + " " +
                    std::to_string(jitter.count()));
    }
    Status<std::string> netem(NetemDirections directions, std::optional<int> client,
                              std::optional<netem::Spec> spec) override {
        const char* names[] = {"up", "down", "both"};
        return note("netem " + std::string(names[static_cast<int>(directions)]) +
                    (client ? " client " + std::to_string(*client) : std::string()) + " " +
                    (spec ? netem::to_string(*spec) : std::string("clear")));
    }
    json status() override {
        calls.emplace_back("status");
        return {{"clients", json::array()}};
    }
    void quit() override { calls.emplace_back("quit"); }

    std::vector<std::string> calls;
    std::string refuse;  // when set, every change is refused with it

  private:
    Status<std::string> note(std::string call) {
        calls.push_back(std::move(call));
        if (!refuse.empty()) {
            return fail(refuse);
        }
        return Done{};
    }
};

json reply_to(std::string_view line, Target& target) {
    const std::string out = answer(line, target);
    EXPECT_TRUE(out.ends_with('\n')) << out;
    EXPECT_EQ(out.find('\n'), out.size() - 1) << "one line: " << out;
    return json::parse(out);
}

std::string error_class(const json& reply) {
    return reply.at("error").at("class").get<std::string>();
}

TEST(Protocol, GreetsWithTheVersionAndNoCapabilities) {
    EXPECT_EQ(greeting("0.1.0"), "{\"atcoap\":{\"version\":\"0.1.0\"},\"capabilities\":[]}\n");
}

TEST(Protocol, AnEventCarriesItsNameDataAndTimestamp) {
    EXPECT_EQ(event_line("URC", {{"line", "RDY"}}, {12, 345}),
              "{\"event\":\"URC\",\"data\":{\"line\":\"RDY\"},"
              "\"timestamp\":{\"seconds\":12,\"microseconds\":345}}\n");
}

TEST(Protocol, EachCommandCallsTheTargetAndReturnsItsIdBack) {
    RecordingTarget target;
    const json reply =
        reply_to(R"({"execute":"radio","arguments":{"state":"off"},"id":7})", target);
    EXPECT_EQ(reply, json::parse(R"({"return":{},"id":7})"));
    reply_to(R"({"execute":"pdp","arguments":{"action":"drop","cid":1}})", target);
    reply_to(R"({"execute":"pdp","arguments":{"action":"restore","cid":16}})", target);
    reply_to(R"({"execute":"signal","arguments":{"rssi":99,"ber":7}})", target);
    reply_to(R"({"execute":"urc","arguments":{"line":"+QIURC: \"recv\",0"}})", target);
    reply_to(R"({"execute":"reboot"})", target);
    reply_to(R"({"execute":"latency","arguments":{"fixed_ms":200,"jitter_ms":50}})", target);
    reply_to(R"({"execute":"latency","arguments":{"fixed_ms":0}})", target);
    reply_to(R"({"execute":"netem","arguments":{"direction":"up","spec":"loss 30%"}})", target);
    reply_to(
        R"({"execute":"netem","arguments":{"direction":"down","spec":"client 2 delay 100ms"}})",
        target);
    reply_to(
        R"({"execute":"netem","arguments":{"direction":"both","spec":"blackhole","client":5}})",
        target);
    reply_to(R"({"execute":"netem","arguments":{"direction":"both","client":0}})", target);
    reply_to(R"({"execute":"netem","arguments":{"direction":"up"}})", target);
    EXPECT_EQ(reply_to(R"({"execute":"status","id":"s"})", target),
              json::parse(R"({"return":{"clients":[]},"id":"s"})"));
    reply_to(R"({"execute":"quit","arguments":{}})", target);
    const std::vector<std::string> expected{"radio off",
                                            "pdp 1 drop",
                                            "pdp 16 restore",
                                            "signal 99 7",
                                            "urc +QIURC: \"recv\",0",
                                            "reboot",
                                            "latency 200 50",
                                            "latency 0 0",
                                            "netem up loss 30%",
                                            "netem down client 2 delay 100ms",
                                            "netem both client 5 blackhole",
                                            "netem both client 0 clear",
                                            "netem up clear",
                                            "status",
                                            "quit"};
    EXPECT_EQ(target.calls, expected);
}

TEST(Protocol, ARefusalOfTheTargetIsAGenericError) {
    RecordingTarget target;
    target.refuse = "PDP context 2 is already inactive";
    const json reply =
        reply_to(R"({"execute":"pdp","arguments":{"action":"drop","cid":2},"id":1})", target);
    EXPECT_EQ(reply, json::parse(R"({"error":{"class":"GenericError",
        "desc":"PDP context 2 is already inactive"},"id":1})"));
}

TEST(Protocol, MalformedRequestsGetAnErrorAndNeverReachTheTarget) {
    RecordingTarget target;
    for (const char* line :
         {"{", "nope", "[]", "42", "\"radio\"", "{\"execute\":1}", "{\"arguments\":{}}",
          "{\"execute\":\"radio\",\"arguments\":[]}", "{\"execute\":\"status\",\"extra\":1}",
          "{\"execute\":\"status\"} x", "\xff\xfe"}) {
        const json reply = reply_to(line, target);
        EXPECT_EQ(error_class(reply), "GenericError") << line;
        EXPECT_FALSE(reply.at("error").at("desc").get<std::string>().empty());
    }
    EXPECT_TRUE(target.calls.empty());
}

TEST(Protocol, AnUnknownCommandIsCommandNotFound) {
    RecordingTarget target;
    const json reply = reply_to(R"({"execute":"format-disk","id":[1]})", target);
    EXPECT_EQ(error_class(reply), "CommandNotFound");
    EXPECT_EQ(reply.at("id"), json::parse("[1]"));
    EXPECT_TRUE(target.calls.empty());
}

TEST(Protocol, BadArgumentsGetAnErrorAndNeverReachTheTarget) {
    RecordingTarget target;
    for (const char* line : {
             R"({"execute":"radio"})",
             R"({"execute":"radio","arguments":{"state":"maybe"}})",
             R"({"execute":"radio","arguments":{"state":1}})",
             R"({"execute":"radio","arguments":{"state":"on","power":3}})",
             R"({"execute":"pdp","arguments":{"action":"drop","cid":0}})",
             R"({"execute":"pdp","arguments":{"action":"drop","cid":17}})",
             R"({"execute":"pdp","arguments":{"action":"drop","cid":1.5}})",
             R"({"execute":"pdp","arguments":{"action":"flap","cid":1}})",
             R"({"execute":"pdp","arguments":{"cid":1}})",
             R"({"execute":"signal","arguments":{"rssi":32,"ber":0}})",
             R"({"execute":"signal","arguments":{"rssi":98,"ber":0}})",
             R"({"execute":"signal","arguments":{"rssi":0,"ber":8}})",
             R"({"execute":"signal","arguments":{"rssi":-1,"ber":0}})",
             R"({"execute":"signal","arguments":{"rssi":18446744073709551615,"ber":0}})",
             R"({"execute":"urc","arguments":{"line":"a\r\nb"}})",
             R"({"execute":"urc","arguments":{"line":"a\u0000b"}})",
             R"({"execute":"urc","arguments":{}})",
             R"({"execute":"latency","arguments":{"fixed_ms":-1}})",
             R"({"execute":"latency","arguments":{"fixed_ms":60001}})",
             R"({"execute":"latency","arguments":{"fixed_ms":0,"jitter_ms":70000}})",
             R"({"execute":"latency","arguments":{"fixed_ms":true}})",
             R"({"execute":"reboot","arguments":{"now":1}})",
             R"({"execute":"netem","arguments":{}})",
             R"({"execute":"netem","arguments":{"direction":"sideways","spec":"loss 1%"}})",
             R"({"execute":"netem","arguments":{"direction":"up","spec":"loss 120%"}})",
             R"({"execute":"netem","arguments":{"direction":"both","spec":"loss 1% warp 9"}})",
             R"({"execute":"netem","arguments":{"direction":"up","spec":""}})",
             R"({"execute":"netem","arguments":{"direction":"up","spec":30}})",
             R"({"execute":"netem","arguments":{"direction":"up","spec":"client 6 loss 1%"}})",
             R"({"execute":"netem","arguments":{"direction":"up","client":6}})",
             R"({"execute":"netem","arguments":{"direction":"up","client":-1}})",
             R"({"execute":"netem","arguments":{"direction":"up","client":"2"}})",
             R"({"execute":"netem","arguments":{"direction":"up","spec":"client 1 loss 1%",
                "client":1}})",
         }) {
        const json reply = reply_to(line, target);
        EXPECT_EQ(error_class(reply), "GenericError") << line;
    }
    const json too_long = reply_to(
        json({{"execute", "urc"}, {"arguments", {{"line", std::string(1025, 'x')}}}}).dump(),
        target);
    EXPECT_EQ(error_class(too_long), "GenericError");
    EXPECT_TRUE(target.calls.empty());
}

TEST(Protocol, ABadNetemSpecIsRefusedWithTheParsersLine) {
    RecordingTarget target;
    const json reply = reply_to(
        R"({"execute":"netem","arguments":{"direction":"both","spec":"loss 120%"},"id":2})",
        target);
    EXPECT_EQ(reply, json::parse(R"({"error":{"class":"GenericError",
        "desc":"\"loss 120%\": a percentage is 0 to 100"},"id":2})"));
    EXPECT_EQ(reply_to(R"({"execute":"netem","arguments":{"direction":"down",
                          "spec":"client 9 loss 1%"}})",
                       target)
                  .at("error")
                  .at("desc"),
              "\"client 9\": a client ID is 0 to 5");
    EXPECT_TRUE(target.calls.empty());
}

TEST(Protocol, NestingPastTheBoundIsRefused) {
    RecordingTarget target;
    const std::string deep = std::string(kMaxDepth + 2, '[') + std::string(kMaxDepth + 2, ']');
    const json reply = reply_to(R"({"execute":"status","id":)" + deep + "}", target);
    EXPECT_EQ(error_class(reply), "GenericError");
    EXPECT_TRUE(target.calls.empty());
    // Far past it (a line of brackets) too, without building the value.
    reply_to(std::string(kMaxLineLength / 2, '['), target);
}

TEST(Protocol, QueryCommandsListsEveryCommand) {
    RecordingTarget target;
    const json reply = reply_to(R"({"execute":"query-commands"})", target);
    std::vector<std::string> names;
    for (const json& entry : reply.at("return")) {
        names.push_back(entry.at("name").get<std::string>());
    }
    const std::vector<std::string> expected{"radio",   "pdp",   "signal", "urc",  "reboot",
                                            "latency", "netem", "status", "quit", "query-commands"};
    EXPECT_EQ(names, expected);
}

TEST(Session, AnswersEachLineWhateverPiecesItCameIn) {
    RecordingTarget target;
    Session session(target);
    const std::string input =
        "{\"execute\":\"radio\",\"arguments\":{\"state\":\"off\"}}\n\n  \n"
        "{\"execute\":\"radio\",\"arguments\":{\"state\":\"on\"}}\r\n";
    for (std::size_t split = 0; split <= input.size(); ++split) {
        target.calls.clear();
        std::string out = session.feed(input.substr(0, split));
        out += session.feed(input.substr(split));
        EXPECT_EQ(out, "{\"return\":{}}\n{\"return\":{}}\n") << split;
        EXPECT_EQ(target.calls, (std::vector<std::string>{"radio off", "radio on"}));
        EXPECT_EQ(session.buffered(), 0U);
    }
}

TEST(Session, ALineTooLongGetsOneErrorAndItsRestIsDiscarded) {
    RecordingTarget target;
    Session session(target);
    const std::string huge(kMaxLineLength + 1, 'x');
    std::string out = session.feed(huge.substr(0, kMaxLineLength));
    EXPECT_EQ(out, "");
    EXPECT_EQ(session.buffered(), kMaxLineLength);
    out = session.feed(huge.substr(kMaxLineLength));
    EXPECT_EQ(error_class(json::parse(out)), "GenericError");
    EXPECT_EQ(session.buffered(), 0U);
    // More of the same line: silent and not kept, whatever its length.
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(session.feed(std::string(4096, '{')), "");
        EXPECT_EQ(session.buffered(), 0U);
    }
    out = session.feed("\n{\"execute\":\"reboot\"}\n");
    EXPECT_EQ(out, "{\"return\":{}}\n");
    EXPECT_EQ(target.calls, std::vector<std::string>{"reboot"});
}

TEST(Session, ALineOfExactlyTheBoundIsRead) {
    RecordingTarget target;
    Session session(target);
    std::string line = R"({"execute":"status","id":")";
    line += std::string(kMaxLineLength - line.size() - 2, 'a') + "\"}";
    ASSERT_EQ(line.size(), kMaxLineLength);
    const std::string out = session.feed(line + "\n");
    EXPECT_TRUE(json::parse(out).contains("return"));
}

}  // namespace
}  // namespace atcoap::control
