// The recorder (src/script/recorder.hpp): sessions as bytes in, the script's text out.
#include "script/recorder.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/capturing_logger.hpp"

namespace atcoap::script {
namespace {

constexpr std::string_view kHeader =
    "# Recorded by atcoap --record (docs/SCRIPTS.md, \"Recording a session\").\n";

/// A session: what the host wrote and what the modem answered, at times in milliseconds.
class Session {
  public:
    explicit Session(std::size_t bound = kMaxRecordedScript) : recorder_(logger_, bound) {
        recorder_.on_output(as_bytes("\r\nRDY\r\n\r\nAPP RDY\r\n"), at_ms(0));
    }
    Session& host(std::int64_t ms, std::string_view bytes) {
        recorder_.on_host_bytes(as_bytes(bytes), at_ms(ms));
        return *this;
    }
    Session& out(std::int64_t ms, std::string_view bytes) {
        recorder_.on_output(as_bytes(bytes), at_ms(ms));
        return *this;
    }
    /// A command line with CR LF, its echo and its answer, all at `ms`.
    Session& command(std::int64_t ms, std::string_view line, std::string_view answer = "OK") {
        host(ms, std::string(line) + "\r\n");
        return out(ms, std::string(line) + "\r\r\n" + std::string(answer) + "\r\n");
    }
    std::string body() { return recorder_.script().substr(kHeader.size()); }
    Recorder& recorder() { return recorder_; }
    test::CapturingLogger& logger() { return logger_; }

