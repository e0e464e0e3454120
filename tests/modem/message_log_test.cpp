// The per-message log line and MessageTrace (modem/message_tap.hpp, docs/TRACES.md): every CoAP
// message a client sends or receives, with the round-trip time of answers, retransmissions and
// the give-up, in virtual time.

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "modem/modem.hpp"
#include "support/capturing_logger.hpp"
#include "support/scripted_random.hpp"
#include "ufs/storage.hpp"

namespace atcoap::modem {
namespace {

struct MessageRecorder final : Observer {
    void on_message(const MessageTrace& message) override { messages.push_back(message); }
    std::vector<MessageTrace> messages;
};

class MessageLogTest : public ::testing::Test {
  protected:
    explicit MessageLogTest(LogLevel threshold = LogLevel::Info)
        : logger(threshold), modem(ModemOptions{}, storage, random, logger) {
        modem.start(at_ms(0));
        modem.take_host_output();
        run("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n");
        run("AT+QCOAPHEADER=0,1234,0,2,0a0b\r\n");
        run("AT+QCOAPOPTION=0,0,0,11,\"time\"\r\n");
    }

    void run(std::string_view bytes, TimePoint now = at_ms(0)) {
        modem.on_host_bytes(as_bytes(bytes), now);
        collect();
    }
    void collect() {
        for (net::Request& request : modem.take_network_requests()) {
            if (const auto* open = std::get_if<net::OpenSocket>(&request)) {
                modem.on_socket_opened(open->id, net::OpenResult::Opened, at_ms(0));
                socket = open->id;
            } else if (const auto* datagram = std::get_if<net::SendDatagram>(&request)) {
                sent.push_back(datagram->bytes);
            }
        }
        modem.take_host_output();
    }
    /// The lines that start with "client 0 " and are not status changes.
    std::vector<std::string> message_lines() const {
        std::vector<std::string> found;
        for (const std::string& line : logger.lines) {
            if (line.starts_with("client 0 ") && line.find("status") == std::string::npos) {
                found.push_back(line);
            }
        }
        return found;
    }
    std::size_t index_of(std::string_view line) const {
        for (std::size_t i = 0; i < logger.lines.size(); ++i) {
            if (logger.lines[i] == line) {
                return i;
            }
        }
        return logger.lines.size();
    }

