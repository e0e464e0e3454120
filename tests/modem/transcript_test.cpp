// Runs every tests/transcripts/*.at file against a fresh modem core in virtual time.

#include "transcript.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "modem/modem.hpp"
#include "ufs/storage.hpp"

namespace atcoap::modem::testing {
namespace {

class TranscriptRunner {
  public:
    TranscriptRunner() : modem_(ModemOptions{}, storage_, logger_) { modem_.start(now_); }

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
            }
            if (::testing::Test::HasFatalFailure()) {
                return;
            }
        }
        expect_nothing_more();
    }

  private:
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
        }
        now_ = target;
    }

    ufs::MemoryStorage storage_;
    NullLogger logger_;
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