  private:
    test::CapturingLogger logger_;
    Recorder recorder_;
};

TEST(RecorderTest, NoteSection5_1BecomesAScriptThatCapturesTheToken) {
    Session s;
    s.command(100, "AT+QCOAPCFG=\"trans\",0,4,5");
    s.command(200, "AT+QCOAPOPEN=0,\"127.0.0.1\",5683").out(250, "\r\n+QCOAPOPEN: 0,0\r\n");
    s.command(300, "AT+QCOAPHEADER=0,1234,1");
    s.command(400, "AT+QCOAPOPTION=0,0,0,11,\"19\"");
    s.command(500, "AT+QCOAPOPTION=0,0,1,12,40");
    s.host(600, "AT+QCOAPSEND=0,1,2,1,20\r\n").out(600, "AT+QCOAPSEND=0,1,2,1,20\r\r\n> ");
    s.host(700, "Hello, CoAP Message!")
        .out(700, "Hello, CoAP Message!\r\nOK\r\n\r\n+QCOAPACK: 0,1,1234,0\r\n");
    s.out(800, "\r\n+QCOAPRECV: 0,1234,4.04,6,596005B1CF9C,0,9\r\nNot Found\r\n");
    s.command(900, "AT+QCOAPCLOSE=0").out(900, "\r\n+QCOAPCLOSE: 0,0\r\n");
    const std::string script = s.recorder().script();
    EXPECT_TRUE(script.starts_with(kHeader));
    EXPECT_EQ(script.substr(kHeader.size()),
              "send AT+QCOAPCFG=\"trans\",0,4,5\n"
              "expect OK\n"
              "send AT+QCOAPOPEN=0,\"${HOST}\",${PORT}\n"
              "expect OK\n"
              "expect-urc within 5s \\+QCOAPOPEN: 0,0\n"
              "send AT+QCOAPHEADER=0,1234,1\n"
              "expect OK\n"
              "send AT+QCOAPOPTION=0,0,0,11,\"19\"\n"
              "expect OK\n"
              "send AT+QCOAPOPTION=0,0,1,12,40\n"
              "expect OK\n"
              "send AT+QCOAPSEND=0,1,2,1,20\n"
              "expect >\n"
              "write \"Hello, CoAP Message!\"\n"
              "expect OK\n"
              "expect-urc within 5s \\+QCOAPACK: 0,1,1234,0\n"
              "expect-urc within 5s \\+QCOAPRECV: 0,1234,4\\.04,6,(?P<TOKEN1>[0-9A-F]*),0,9\n"
              "expect-urc within 5s Not Found\n"
              "send AT+QCOAPCLOSE=0\n"
              "expect OK\n"
              "expect-urc within 5s \\+QCOAPCLOSE: 0,0\n");
    EXPECT_TRUE(s.logger().lines.empty());
}

TEST(RecorderTest, CapturedValuesReplaceTheHostsLaterUseOfThem) {
    Session s;
    s.host(0, "ATE0\r\n").out(0, "ATE0\r\r\nOK\r\n");
    s.host(10, "AT+QCOAPHEADER=1,400,0,1,01\r\n").out(10, "\r\nOK\r\n");
    s.host(20, "AT+QCOAPSEND=1,0,1,1,0\r\n").out(20, "\r\nOK\r\n\r\n+QCOAPACK: 1,0,400,0\r\n");
    // A separate response: the server's message ID, and a token the modem drew (mode 1).
    s.out(1020, "\r\n+QCOAPRECV: 1,4723,2.05,6,5F0C3A9D21E4,0,2\r\nhi\r\n");
    s.host(1100, "AT+QCOAPHEADER=1,4723,0,6,5f0c3a9d21e4\r\n").out(1100, "\r\nOK\r\n");
    s.host(1200, "AT+QCOAPOPTION=1,0,0,11,\"4723\";+QCOAPOPTION=1,0,1,12,7\r\n")
        .out(1200, "\r\nOK\r\n");
    s.host(1300, "AT+QCOAPSEND=1,2,69,3,0\r\n")
        .out(1300, "\r\nOK\r\n\r\n+QCOAPACK: 1,2,4723,0\r\n");
    s.out(1400, "\r\n+QCOAPRECV: 1,7,2.05,0,,0,0\r\n");
    EXPECT_EQ(s.body(),
              "send ATE0\n"
              "expect OK\n"
              "send AT+QCOAPHEADER=1,400,0,1,01\n"
              "expect OK\n"
              "send AT+QCOAPSEND=1,0,1,1,0\n"
              "expect OK\n"
              "expect-urc within 5s \\+QCOAPACK: 1,0,400,0\n"
              "expect-urc within 5s \\+QCOAPRECV: 1,(?P<MID1>\\d+),2\\.05,6,"
              "(?P<TOKEN1>[0-9A-F]*),0,2\n"
              "expect-urc within 5s hi\n"
              "send AT+QCOAPHEADER=1,${MID1},0,6,${TOKEN1}\n"
              "expect OK\n"
              "send AT+QCOAPOPTION=1,0,0,11,\"${MID1}\";+QCOAPOPTION=1,0,1,12,7\n"
              "expect OK\n"
              "send AT+QCOAPSEND=1,2,69,3,0\n"
              "expect OK\n"
              "expect-urc within 5s \\+QCOAPACK: 1,2,${MID1},0\n"
              "expect-urc within 5s \\+QCOAPRECV: 1,(?P<MID2>\\d+),2\\.05,0,,0,0\n");
}

TEST(RecorderTest, TheServersAddressBecomesItsVariables) {
    Session s;
    s.command(0, "AT+QCOAPCFG=\"dtls\",1,1,0");
    s.command(1, "AT+QCOAPOPEN=0,\"coap.me\",5683").out(1, "\r\n+QCOAPOPEN: 0,0\r\n");
    s.command(2, "AT+QCOAPOPEN=1,\"coap.me\",5684").out(2, "\r\n+QCOAPOPEN: 1,0\r\n");
    s.command(3, "AT+QCOAPOPEN?",
              "+QCOAPOPEN: 0,\"coap.me\",5683,3\r\n+QCOAPOPEN: 1,\"coap.me\",5684,3\r\n"
              "+QCOAPOPEN: 2,\"other\",5683,3\r\n\r\nOK");
    s.out(4, "\r\n+QCOAPRECV: 0,4321,2.05,0,,0,0\r\n");
    s.command(5, "AT+QCOAPHEADER=0,4321,1");
    EXPECT_EQ(s.body(),
              "send AT+QCOAPCFG=\"dtls\",1,1,0\n"
              "expect OK\n"
              "send AT+QCOAPOPEN=0,\"${HOST}\",${PORT}\n"
              "expect OK\n"
              "expect-urc within 5s \\+QCOAPOPEN: 0,0\n"
              "send AT+QCOAPOPEN=1,\"${HOST}\",${DTLS_PORT}\n"
              "expect OK\n"
              "expect-urc within 5s \\+QCOAPOPEN: 1,0\n"
              "send AT+QCOAPOPEN?\n"
              "expect \\+QCOAPOPEN: 0,\"${HOST}\",${PORT},3\n"
              "expect \\+QCOAPOPEN: 1,\"${HOST}\",${DTLS_PORT},3\n"
              "expect \\+QCOAPOPEN: 2,\"other\",5683,3\n"
              "expect OK\n"
              "expect-urc within 5s \\+QCOAPRECV: 0,(?P<MID1>\\d+),2\\.05,0,,0,0\n"
              "send AT+QCOAPHEADER=0,${MID1},1\n"
              "expect OK\n");
}

TEST(RecorderTest, AShortCapturedValueIsReplacedOnlyInTheHeadersSlots) {
    Session s;
    s.out(0, "");
    s.host(0, "ATE0\r\n").out(0, "ATE0\r\r\nOK\r\n");
    s.out(10, "\r\n+QCOAPRECV: 0,7,2.05,0,,0,0\r\n");
    s.host(20, "AT+QCOAPSEND=0,7,7,0,0;+QCOAPHEADER=0,7,1\r\n").out(20, "\r\nOK\r\n");
    const std::string body = s.body();
    EXPECT_NE(body.find("send AT+QCOAPSEND=0,7,7,0,0;+QCOAPHEADER=0,${MID1},1\n"),
              std::string::npos)
        << body;
}

TEST(RecorderTest, ABareCrHostGetsLineEndCr) {
    Session s;
    s.host(0, "ATI\r").out(0, "ATI\r\r\nQuectel\r\nBG95-M3\r\n\r\nOK\r\n");
    s.host(10, "AT\r").out(10, "AT\r\r\nOK\r\n");
    s.host(20, "AT\r\n").out(20, "AT\r\r\nOK\r\n");
    s.host(30, "AT\r");  // the last line: no byte after it, the line end goes on as before
    EXPECT_EQ(s.body(),
              "line-end cr\n"
              "send ATI\n"
              "expect Quectel\n"
              "expect BG95-M3\n"
              "expect OK\n"
              "send AT\n"
              "expect OK\n"
              "line-end crlf\n"
              "send AT\n"
              "expect OK\n"
              "send AT\n");
}

TEST(RecorderTest, BinaryPayloadIsWrittenInHexAndCtrlZAndEscAreSteps) {
    Session s;
    s.command(0, "ATE0");
    s.host(10, "AT+QCOAPSEND=0,1,2,1,4\r\n").out(10, "\r\n> ");
    s.host(20, std::string("\x00\x1a\xff\x1b", 4)).out(20, "\r\nOK\r\n");
    s.host(30, "AT+QCOAPSEND=0,1,2,1\r\n").out(30, "\r\n> ");
    s.host(40, "a\"$\\\tb\x1a\r\n").out(40, "\r\nOK\r\n");
    s.host(50, "AT+QCOAPSEND=0,1,2,1\r\n").out(50, "\r\n> ");
    s.host(60, "gone\x1b").out(60, "\r\nOK\r\n");
    EXPECT_EQ(s.body(),
              "send ATE0\n"
              "expect OK\n"
              "send AT+QCOAPSEND=0,1,2,1,4\n"
              "expect >\n"
              "write hex 001AFF1B\n"
              "expect OK\n"
              "send AT+QCOAPSEND=0,1,2,1\n"
              "expect >\n"
              "write \"a\\\"\\$\\\\\\tb\"\n"
              "ctrl-z\n"
              "expect OK\n"
              "send AT+QCOAPSEND=0,1,2,1\n"
              "expect >\n"
              "write \"gone\"\n"
              "esc\n"
              "expect OK\n");
}

TEST(RecorderTest, APayloadTypedBeforeThePromptIsWrittenAfterIt) {
    Session s;
    s.host(0, "AT+QCOAPSEND=0,1,2,1,5\r\nHello").out(0, "AT+QCOAPSEND=0,1,2,1,5\r\r\n> Hello");
    s.out(10, "\r\nOK\r\n");
    EXPECT_EQ(s.body(),
              "send AT+QCOAPSEND=0,1,2,1,5\n"
              "expect >\n"
              "write \"Hello\"\n"
              "expect OK\n");
}

TEST(RecorderTest, BytesTypedAheadOfARefusedSendAreCommands) {
    Session s;
    s.command(0, "ATE0");
    s.host(10, "AT+QCOAPSEND=5,1,2,1,2\r\nAT\r\n").out(10, "\r\nERROR\r\n");
    s.out(11, "\r\nOK\r\n");
    EXPECT_EQ(s.body(),
              "send ATE0\nexpect OK\n"
              "send AT+QCOAPSEND=5,1,2,1,2\n"
              "expect ERROR\n"
              "send AT\n"
              "expect OK\n");
}

TEST(RecorderTest, LinesTypedAheadAreSentWhenTheModemReadsThem) {
    Session s;
    s.host(0, "AT\r\nAT+QFUPL=\"a\",2\r\nhi\r\nATI\r\nAT+QFLST\r\n");
    s.out(1, "AT\r\r\nOK\r\nAT+QFUPL=\"a\",2\r\r\nCONNECT\r\n");
    s.out(2, "\r\n+QFUPL: 2,6869\r\n\r\nOK\r\n\r\nATI\r\r\nQuectel\r\n\r\nOK\r\n");
    EXPECT_EQ(s.body(),
              "send AT\nexpect OK\n"
              "send AT+QFUPL=\"a\",2\n"
              "expect CONNECT\n"
              "write \"hi\"\n"
              "expect \\+QFUPL: 2,6869\n"
              "expect OK\n"
              "send ATI\nexpect Quectel\nexpect OK\n"
              "send AT+QFLST\n");  // never answered: sent at the end all the same
}

TEST(RecorderTest, AnUploadEndsByItsSizeOrByTheModemsAnswer) {
    Session s;
    s.command(0, "ATE0");
    s.host(10, "AT+QFUPL=\"a.txt\",3\r\n").out(10, "\r\nCONNECT\r\n");
    s.host(20, "a\r\n").out(20, "\r\n+QFUPL: 3,e0d\r\n\r\nOK\r\n");
    s.host(30, "AT+QFUPL=\"b.txt\",39\r\n").out(30, "\r\nCONNECT\r\n");
    s.host(40, "short").out(5040, "\r\n+QFUPL: 5,1234\r\n\r\nOK\r\n");  // its timeout
    s.host(6000, "AT\r\n").out(6000, "\r\nOK\r\n");
    EXPECT_EQ(s.body(),
              "send ATE0\nexpect OK\n"
              "send AT+QFUPL=\"a.txt\",3\n"
              "expect CONNECT\n"
              "write \"a\\r\\n\"\n"
              "expect \\+QFUPL: 3,e0d\n"
              "expect OK\n"
              "send AT+QFUPL=\"b.txt\",39\n"
              "expect CONNECT\n"
              "write \"short\"\n"
              "expect within 11s \\+QFUPL: 5,1234\n"
              "expect within 11s OK\n"
              "send AT\n"
              "expect OK\n");
}

TEST(RecorderTest, AUrcWaitsTwiceItsDelayPlusASecond) {
    Session s;
    s.command(0, "ATE0");
    s.host(1000, "AT+QCOAPSEND=0,0,1,0,0\r\n").out(1000, "\r\nOK\r\n");
    s.out(3500, "\r\n+QCOAPIND: 0,0,300,1,0\r\n");
    s.out(248'000, "\r\n+QCOAPACK: 0,0,300,-11\r\n");
    EXPECT_EQ(s.body(),
              "send ATE0\nexpect OK\n"
              "send AT+QCOAPSEND=0,0,1,0,0\n"
              "expect OK\n"
              "expect-urc within 6s \\+QCOAPIND: 0,0,(?P<MID1>\\d+),1,0\n"
              "expect-urc within 495s \\+QCOAPACK: 0,0,${MID1},-11\n");
}

TEST(RecorderTest, AResponseIsNotAUrcWhileItsCommandRuns) {
    Session s;
    s.command(0, "ATE0");
    s.host(10, "AT+QCOAPOPEN?\r\n")
        .out(10,
             "\r\n+QCOAPOPEN: 0,\"127.0.0.1\",5683,3\r\n\r\nOK\r\n\r\n+QIURC: \"pdpdeact\",1\r\n");
    s.host(20, "AT+CFUN=1,1\r\n").out(20, "\r\nOK\r\n").out(2520, "\r\nRDY\r\n\r\nAPP RDY\r\n");
    EXPECT_EQ(s.body(),
              "send ATE0\nexpect OK\n"
              "send AT+QCOAPOPEN?\n"
              "expect \\+QCOAPOPEN: 0,\"127\\.0\\.0\\.1\",5683,3\n"
              "expect OK\n"
              "expect-urc within 5s \\+QIURC: \"pdpdeact\",1\n"
              "send AT+CFUN=1,1\n"
              "expect OK\n"
              "expect-urc within 6s RDY\n"
              "expect-urc within 6s APP RDY\n");
}

TEST(RecorderTest, TextThatNeedsQuotingIsQuoted) {
    Session s;
    s.host(0, "AT+QCOAPOPTION=0,0,0,11,\"${x}\"\r\n");
    s.out(0, "AT+QCOAPOPTION=0,0,0,11,\"${x}\"\r\r\nwithin 1s ok  \r\n+X: \"${x}\"\r\n");
    s.host(10, "\"AT\x08 \r\n");
    EXPECT_EQ(s.body(),
              "send \"AT+QCOAPOPTION=0,0,0,11,\\\"\\${x}\\\"\"\n"
              "expect within 5s within 1s ok \\x20\n"
              "expect \\+X: \"\\$\\{x\\}\"\n"
              "send \"\\\"AT\\x08 \"\n");
}

TEST(RecorderTest, RecordingStopsAtItsBoundWithOneLogLineAndAComment) {
    Session s(200);
    for (int i = 0; i < 50; ++i) {
        s.command(i, "AT");
    }
    const std::string script = s.recorder().script();
    EXPECT_TRUE(s.recorder().stopped());
    EXPECT_LE(script.size(), 200u + kHeader.size() + 100u);
    EXPECT_TRUE(
        script.ends_with("# Recording stopped here: the script reached its bound of 200 bytes.\n"))
        << script;
    EXPECT_EQ(s.logger().count("--record: the script reached its bound of 200 bytes"), 1u);
}

TEST(RecorderTest, ACommandLineLongerThanItsBoundLosesItsRest) {
    Session s;
    s.host(0, std::string(kMaxRecordedLine + 10, 'A') + "\r\n");
    s.host(1, std::string(kMaxRecordedLine + 10, 'B') + "\r\n");
    const std::string body = s.body();
    EXPECT_EQ(body.size(), 2 * (5 + kMaxRecordedLine + 1));
    EXPECT_EQ(s.logger().count("longer than 65536 bytes; the rest is not recorded"), 1u);
}

TEST(RecorderTest, ABareUrcPrefixIsALineLikeAnyOther) {
    Session s;
    s.command(0, "AT");
    s.out(1, "\r\n+QCOAPACK:\r\n+QCOAPRECV: 0\r\n");
    EXPECT_EQ(s.body(),
              "send AT\nexpect OK\n"
              "expect-urc within 5s \\+QCOAPACK:\n"
              "expect-urc within 5s \\+QCOAPRECV: 0\n");
}

TEST(RecorderTest, EchoesAreLeftToTheRunnerAsItSkipsThem) {
    Session s;
    // With echo on: the lines sent come back and are skipped; a payload typed ahead comes back
    // on the prompt's line; the echo of a line that is not the next one due is output.
    s.host(0, "AT+QCOAPSEND=0,1,2,1,3\r\nabc")
        .out(0, "AT+QCOAPSEND=0,1,2,1,3\r\r\n> abc\r\nOK\r\n");
    s.host(1, "ATE0\r\n").out(1, "ATE0\r\r\nOK\r\n");
    s.host(2, "AT\r\n").out(2, "\r\nOK\r\nAT\r\n");
    EXPECT_EQ(s.body(),
              "send AT+QCOAPSEND=0,1,2,1,3\n"
              "expect >\n"
              "write \"abc\"\n"
              "expect OK\n"
              "send ATE0\n"
              "expect OK\n"
              "send AT\n"
              "expect OK\n"
              "expect AT\n");
}

TEST(RecorderTest, ANewHostIsAComment) {
    Session s;
    s.command(0, "AT");
    s.host(1, "AT+QCOAP");
    s.recorder().on_host_attached(at_ms(2));
    s.command(3, "AT");
    EXPECT_EQ(s.body(),
              "send AT\nexpect OK\n"
              "# a new host attached here\n"
              "send AT\nexpect OK\n");
}

}  // namespace
}  // namespace atcoap::script