    ufs::MemoryStorage storage;
    test::ScriptedRandom random;
    test::CapturingLogger logger;
    Modem modem;
    net::SocketId socket;
    std::vector<Bytes> sent;
};

// ACK 2.05, MID 1234 (0x04D2), token 0A0B, Content-Format 0, payload "12:00".
const Bytes kPiggybacked{0x62, 0x45, 0x04, 0xD2, 0x0A, 0x0B, 0xC0, 0xFF, '1', '2', ':', '0', '0'};

TEST_F(MessageLogTest, ARequestAndItsPiggybackedAnswerEachGetOneInfoLine) {
    run("AT+QCOAPSEND=0,0,1,1,0\r\n");  // CON GET /time
    modem.on_datagram(socket, kPiggybacked, at_ms(12));
    collect();

    const std::vector<std::string> expected{
        "client 0 -> CON GET /time mid=1234 token=0A0B size=11",
        "client 0 <- ACK 2.05 mid=1234 token=0A0B size=13 rtt=12ms"};
    EXPECT_EQ(message_lines(), expected);
    const std::size_t answer = index_of(expected[1]);
    ASSERT_LT(answer, logger.lines.size());
    EXPECT_EQ(logger.level_of(answer), LogLevel::Info);
    const std::map<std::string, std::string> fields{
        {"event", "message"},    {"client", "0"},   {"direction", "received"},
        {"type", "ACK"},         {"code", "2.05"},  {"path", ""},
        {"mid", "1234"},         {"token", "0A0B"}, {"size", "13"},
        {"retransmission", "0"}, {"rtt_ms", "12"}};
    EXPECT_EQ(logger.fields[answer], fields);
}

TEST_F(MessageLogTest, RetransmissionsAndTheGiveUpCarryTheirCountAndDelay) {
    run("AT+QCOAPCFG=\"trans\",0,2,4\r\n");  // ACK timeout 2 s, 4 retransmissions
    run("AT+QCOAPSEND=0,0,1,1,0\r\n");
    // Every random draw is 0: timeouts of 2 s, doubled each time (RFC 7252 §4.2).
    for (const int ms : {2000, 6000, 14000, 30000, 62000}) {
        modem.on_timeout(at_ms(ms));
        collect();
    }
    const std::vector<std::string> expected{
        "client 0 -> CON GET /time mid=1234 token=0A0B size=11",
        "client 0 -> CON GET /time mid=1234 token=0A0B size=11 retransmission=1 after=2000ms",
        "client 0 -> CON GET /time mid=1234 token=0A0B size=11 retransmission=2 after=6000ms",
        "client 0 -> CON GET /time mid=1234 token=0A0B size=11 retransmission=3 after=14000ms",
        "client 0 -> CON GET /time mid=1234 token=0A0B size=11 retransmission=4 after=30000ms",
        "client 0 gave up CON GET /time mid=1234 token=0A0B size=11 retransmissions=4 "
        "after=62000ms"};
    EXPECT_EQ(message_lines(), expected);
    const std::size_t give_up = index_of(expected.back());
    ASSERT_LT(give_up, logger.lines.size());
    EXPECT_EQ(logger.level_of(give_up), LogLevel::Warn);
    EXPECT_EQ(logger.fields[give_up].at("event"), "give_up");
    EXPECT_EQ(logger.fields[give_up].at("retransmission"), "4");
    EXPECT_EQ(logger.fields[give_up].at("after_ms"), "62000");
    EXPECT_EQ(sent.size(), 5U);
}

TEST_F(MessageLogTest, ASeparateResponseHasItsRoundTripAndItsAckIsLogged) {
    run("AT+QCOAPSEND=0,0,1,1,0\r\n");
    const Bytes empty_ack{0x60, 0x00, 0x04, 0xD2};
    modem.on_datagram(socket, empty_ack, at_ms(5));
    collect();
    // CON 2.05, the server's MID 0x0100, token 0A0B, 4000 ms after the request.
    const Bytes separate{0x42, 0x45, 0x01, 0x00, 0x0A, 0x0B, 0xFF, 'x'};
    modem.on_datagram(socket, separate, at_ms(4000));
    collect();
    // A second copy of it is a duplicate: logged, but no round trip any more.
    modem.on_datagram(socket, separate, at_ms(4100));
    collect();

    const std::vector<std::string> expected{
        "client 0 -> CON GET /time mid=1234 token=0A0B size=11",
        "client 0 <- ACK 0.00 mid=1234 size=4 rtt=5ms",
        "client 0 <- CON 2.05 mid=256 token=0A0B size=8 rtt=4000ms",
        "client 0 -> ACK 0.00 mid=256 size=4",
        "client 0 <- CON 2.05 mid=256 token=0A0B size=8",
        "client 0 -> ACK 0.00 mid=256 size=4"};
    EXPECT_EQ(message_lines(), expected);
}

TEST_F(MessageLogTest, ObserversHearTheSameMessages) {
    MessageRecorder recorder;
    modem.add_observer(&recorder);
    run("AT+QCOAPSEND=0,0,1,1,0\r\n");
    modem.on_datagram(socket, kPiggybacked, at_ms(30));
    collect();

    ASSERT_EQ(recorder.messages.size(), 2U);
    const MessageTrace& request = recorder.messages[0];
    EXPECT_EQ(request.direction, Direction::Sent);
    EXPECT_EQ(request.path, "/time");
    EXPECT_EQ(request.message_id, 1234);
    EXPECT_EQ(request.token, (coap::Token{0x0A, 0x0B}));
    EXPECT_EQ(request.size, sent.at(0).size());
    const MessageTrace& answer = recorder.messages[1];
    EXPECT_EQ(answer.direction, Direction::Received);
    EXPECT_EQ(answer.type, coap::Type::Ack);
    EXPECT_EQ(answer.code, coap::codes::kContent);
    EXPECT_EQ(answer.round_trip, Duration{30});
}

class QuietMessageLogTest : public MessageLogTest {
  protected:
    QuietMessageLogTest() : MessageLogTest(LogLevel::Warn) {}
};

TEST_F(QuietMessageLogTest, AboveInfoAndUnwatchedNoMessageIsDescribed) {
    run("AT+QCOAPSEND=0,0,1,1,0\r\n");
    modem.on_datagram(socket, kPiggybacked, at_ms(12));
    collect();
    EXPECT_TRUE(message_lines().empty());
    EXPECT_EQ(sent.size(), 1U);
}

}  // namespace
}  // namespace atcoap::modem
