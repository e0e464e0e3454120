// The control socket's Target over the real modem core (control/modem_control.hpp), in virtual
// time: each command as the host sees it, the events, the counters, and that a refused request
// changes nothing.

#include "control/modem_control.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/capturing_logger.hpp"
#include "support/scripted_random.hpp"
#include "ufs/storage.hpp"

namespace atcoap::control {
namespace {

using nlohmann::json;

class ModemControlTest : public ::testing::Test {
  protected:
    ModemControlTest()
        : modem(modem::ModemOptions{}, storage, random, logger),
          control(modem, ControlHooks{.now = [this] { return now; },
                                      .wall =
                                          [] {
                                              return Timestamp{1, 2};
                                          },
                                      .listening = {},
                                      .event = [this](std::string line) { events.push_back(line); },
                                      .changed = [this] { ++changes; },
                                      .quit = [this] { ++quits; }}),
          session(control) {
        modem.start(now);
        host("ATE0\r\n");
        events.clear();
    }

    std::string host(std::string_view bytes) {
        modem.on_host_bytes(as_bytes(bytes), now);
        return drain();
    }
    std::string drain() {
        for (net::Request& request : modem.take_network_requests()) {
            if (const auto* open = std::get_if<net::OpenSocket>(&request)) {
                modem.on_socket_opened(open->id, net::OpenResult::Opened, now);
            } else if (std::holds_alternative<net::SendDatagram>(request)) {
                ++datagrams;
            }
        }
        const Bytes out = modem.take_host_output();
        return std::string(out.begin(), out.end());
    }
    json request(const json& line) {
        const std::string reply = session.feed(line.dump() + "\n");
        return json::parse(reply);
    }
    std::vector<std::string> event_names() const {
        std::vector<std::string> names;
        for (const std::string& line : events) {
            names.push_back(json::parse(line).at("event").get<std::string>());
        }
        return names;
    }

