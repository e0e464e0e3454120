// The modem's observer (modem/observer.hpp): what it is told, and that watching changes nothing
// the host sees.

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

struct RecordingObserver final : Observer {
    void on_state(const StateChange& change) override { states.push_back(change); }
    void on_wire(Direction direction, net::SocketId, ByteView datagram) override {
        wire.emplace_back(direction, Bytes(datagram.begin(), datagram.end()));
    }
    std::vector<StateChange> states;
    std::vector<std::pair<Direction, Bytes>> wire;
};

class ObserverTest : public ::testing::Test {
  protected:
    ObserverTest() : modem(ModemOptions{}, storage, random, logger) {
        modem.start(at_ms(0));
        modem.take_host_output();  // RDY, APP RDY
    }

    std::string run(std::string_view bytes) {
        modem.on_host_bytes(as_bytes(bytes), at_ms(0));
        for (net::Request& request : modem.take_network_requests()) {
            if (const auto* open = std::get_if<net::OpenSocket>(&request)) {
                modem.on_socket_opened(open->id, net::OpenResult::Opened, at_ms(0));
                socket = open->id;
            } else if (const auto* datagram = std::get_if<net::SendDatagram>(&request)) {
                sent.push_back(datagram->bytes);
            }
        }
        const Bytes out = modem.take_host_output();
        return std::string(out.begin(), out.end());
    }

    ufs::MemoryStorage storage;
    test::ScriptedRandom random;
    test::CapturingLogger logger;
    Modem modem;
    net::SocketId socket;
    std::vector<Bytes> sent;
};

TEST_F(ObserverTest, HearsEveryStatusChangeOfAClient) {
    RecordingObserver observer;
    modem.add_observer(&observer);
    run("AT+QCOAPOPEN=2,\"127.0.0.1\",5683\r\n");
    run("AT+QCOAPCLOSE=2\r\n");

    std::vector<std::pair<ClientStatus, ClientStatus>> seen;
    for (const StateChange& change : observer.states) {
        const auto& status = std::get<ClientStatusChange>(change);
        EXPECT_EQ(status.client, 2);
        seen.emplace_back(status.from, status.to);
    }
    const std::vector<std::pair<ClientStatus, ClientStatus>> expected{
        {ClientStatus::Idle, ClientStatus::Opening},
        {ClientStatus::Opening, ClientStatus::Connected},
        {ClientStatus::Connected, ClientStatus::Idle}};
    EXPECT_EQ(seen, expected);
}

TEST_F(ObserverTest, WatchingChangesNothingTheHostSees) {
    const std::string unwatched = run("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n");
    run("AT+QCOAPCLOSE=0\r\n");
    RecordingObserver observer;
    modem.add_observer(&observer);
    EXPECT_EQ(run("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n"), unwatched);
    EXPECT_FALSE(observer.states.empty());
}

TEST_F(ObserverTest, SeesEveryDatagramOnTheWireBothWays) {
    RecordingObserver observer;
    modem.add_observer(&observer);
    run("AT+QCOAPOPEN=0,\"127.0.0.1\",5683\r\n");
    run("AT+QCOAPHEADER=0,4660,1\r\n");
    run("AT+QCOAPSEND=0,0,0,0,0\r\n");  // a CoAP ping: CON 0.00, message ID 0x1234
    ASSERT_EQ(sent.size(), 1U);
    const Bytes rst{0x70, 0x00, 0x12, 0x34};
    modem.on_datagram(socket, rst, at_ms(10));

    ASSERT_EQ(observer.wire.size(), 2U);
    EXPECT_EQ(observer.wire[0], std::make_pair(Direction::Sent, sent[0]));
    EXPECT_EQ(observer.wire[1], std::make_pair(Direction::Received, rst));
}

TEST_F(ObserverTest, NoMoreThanTheBoundWatchAtOnce) {
    std::vector<RecordingObserver> many(Observers::kMaxObservers + 1);
    for (std::size_t i = 0; i < Observers::kMaxObservers; ++i) {
        EXPECT_TRUE(modem.add_observer(&many[i]));
    }
    EXPECT_FALSE(modem.add_observer(&many.back()));
    modem.remove_observer(&many[0]);
    EXPECT_TRUE(modem.add_observer(&many.back()));
}

}  // namespace
}  // namespace atcoap::modem
