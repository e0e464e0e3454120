// Runs every tests/transcripts/*.at file against a fresh modem core in virtual time.

#include "transcript.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "base/hex.hpp"
#include "modem/modem.hpp"
#include "ufs/storage.hpp"

namespace atcoap::modem::testing {
namespace {

/// Every draw is 0: the first retransmission wait is exactly the ACK timeout, message IDs
/// start at 0 and random tokens are all zero bytes, so transcripts stay readable and exact.
class ZeroRandom final : public Random {
  public:
    std::uint32_t next_u32() override { return 0; }
};

/// A name that never resolves, for the -5 path.
constexpr std::string_view kUnresolvable = "unresolvable.invalid";

class TranscriptRunner {
  public:
    TranscriptRunner() : modem_(ModemOptions{}, storage_, random_, logger_) { modem_.start(now_); }

    void run(const std::vector<TranscriptStep>& steps) {
        for (const TranscriptStep& step : steps) {
            SCOPED_TRACE("transcript line " + std::to_string(step.line));
            switch (step.kind) {
                case TranscriptStep::Kind::Send:
                    expect_nothing_more();
                    modem_.on_host_bytes(step.bytes, now_);
                    break;
                case TranscriptStep::Kind::Expect:
                    expect(step.bytes);
                    break;
                case TranscriptStep::Kind::Advance:
                    expect_nothing_more();
                    advance(Duration{step.advance_ms});
                    break;
                case TranscriptStep::Kind::ServerSends:
                    expect_nothing_more();
                    modem_.on_datagram(socket_of(step.client), step.bytes, now_);
                    break;
                case TranscriptStep::Kind::ExpectDatagram:
                    expect_datagram(step);
                    break;
            }
            serve_network();
            if (::testing::Test::HasFatalFailure()) {
                return;
            }
        }
        expect_nothing_more();
    }

  private:
    /// The simulated network: sockets open at once (a name that cannot resolve fails), sent
    /// datagrams wait for `S<` lines.
    void serve_network() {
        for (net::Request& request : modem_.take_network_requests()) {
            if (auto* open = std::get_if<net::OpenSocket>(&request)) {
                sockets_[open->id.client] = open->id;
                const bool resolves = open->host != kUnresolvable;
                modem_.on_socket_opened(
                    open->id, resolves ? net::OpenResult::Opened : net::OpenResult::NameNotResolved,
                    now_);
            } else if (auto* send = std::get_if<net::SendDatagram>(&request)) {
                sent_.push_back({send->id.client, std::move(send->bytes)});
            }
        }
    }

    net::SocketId socket_of(int client) { return sockets_[client]; }

    void expect_datagram(const TranscriptStep& step) {
        serve_network();
        ASSERT_FALSE(sent_.empty()) << "no datagram was sent";
        const auto [client, bytes] = sent_.front();
        sent_.erase(sent_.begin());
        EXPECT_EQ(client, step.client);
        ASSERT_EQ(to_hex_upper(bytes), to_hex_upper(step.bytes));
    }

    void collect() {
        const Bytes out = modem_.take_host_output();
        pending_.insert(pending_.end(), out.begin(), out.end());
    }

    void expect(const Bytes& expected) {
        collect();
        const bool match = pending_.size() >= expected.size() &&
                           std::equal(expected.begin(), expected.end(), pending_.begin());
        ASSERT_TRUE(match) << "expected: " << escape(expected)
                           << "\n     got: " << escape(pending_);
        pending_.erase(pending_.begin(),
                       pending_.begin() + static_cast<std::ptrdiff_t>(expected.size()));
    }

    void expect_nothing_more() {
        collect();
        ASSERT_TRUE(pending_.empty()) << "unexpected output: " << escape(pending_);
        serve_network();
        ASSERT_TRUE(sent_.empty()) << "unexpected datagram: " << to_hex_upper(sent_.front().second);
    }

    /// Virtual time: every deadline on the way fires at its exact time.
    void advance(Duration by) {
        const TimePoint target = now_ + by;
        while (true) {
            const auto deadline = modem_.next_deadline();
            if (!deadline || *deadline > target) {
                break;
            }
            now_ = std::max(now_, *deadline);
            modem_.on_timeout(now_);
            serve_network();
        }
        now_ = target;
    }

    ufs::MemoryStorage storage_;
    ZeroRandom random_;
    NullLogger logger_;
    std::map<int, net::SocketId> sockets_;
    std::vector<std::pair<int, Bytes>> sent_;
    TimePoint now_ = at_ms(0);
    Modem modem_;
    Bytes pending_;
};

class Transcript : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(Transcript, ProducesExactlyTheExpectedBytes) {
    std::ifstream file(GetParam(), std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    TranscriptRunner runner;
    runner.run(parse_transcript(text.str()));
}

std::string transcript_name(const ::testing::TestParamInfo<std::filesystem::path>& param) {
    std::string name = param.param.stem().string();
    std::replace_if(
        name.begin(), name.end(),
        [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(Files, Transcript, ::testing::ValuesIn(transcript_files()),
                         transcript_name);

}  // namespace
}  // namespace atcoap::modem::testing