    ufs::MemoryStorage storage;
    test::ScriptedRandom random;
    test::CapturingLogger logger;
    TimePoint now = at_ms(5000);
    modem::Modem modem;
    std::vector<std::string> events;
    int changes = 0;
    int quits = 0;
    int datagrams = 0;
    ModemControl control;
    Session session;
};

TEST_F(ModemControlTest, RadioOffFailsTheNextSendAndIsAnEvent) {
    host("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n");
    events.clear();
    EXPECT_TRUE(
        request({{"execute", "radio"}, {"arguments", {{"state", "off"}}}}).contains("return"));
    EXPECT_EQ(changes, 1);
    EXPECT_EQ(event_names(), std::vector<std::string>{"RADIO"});
    EXPECT_EQ(json::parse(events[0]).at("data"), json::parse(R"({"on":false})"));
    EXPECT_EQ(host("AT+QCOAPSEND=0,0,1,0,0\r\n"), "\r\nOK\r\n\r\n+QCOAPACK: 0,0,0,-11\r\n");
    const json status = request({{"execute", "status"}}).at("return");
    EXPECT_EQ(status.at("radio"), json::parse(R"({"on":false,"network":false,"cfun":1})"));
}

TEST_F(ModemControlTest, PdpDropPrintsTheUrcAndIsTwoEvents) {
    request({{"execute", "pdp"}, {"arguments", {{"action", "drop"}, {"cid", 1}}}});
    EXPECT_EQ(drain(), "\r\n+QIURC: \"pdpdeact\",1\r\n");
    EXPECT_EQ(event_names(), (std::vector<std::string>{"PDP", "URC"}));
    EXPECT_EQ(json::parse(events[1]),
              json::parse(R"({"event":"URC","data":{"line":"+QIURC: \"pdpdeact\",1"},
                              "timestamp":{"seconds":1,"microseconds":2}})"));
    const json again =
        request({{"execute", "pdp"}, {"arguments", {{"action", "drop"}, {"cid", 1}}}, {"id", 3}});
    EXPECT_EQ(again.at("error").at("class"), "GenericError");
    EXPECT_EQ(drain(), "");
}

TEST_F(ModemControlTest, SignalUrcRebootAndLatencyReachTheHost) {
    request({{"execute", "signal"}, {"arguments", {{"rssi", 20}, {"ber", 0}}}});
    EXPECT_EQ(host("AT+CSQ\r\n"), "\r\n+CSQ: 20,0\r\n\r\nOK\r\n");
    request({{"execute", "urc"}, {"arguments", {{"line", "+QIURC: \"recv\",0"}}}});
    EXPECT_EQ(drain(), "\r\n+QIURC: \"recv\",0\r\n");
    request({{"execute", "reboot"}});
    EXPECT_EQ(drain(), "\r\nRDY\r\n\r\nAPP RDY\r\n");
    host("ATE0\r\n");
    request({{"execute", "latency"}, {"arguments", {{"fixed_ms", 300}}}});
    EXPECT_EQ(host("AT\r\n"), "");
    EXPECT_EQ(modem.next_deadline(), now + Duration{300});
    EXPECT_EQ(request({{"execute", "status"}}).at("return").at("latency"),
              json::parse(R"({"fixed_ms":300,"jitter_ms":0})"));
}

TEST_F(ModemControlTest, StatusCountsWhatTheModemReports) {
    host("AT+QCOAPOPEN=2,\"127.0.0.1\",5683\r\n");
    host("AT+QCOAPSEND=2,0,1,0,0\r\n");
    const json status = request({{"execute", "status"}}).at("return");
    const json& client = status.at("clients").at(2);
    EXPECT_EQ(client.at("status"), "connected");
    EXPECT_EQ(client.at("server"), "127.0.0.1");
    EXPECT_EQ(client.at("port"), 5683);
    EXPECT_EQ(client.at("dtls"), false);
    EXPECT_EQ(client.at("datagrams_sent"), 1);
    EXPECT_EQ(client.at("messages_sent"), 1);
    EXPECT_EQ(status.at("clients").size(), 6U);
    EXPECT_EQ(status.at("pdp").at("active"), json::parse("[1]"));
    EXPECT_EQ(event_names(),
              (std::vector<std::string>{"CLIENT_STATUS", "CLIENT_STATUS", "URC", "MESSAGE"}));
}

TEST_F(ModemControlTest, NetemLossDropsTheNextDatagramAndStatusCountsIt) {
    host("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n");
    EXPECT_EQ(request({{"execute", "status"}}).at("return").at("netem"),
              json::parse(R"({"up":{},"down":{}})"));
    EXPECT_EQ(request({{"execute", "netem"},
                       {"arguments", {{"direction", "up"}, {"spec", "loss 100%"}}}}),
              json::parse(R"({"return":{}})"));
    EXPECT_EQ(changes, 1);
    host("AT+QCOAPSEND=0,0,1,0,0\r\n");
    EXPECT_EQ(datagrams, 0);
    const json counted = json::parse(R"({"spec":"loss 100%","received":1,"passed":0,"lost":1,
        "blackholed":0,"overflowed":0,"discarded":0,"duplicated":0,"corrupted":0,"reordered":0})");
    EXPECT_EQ(request({{"execute", "status"}}).at("return").at("netem"),
              json({{"up", {{"all", counted}}}, {"down", json::object()}}));
    // Cleared: the next datagram passes; the stage's counters stay in the status.
    request({{"execute", "netem"}, {"arguments", {{"direction", "up"}}}});
    host("AT+QCOAPSEND=0,0,1,0,0\r\n");
    EXPECT_EQ(datagrams, 1);
    json cleared = counted;
    cleared["spec"] = nullptr;
    EXPECT_EQ(request({{"execute", "status"}}).at("return").at("netem").at("up").at("all"),
              cleared);
}

TEST_F(ModemControlTest, NetemForOneClientAndBothDirections) {
    request({{"execute", "netem"},
             {"arguments", {{"direction", "both"}, {"spec", "client 2 delay 100ms"}}}});
    request({{"execute", "netem"},
             {"arguments", {{"direction", "down"}, {"spec", "blackhole"}, {"client", 4}}}});
    const json netem = request({{"execute", "status"}}).at("return").at("netem");
    EXPECT_EQ(netem.at("up").size(), 1U);
    EXPECT_EQ(netem.at("up").at("2").at("spec"), "delay 100ms");
    EXPECT_EQ(netem.at("down").at("2").at("spec"), "delay 100ms");
    EXPECT_EQ(netem.at("down").at("4").at("spec"), "blackhole");
    EXPECT_EQ(modem.netem().spec(modem::NetemDirection::Up, 2), *netem::parse_spec("delay 100ms"));
    EXPECT_FALSE(modem.netem().spec(modem::NetemDirection::Up, std::nullopt));
    request({{"execute", "netem"}, {"arguments", {{"direction", "both"}, {"client", 2}}}});
    EXPECT_FALSE(modem.netem().spec(modem::NetemDirection::Up, 2));
    EXPECT_FALSE(modem.netem().spec(modem::NetemDirection::Down, 2));
    EXPECT_TRUE(modem.netem().spec(modem::NetemDirection::Down, 4));
}

