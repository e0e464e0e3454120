// The builtin target (docs/SCRIPTS.md): scripts against the modem and the test server in
// virtual time, through the parser, the runner and run_builtin() as `atcoap script` runs them.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "memory_loader.hpp"
#include "script/parser.hpp"
#include "script/run.hpp"

namespace atcoap::script {
namespace {

bool builtin_name(std::string_view name) {
    for (const char* known : {"HOST", "PORT", "DTLS_PORT", "IMEI", "PSK_ID", "PSK_KEY"}) {
        if (name == known) {
            return true;
        }
    }
    return false;
}

Script parse(const std::string& text) {
    auto parsed = testing::parse_text(text, builtin_name);
    if (!parsed) {
        ADD_FAILURE() << parsed.error().text();
        return {};
    }
    return std::move(*parsed);
}

RunResult run(const std::string& text, BuiltinOptions options = {}) {
    return run_builtin(parse(text), Variables{}, options, nullptr);
}

std::string describe(const RunResult& result) {
    std::string out = result.target_error + "\n";
    for (const StepReport& step : result.steps) {
        out += std::to_string(step.pos.line) + " " + std::to_string(step.at.count()) + "ms " +
               (step.ok ? "ok " : "FAILED ") + step.text + " " + step.detail + "\n";
    }
    for (const std::string& line : result.failure_context) {
        out += "  " + line + "\n";
    }
    return out;
}

// The note's §5.1 as docs/SCRIPTS.md shows it: a NON POST of /19, answered 4.04.
const std::string kNote51 = R"(# The note's example 5.1
send AT+QCOAPCFG="pdpcid",0,1
expect OK
send AT+QCOAPOPEN=0,"${HOST}",${PORT}
expect OK
expect-urc within 30s \+QCOAPOPEN: 0,0
send AT+QCOAPHEADER=0,1234,0,6,d204d52e814b
expect OK
send AT+QCOAPOPTION=0,0,0,11,"19"
expect OK
send AT+QCOAPSEND=0,1,2,1,20
expect >
write "Hello, CoAP Message!"
expect OK
expect \+QCOAPACK: 0,1,1234,0
expect-urc within 30s \+QCOAPRECV: 0,(?P<MID>\d+),4\.04,6,D204D52E814B,0,9
expect Not Found
)";

TEST(BuiltinTarget, TheNotesExample51Passes) {
    const RunResult result = run(kNote51);
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
    EXPECT_EQ(result.steps.size(), 16u) << describe(result);
    EXPECT_TRUE(result.target_error.empty());
    // Two trips over the simulated link (20 ms each way): the open is instant, the answer
    // comes one round trip after the payload.
    EXPECT_EQ(result.script_time, Duration{40}) << describe(result);
}

TEST(BuiltinTarget, AWrongExpectationFailsAtItsLine) {
    std::string wrong = kNote51;
    wrong.replace(wrong.find("expect Not Found"), 16, "expect Found");
    const RunResult result = run(wrong);
    EXPECT_EQ(result.verdict, Verdict::Failed) << describe(result);
    ASSERT_FALSE(result.steps.empty());
    EXPECT_FALSE(result.steps.back().ok);
    EXPECT_EQ(result.steps.back().pos.line, 17);
    EXPECT_NE(result.steps.back().detail.find("Not Found"), std::string::npos) << describe(result);
    EXPECT_FALSE(result.failure_context.empty());
}

// With a timeout of 4 s and 5 retries, the CON is given up 63 first waits after it was sent
// (docs/DIALECT.md: retransmissions after 1, 3, 7, 15 and 31 first waits): minutes of virtual
// time in milliseconds of wall time.
const std::string kGiveUp = R"(send AT+QCOAPCFG="trans",0,4,5
expect OK
send AT+QCOAPOPEN=0,"${HOST}",${PORT}
expect OK
expect-urc \+QCOAPOPEN: 0,0
netem up loss 100%
send AT+QCOAPHEADER=0,77,0,1,AB
expect OK
send AT+QCOAPSEND=0,0,1,0,0
expect OK
expect-urc within 10s \+QCOAPIND: 0,0,77,1,0
expect-urc within 10min \+QCOAPACK: 0,0,77,-11
)";

