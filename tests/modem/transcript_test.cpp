// Runs every tests/transcripts/*.at file against a fresh modem core in virtual time, and tests
// the runner itself: a transcript the modem does not follow, in bytes or in order, must fail.

#include "transcript.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace atcoap::modem::testing {
namespace {

class Transcript : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(Transcript, ProducesExactlyTheExpectedBytes) {
    std::ifstream file(GetParam(), std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    TranscriptRunner runner;
    const auto failure = runner.run(parse_transcript(text.str()));
    EXPECT_FALSE(failure) << *failure;
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

std::optional<std::string> run(const std::string& text) {
    TranscriptRunner runner;
    return runner.run(parse_transcript(text));
}

// Start-up, a client opened, and one CON GET (header mode 0: message ID 0x0100, token 0x10)
// that nobody answers, so that it is retransmitted.
const std::string kPrelude =
    "< \\r\\nRDY\\r\\n\n"
    "< \\r\\nAPP RDY\\r\\n\n"
    "> ATE0\\r\\n\n"
    "< ATE0\\r\\r\\nOK\\r\\n\n"
    "> AT+QCOAPOPEN=0,\"127.0.0.1\",5683\\r\\n\n"
    "< \\r\\nOK\\r\\n\n"
    "< \\r\\n+QCOAPOPEN: 0,0\\r\\n\n"
    "> AT+QCOAPHEADER=0,256,0,1,10\\r\\n\n"
    "< \\r\\nOK\\r\\n\n"
    "> AT+QCOAPSEND=0,0,1,0,0\\r\\n\n"
    "< \\r\\nOK\\r\\n\n"
    "S< 0 41 01 0100 10\n";

// The default ACK timeout is 2 s and every draw is 0: retransmissions at 2 s and 6 s, each
// reported by +QCOAPIND.
const std::string kTwoRetransmissions =
    "@ 6000\n"
    "< \\r\\n+QCOAPIND: 0,0,256,1,0\\r\\n\n"
    "S< 0 41 01 0100 10\n"
    "< \\r\\n+QCOAPIND: 0,0,256,2,0\\r\\n\n"
    "S< 0 41 01 0100 10\n";

TEST(TranscriptRunner, PassesATranscriptTheModemFollows) {
    const auto failure = run(kPrelude + kTwoRetransmissions);
    EXPECT_FALSE(failure) << *failure;
}

TEST(TranscriptRunner, FailsOnAWrongByteOfHostOutputAndNamesTheLine) {
    const auto failure = run(kPrelude + "@ 2000\n< \\r\\n+QCOAPIND: 0,0,256,9,0\\r\\n\n");
    ASSERT_TRUE(failure);
    EXPECT_NE(failure->find("transcript line 14:"), std::string::npos) << *failure;
    EXPECT_NE(failure->find("+QCOAPIND: 0,0,256,1,0"), std::string::npos) << *failure;
}

TEST(TranscriptRunner, FailsOnAWrongByteOfADatagram) {
    std::string wrong = kPrelude;
    wrong.replace(wrong.rfind("41 01 0100 10"), 13, "41 01 0100 11");
    const auto failure = run(wrong);
    ASSERT_TRUE(failure);
    EXPECT_NE(failure->find("transcript line 12:"), std::string::npos) << *failure;
    EXPECT_NE(failure->find("4101010010"), std::string::npos) << *failure;
}

TEST(TranscriptRunner, FailsOnADatagramOfAnotherClient) {
    std::string wrong = kPrelude;
    wrong.replace(wrong.rfind("S< 0 "), 5, "S< 1 ");
    EXPECT_TRUE(run(wrong));
}

TEST(TranscriptRunner, FailsWhenADatagramIsListedBeforeTheOutputOfAnEarlierCall) {
    // Both retransmissions listed before both reports: every byte is right, the order is not
    // (the first report came with the first retransmission, 4 s before the second one).
    const std::string reordered =
        "@ 6000\n"
        "S< 0 41 01 0100 10\n"
        "S< 0 41 01 0100 10\n"
        "< \\r\\n+QCOAPIND: 0,0,256,1,0\\r\\n\n"
        "< \\r\\n+QCOAPIND: 0,0,256,2,0\\r\\n\n";
    const auto failure = run(kPrelude + reordered);
    ASSERT_TRUE(failure);
    EXPECT_NE(failure->find("transcript line 15:"), std::string::npos) << *failure;
    EXPECT_NE(failure->find("next act was host output"), std::string::npos) << *failure;
}

TEST(TranscriptRunner, FailsWhenOutputIsListedBeforeADatagramOfAnEarlierCall) {
    const std::string reordered =
        "@ 6000\n"
        "< \\r\\n+QCOAPIND: 0,0,256,1,0\\r\\n\n"
        "< \\r\\n+QCOAPIND: 0,0,256,2,0\\r\\n\n"
        "S< 0 41 01 0100 10\n"
        "S< 0 41 01 0100 10\n";
    const auto failure = run(kPrelude + reordered);
    ASSERT_TRUE(failure);
    EXPECT_NE(failure->find("transcript line 15:"), std::string::npos) << *failure;
    EXPECT_NE(failure->find("next act was datagram of client 0"), std::string::npos) << *failure;
}

TEST(TranscriptRunner, FailsWhenADatagramIsExpectedBeforeTheInputThatCausesIt) {
    // The CON's datagram listed before the command that sends it.
    const std::string moved =
        "< \\r\\nRDY\\r\\n\n"
        "< \\r\\nAPP RDY\\r\\n\n"
        "> AT+QCOAPOPEN=0,\"127.0.0.1\",5683\\r\\n\n"
        "< AT+QCOAPOPEN=0,\"127.0.0.1\",5683\\r\\r\\nOK\\r\\n\n"
        "< \\r\\n+QCOAPOPEN: 0,0\\r\\n\n"
        "S< 0 40 01 0000\n"
        "> AT+QCOAPSEND=0,0,1,0,0\\r\\n\n";
    const auto failure = run(moved);
    ASSERT_TRUE(failure);
    EXPECT_NE(failure->find("transcript line 6:"), std::string::npos) << *failure;
}

TEST(TranscriptRunner, WithinOneCallOutputAndDatagramMayComeInEitherOrder) {
    // The OK and the CON's datagram come from one call into the modem: its interface cannot
    // show which came first, so both orders pass.
    std::string datagram_first = kPrelude;
    datagram_first.replace(datagram_first.rfind("< \\r\\nOK\\r\\n\nS< 0 41 01 0100 10\n"),
                           std::string("< \\r\\nOK\\r\\n\nS< 0 41 01 0100 10\n").size(),
                           "S< 0 41 01 0100 10\n< \\r\\nOK\\r\\n\n");
    const auto failure = run(datagram_first);
    EXPECT_FALSE(failure) << *failure;
}

TEST(TranscriptRunner, FailsOnOutputNobodyExpected) {
    const auto failure = run(kPrelude + "@ 2000\n");
    ASSERT_TRUE(failure);
    EXPECT_NE(failure->find("at the end: unexpected host output"), std::string::npos) << *failure;
}

TEST(TranscriptRunner, FailsOnADatagramNobodyExpectedBeforeTheNextInput) {
    std::string missing = kPrelude;
    missing.erase(missing.rfind("S< 0 41 01 0100 10\n"));
    const auto failure = run(missing + "> AT\\r\\n\n");
    ASSERT_TRUE(failure);
    EXPECT_NE(failure->find("unexpected datagram of client 0: 4101010010"), std::string::npos)
        << *failure;
}

TEST(TranscriptParser, ReadsEveryKindOfLine) {
    const auto steps =
        parse_transcript("# c\n> AT\\r\n< OK\\e\\z\\x41\n@ 5\nS> 2 6045 0001\nS< 1 00\n");
    ASSERT_EQ(steps.size(), 5u);
    EXPECT_EQ(steps[0].kind, TranscriptStep::Kind::Send);
    EXPECT_EQ(steps[0].bytes, to_bytes("AT\r"));
    EXPECT_EQ(steps[0].line, 2);
    EXPECT_EQ(steps[1].bytes, (Bytes{'O', 'K', 0x1B, 0x1A, 'A'}));
    EXPECT_EQ(steps[2].advance_ms, 5);
    EXPECT_EQ(steps[3].kind, TranscriptStep::Kind::ServerSends);
    EXPECT_EQ(steps[3].client, 2);
    EXPECT_EQ(steps[3].bytes, (Bytes{0x60, 0x45, 0x00, 0x01}));
    EXPECT_EQ(steps[4].kind, TranscriptStep::Kind::ExpectDatagram);
}

TEST(TranscriptParser, RefusesWhatItCannotRead) {
    EXPECT_THROW(parse_transcript("? x\n"), std::invalid_argument);
    EXPECT_THROW(parse_transcript("S< 0 4G\n"), std::invalid_argument);
    EXPECT_THROW(parse_transcript("< \\q\n"), std::invalid_argument);
}

}  // namespace
}  // namespace atcoap::modem::testing