TEST_F(ModemControlTest, ABadNetemSpecOrClientChangesNeitherDirection) {
    request({{"execute", "netem"}, {"arguments", {{"direction", "up"}, {"spec", "loss 10%"}}}});
    const json before = request({{"execute", "status"}});
    const int changes_before = changes;
    for (const json& arguments : {
             json{{"direction", "both"}, {"spec", "loss 120%"}},
             json{{"direction", "both"}, {"spec", "delay 10ms reorder"}},
             json{{"direction", "both"}, {"spec", "client 6 loss 1%"}},
             json{{"direction", "both"}, {"spec", "loss 1%"}, {"client", 6}},
             json{{"direction", "both"}, {"client", -1}},
         }) {
        const json reply = request({{"execute", "netem"}, {"arguments", arguments}});
        EXPECT_TRUE(reply.contains("error")) << arguments;
    }
    EXPECT_EQ(request({{"execute", "netem"},
                       {"arguments", {{"direction", "both"}, {"spec", "loss 120%"}}}})
                  .at("error")
                  .at("desc"),
              "\"loss 120%\": a percentage is 0 to 100");
    EXPECT_EQ(changes, changes_before);
    EXPECT_EQ(request({{"execute", "status"}}), before);
    EXPECT_EQ(modem.netem().spec(modem::NetemDirection::Up, std::nullopt),
              *netem::parse_spec("loss 10%"));
    EXPECT_FALSE(modem.netem().spec(modem::NetemDirection::Down, std::nullopt));
    // And the Target refuses a client out of range itself, before either direction changes.
    EXPECT_FALSE(control.netem(NetemDirections::Both, 6, netem::Spec{}).ok());
    EXPECT_EQ(request({{"execute", "status"}}), before);
}

TEST_F(ModemControlTest, MessageReportsCountAndBecomeEvents) {
    modem::MessageTrace sent;
    sent.client = 1;
    sent.message_id = 9;
    sent.size = 4;
    control.on_message(sent);
    sent.retransmission = 1;
    control.on_message(sent);
    modem::MessageTrace received;
    received.client = 1;
    received.direction = modem::Direction::Received;
    received.type = coap::Type::Ack;
    received.code = coap::Code::of(2, 5);
    received.path = "a/b";
    received.token = coap::Token{0xAB};
    received.round_trip = Duration{42};
    control.on_message(received);
    EXPECT_EQ(control.counters(1).messages_sent, 1U);
    EXPECT_EQ(control.counters(1).retransmissions, 1U);
    EXPECT_EQ(control.counters(1).messages_received, 1U);
    EXPECT_EQ(json::parse(events.back()).at("data"),
              json::parse(R"({"client":1,"direction":"received","type":"ACK","code":"2.05",
                  "path":"a/b","message_id":0,"token":"AB","size":0,"retransmission":0,
                  "round_trip_ms":42})"));
}

TEST_F(ModemControlTest, RefusedRequestsChangeNothing) {
    host("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n");
    const json before = request({{"execute", "status"}});
    events.clear();
    for (const char* line :
         {"{\"execute\":\"radio\",\"arguments\":{\"state\":\"of\"}}",
          "{\"execute\":\"signal\",\"arguments\":{\"rssi\":40,\"ber\":0}}",
          "{\"execute\":\"pdp\",\"arguments\":{\"action\":\"restore\",\"cid\":1}}",
          "{\"execute\":\"nonsense\"}", "not json"}) {
        const json reply = json::parse(session.feed(std::string(line) + "\n"));
        EXPECT_TRUE(reply.contains("error")) << line;
    }
    EXPECT_EQ(drain(), "");
    EXPECT_TRUE(events.empty());
    EXPECT_EQ(request({{"execute", "status"}}), before);
    EXPECT_EQ(host("AT+CSQ\r\n"), "\r\n+CSQ: 24,99\r\n\r\nOK\r\n");
}

TEST_F(ModemControlTest, QuitCallsItsHook) {
    EXPECT_EQ(request({{"execute", "quit"}, {"id", 1}}), json::parse(R"({"return":{},"id":1})"));
    EXPECT_EQ(quits, 1);
}

}  // namespace
}  // namespace atcoap::control