TEST(BuiltinTarget, AConGivesUpAtItsExactVirtualTime) {
    const RunResult result = run(kGiveUp);
    ASSERT_EQ(result.verdict, Verdict::Passed) << describe(result);
    ASSERT_EQ(result.steps.size(), 12u);
    const TimePoint sent = at_ms(0) + result.steps[9].at;
    const Duration first_wait = result.steps[10].at - result.steps[9].at;
    EXPECT_GE(first_wait, Duration{4000});
    EXPECT_LE(first_wait, Duration{6000});
    EXPECT_EQ(at_ms(0) + result.steps[11].at, sent + 63 * first_wait) << describe(result);
    EXPECT_GE(result.script_time, Duration{252'000});
    // The wall time is measured, not asserted (docs/TESTING.md: no timed unit tests).
    std::printf("give-up at %lld ms of virtual time, %lld ms of wall time\n",
                static_cast<long long>(result.script_time.count()),
                static_cast<long long>(result.wall_time.count()));
}

TEST(BuiltinTarget, TwoRunsReportTheSame) {
    for (const std::string* script : {&kNote51, &kGiveUp}) {
        EXPECT_EQ(describe(run(*script)), describe(run(*script)));
    }
    BuiltinOptions other;
    other.seed = 2;
    EXPECT_NE(describe(run(kGiveUp)), describe(run(kGiveUp, other)))
        << "the seed draws the first wait";
}

// The note's §5.2 set-up: the PSK file uploaded (IDENTITY&KEY), then an open to the DTLS port.
std::string dtls_open(const std::string& key_file, const std::string& open_result) {
    return R"(send AT+QCOAPCFG="dtls",0,1,0
expect OK
send AT+QSSLCFG="dtls",0,1
expect OK
send AT+QFUPL="UFS:0_server.psk",34
expect CONNECT
write ")" + key_file +
           R"("
expect-urc \+QFUPL: 34,[0-9a-f]+
expect OK
send AT+QCOAPOPEN=0,"${HOST}",${DTLS_PORT}
expect OK
expect-urc within 60s \+QCOAPOPEN: 0,)" +
           open_result + "\n";
}

TEST(BuiltinTarget, ADtlsOpenWithTheServersKeySucceeds) {
    const RunResult result = run(dtls_open("${PSK_ID}&${PSK_KEY}", "0") +
                                 "send AT+QCOAPSEND=0,0,1,0,0\nexpect OK\n"
                                 "expect-urc \\+QCOAPACK: 0,0,\\d+,0\n");
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
}

TEST(BuiltinTarget, ADtlsOpenWithAnotherKeyThanTheServersFailsWithMinus9) {
    BuiltinOptions options;
    options.psk_key_hex = "00112233";  // the server's key; the modem is given the note's
    const std::string note_key = "864508030012428&313233343446473839";
    RunResult result = run(dtls_open(note_key, "-9"), options);
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
    result = run(dtls_open(note_key, "0"), options);
    EXPECT_EQ(result.verdict, Verdict::Failed) << describe(result);
    EXPECT_EQ(result.steps.back().pos.line, 12);
}

TEST(BuiltinTarget, ARadioOffStepMakesTheNextConFailAtOnce) {
    const RunResult result = run(R"(send AT+QCOAPOPEN=0,"${HOST}",${PORT}
expect OK
expect-urc \+QCOAPOPEN: 0,0
send AT+QCOAPHEADER=0,77,0,1,AB
expect OK
radio off
send AT+QCOAPSEND=0,0,1,0,0
expect OK
expect-urc within 1s \+QCOAPACK: 0,0,77,-11
radio on
send AT+QCOAPHEADER=0,78,0,1,AB
expect OK
send AT+QCOAPSEND=0,0,1,0,0
expect OK
expect-urc within 1s \+QCOAPACK: 0,0,78,0
)");
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
}

TEST(BuiltinTarget, AControlStepMeetsTheModemAfterTheLinesSentBeforeIt) {
    // The CON leaves before the radio goes: no -11 at once, but its ACK finds no radio.
    const RunResult result = run(R"(send AT+QCOAPOPEN=0,"${HOST}",${PORT}
expect OK
expect-urc \+QCOAPOPEN: 0,0
send AT+QCOAPHEADER=0,77,0,1,AB
expect OK
send AT+QCOAPSEND=0,0,1,0,0
radio off
expect OK
expect-none within 1s \+QCOAPACK: .*
)");
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
}

TEST(BuiltinTarget, TheTargetsVariablesYieldToTheCommandLines) {
    Variables given;
    given.values["PORT"] = "9";  // nobody serves it: the CON is lost
    const RunResult result = run_builtin(parse(R"(send AT+QCOAPOPEN=0,"${HOST}",${PORT}
expect OK
expect-urc \+QCOAPOPEN: 0,0
send AT+QCOAPOPEN?
expect \+QCOAPOPEN: 0,"127\.0\.0\.1",9,\d+
expect OK
send AT+CGSN
expect ${IMEI}
)"),
                                         given, BuiltinOptions{}, nullptr);
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
}

TEST(BuiltinTarget, AWaitPastTheBoundOfVirtualTimeIsAScriptError) {
    const RunResult result = run("wait 24h\nwait 1s\n");
    EXPECT_EQ(result.verdict, Verdict::ScriptError) << describe(result);
    EXPECT_NE(result.target_error.find("24 h"), std::string::npos) << result.target_error;
}

TEST(BuiltinTarget, ABadKeyIsRefusedBeforeTheRun) {
    BuiltinOptions options;
    options.psk_key_hex = "5EC2E7 not hex";
    const RunResult result = run("wait 1s\n", options);
    EXPECT_EQ(result.verdict, Verdict::ScriptError);
    EXPECT_TRUE(result.steps.empty());
    EXPECT_EQ(result.target_error.find("5EC2E7"), std::string::npos) << "a key is never quoted";
}

}  // namespace
}  // namespace atcoap::script
