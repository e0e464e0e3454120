// What the client endpoint tells its watcher (coap/message_record.hpp): nothing while unwatched,
// every message while watched, round-trip times from a bounded memory, and the give-up.

#include <vector>

#include "client_harness.hpp"

namespace atcoap::coap {
namespace {

using namespace testing_support;

class CountingWatcher final : public MessageWatcher {
  public:
    bool watching() const override { return on; }
    void on_message(const MessageRecord& record) override { messages.push_back(record); }
    void on_give_up(const MessageRecord& record) override { give_ups.push_back(record); }

    bool on = true;
    std::vector<MessageRecord> messages;
    std::vector<MessageRecord> give_ups;
};

class ClientRecordTest : public ClientEndpointTest {
  protected:
    ClientRecordTest() { endpoint.set_watcher(&watcher); }
    CountingWatcher watcher;
};

TEST_F(ClientRecordTest, UnwatchedTheEndpointBuildsNoRecord) {
    watcher.on = false;
    send(make(Type::Con, codes::kGet, 7, kTokenA), 0);
    receive(make(Type::Ack, codes::kContent, 7, kTokenA), 10);
    EXPECT_TRUE(watcher.messages.empty());
    EXPECT_EQ(events().size(), 2U);  // the exchange itself went on
}

TEST_F(ClientRecordTest, AGiveUpIsReportedEvenUnwatched) {
    watcher.on = false;
    send(make(Type::Con, codes::kGet, 7, kTokenA), 0);
    run_until(100'000);
    ASSERT_EQ(watcher.give_ups.size(), 1U);
    EXPECT_EQ(watcher.give_ups[0].retransmission, 4U);
    EXPECT_EQ(watcher.give_ups[0].since_first, Duration{62'000});  // 2+4+8+16+32 s
    EXPECT_FALSE(logger.contains("giving up"));  // the watcher logs it, not the endpoint
}

TEST_F(ClientRecordTest, WithoutAWatcherTheEndpointLogsTheGiveUpWithCountAndDelay) {
    endpoint.set_watcher(nullptr);
    send(make(Type::Con, codes::kGet, 7, kTokenA), 0);
    run_until(100'000);
    EXPECT_EQ(logger.count("unacknowledged after 4 retransmissions and 62000 ms: giving up",
                           LogLevel::Warn),
              1U);
}

TEST_F(ClientRecordTest, TheRoundTripMemoryKeepsTheLastEightRequests) {
    // Nine NON requests, tokens 1..9; answers to the first and the last.
    for (std::uint8_t i = 1; i <= 9; ++i) {
        send(make(Type::Non, codes::kGet, i, Token{i}), i);
    }
    receive(make(Type::Non, codes::kContent, 100, Token{9}), 50);
    receive(make(Type::Non, codes::kContent, 101, Token{1}), 60);
    ASSERT_EQ(watcher.messages.size(), 11U);
    EXPECT_EQ(watcher.messages[9].round_trip, Duration{41});   // sent at 9, answered at 50
    EXPECT_EQ(watcher.messages[10].round_trip, std::nullopt);  // forgotten: nine were sent
}

TEST_F(ClientRecordTest, OnlyTheFirstResponseWithATokenHasARoundTrip) {
    send(make(Type::Non, codes::kGet, 1, kTokenB), 0);
    receive(make(Type::Non, codes::kContent, 100, kTokenB), 20);
    receive(make(Type::Non, codes::kContent, 101, kTokenB), 30);
    ASSERT_EQ(watcher.messages.size(), 3U);
    EXPECT_EQ(watcher.messages[1].round_trip, Duration{20});
    EXPECT_EQ(watcher.messages[2].round_trip, std::nullopt);
}

TEST_F(ClientRecordTest, ARetransmissionCarriesItsNumberDelayAndThePathOfItsRequest) {
    Message request = make(Type::Con, codes::kPost, 5, kTokenA);
    request.options.push_back(Option{option::kUriPath, OptionValue{'a'}});
    request.options.push_back(Option{option::kUriPath, OptionValue{'b', 'c'}});
    send(request, 0);
    run_until(2000);
    ASSERT_EQ(watcher.messages.size(), 2U);
    EXPECT_EQ(watcher.messages[0].path, "/a/bc");
    EXPECT_EQ(watcher.messages[0].retransmission, 0U);
    const MessageRecord& again = watcher.messages[1];
    EXPECT_EQ(again.path, "/a/bc");
    EXPECT_EQ(again.retransmission, 1U);
    EXPECT_EQ(again.since_first, Duration{2000});
    EXPECT_EQ(again.size, watcher.messages[0].size);
    EXPECT_EQ(again.code, codes::kPost);
}

}  // namespace
}  // namespace atcoap::coap
