// Every error of a script's own lines: the message and its exact FILE:LINE:COLUMN.

#include <gtest/gtest.h>

#include "memory_loader.hpp"
#include "script/parser.hpp"

namespace atcoap::script {
namespace {

using testing::error_of;
using testing::given;

constexpr const char* kDuration = "expected a duration such as 5s or 250ms";

TEST(ParserErrors, UnknownAndRefusedSteps) {
    EXPECT_EQ(error_of("send AT\n  frobnicate now"),
              "t.at:2:3: unknown step frobnicate (expected send, write, ctrl-z, esc, expect, "
              "expect-urc, expect-none, wait, set, line-end, timeout, include, or a fault: "
              "radio, pdp, signal, urc, reboot, latency, netem)");
    for (const std::string word : {"status", "quit", "events", "query-commands"}) {
        EXPECT_EQ(error_of(word),
                  "t.at:1:1: not a script step: " + word +
                      " is for atcoap ctl; a script's faults are radio, pdp, signal, urc, "
                      "reboot, latency and netem");
    }
    EXPECT_EQ(error_of("SEND AT").substr(0, 26), "t.at:1:1: unknown step SEN");
}

TEST(ParserErrors, Durations) {
    EXPECT_EQ(error_of("wait 5"), std::string("t.at:1:6: ") + kDuration);
    for (const char* bad : {"wait 5sec", "wait 1.s", "wait .5s", "wait -1s", "wait 5 s", "wait s",
                            "wait 1e3ms", "wait 1,5s"}) {
        EXPECT_EQ(error_of(bad), std::string("t.at:1:6: ") + kDuration) << bad;
    }
    EXPECT_EQ(error_of("wait"), std::string("t.at:1:5: ") + kDuration);
    EXPECT_EQ(error_of("timeout 10"), std::string("t.at:1:9: ") + kDuration);
    EXPECT_EQ(error_of("expect within 5x OK"), std::string("t.at:1:15: ") + kDuration);
    EXPECT_EQ(error_of("wait 24.001h"), "t.at:1:6: a duration is at most 24h");
    EXPECT_EQ(error_of("wait 99999999999999999999999h"), "t.at:1:6: a duration is at most 24h");
    EXPECT_EQ(error_of("wait 5s 6s"), "t.at:1:9: unexpected \"6s\" at the end of the step");
    EXPECT_EQ(error_of("esc now"), "t.at:1:5: unexpected \"now\" at the end of the step");
    EXPECT_EQ(error_of("ctrl-z x"), "t.at:1:8: unexpected \"x\" at the end of the step");
}

TEST(ParserErrors, QuotedText) {
    EXPECT_EQ(error_of("send \"abc"),
              "t.at:1:6: unterminated quoted string (expected a closing \")");
    EXPECT_EQ(error_of("send \"abc\\\""),
              "t.at:1:6: unterminated quoted string (expected a closing \")");
    EXPECT_EQ(error_of("send \"abc\\"),
              "t.at:1:6: unterminated quoted string (expected a closing \")");
    EXPECT_EQ(error_of("send \"a\" b"), "t.at:1:10: expected nothing after the closing quote");
    EXPECT_EQ(error_of("send \"a\"\"b\""), "t.at:1:9: expected nothing after the closing quote");
    EXPECT_EQ(error_of(R"(send "a\qb")"),
              R"(t.at:1:8: unknown escape \q (expected \\, \", \r, \n, \t, \e, \z, \xHH or \$))");
    EXPECT_EQ(error_of(R"(send "\xZZ")"),
              R"(t.at:1:7: expected two hex digits after \x, as in \x1A)");
    EXPECT_EQ(error_of(R"(send "\x4")"),
              R"(t.at:1:7: expected two hex digits after \x, as in \x1A)");
    EXPECT_EQ(error_of("write \"x"),
              "t.at:1:7: unterminated quoted string (expected a closing \")");
    EXPECT_EQ(error_of("urc \"x"), "t.at:1:5: unterminated quoted string (expected a closing \")");
    EXPECT_EQ(error_of("set A \"x"),
              "t.at:1:7: unterminated quoted string (expected a closing \")");
}

TEST(ParserErrors, MissingText) {
    EXPECT_EQ(error_of("send"), "t.at:1:5: expected the text to send (\"\" for an empty one)");
    EXPECT_EQ(error_of("send   "), "t.at:1:5: expected the text to send (\"\" for an empty one)");
    EXPECT_EQ(error_of("write"),
              "t.at:1:6: expected the text to write, or hex and its bytes (\"\" for an empty one)");
    EXPECT_EQ(error_of("urc"),
              "t.at:1:4: expected the URC's text: urc TEXT (\"\" for an empty one)");
    EXPECT_EQ(error_of("set A"),
              "t.at:1:6: expected a value: set NAME TEXT (\"\" for an empty one)");
}

TEST(ParserErrors, BadReferences) {
    const std::string message =
        "expected a variable such as ${PORT} after ${ (a name of letters, digits and _, not "
        "starting with a digit, then }; $${ is a literal ${)";
    for (const char* bad :
         {"send x${1A}", "send x${A", "send x${}", "send x${A-B}", "send x${ A}"}) {
        EXPECT_EQ(error_of(bad, given({"A"})), "t.at:1:7: " + message) << bad;
    }
    EXPECT_EQ(error_of("send \"\\t${\"", given({"A"})), "t.at:1:9: " + message);
    EXPECT_EQ(error_of("expect a${", given({"A"})), "t.at:1:9: " + message);
    EXPECT_EQ(error_of("radio ${", given({"A"})), "t.at:1:7: " + message);
    EXPECT_EQ(error_of("send $${1A} $x $"), "parsed");
}

TEST(ParserErrors, Patterns) {
    EXPECT_EQ(error_of("expect (abc"), "t.at:1:8: bad regular expression: missing ): (abc");
    EXPECT_EQ(error_of("expect-urc within 1s  a**"),
              "t.at:1:23: bad regular expression: bad repetition operator: **");
    EXPECT_EQ(error_of("expect ${A}(", given({"A"})),
              "t.at:1:8: bad regular expression: missing ): 0(");
    EXPECT_EQ(error_of("expect"), "t.at:1:7: expected a regular expression after expect");
    EXPECT_EQ(error_of("expect within 1s   "),
              "t.at:1:17: expected a regular expression after expect");
    EXPECT_EQ(error_of("expect-none ERROR"),
              "t.at:1:13: expected within T: expect-none within 5s RE");
    EXPECT_EQ(error_of("expect-none"), "t.at:1:12: expected within T: expect-none within 5s RE");
    EXPECT_EQ(error_of("expect (?P<1st>x)"),
              "t.at:1:8: the group (?P<1st>...) is not a variable name (letters, digits and _, "
              "not starting with a digit)");
}

TEST(ParserErrors, Hex) {
    // write hex 0a b: HEX starts at column 11.
    EXPECT_EQ(error_of("write hex zz"), "t.at:1:11: expected hex digits in pairs, such as 1a 2b");
    EXPECT_EQ(error_of("write hex 0a b"), "t.at:1:15: expected the second hex digit of a pair");
    EXPECT_EQ(error_of("write hex 0a 0g"), "t.at:1:15: expected the second hex digit of a pair");
    EXPECT_EQ(error_of("write hex 0 a"), "t.at:1:12: expected the second hex digit of a pair");
    EXPECT_EQ(error_of("write hex 0a ${A}", given({"A"})),
              "t.at:1:14: expected hex digits in pairs, such as 1a 2b");
    EXPECT_EQ(error_of("write hex"), "t.at:1:10: expected hex digits in pairs, such as 1a 2b");
    EXPECT_EQ(error_of("write hex   "), "t.at:1:10: expected hex digits in pairs, such as 1a 2b");
}

TEST(ParserErrors, SetAndLineEnd) {
    const std::string name =
        "expected a variable name (letters, digits and _, not starting with a digit): set NAME "
        "TEXT";
    EXPECT_EQ(error_of("set 1A x"), "t.at:1:5: " + name);
    EXPECT_EQ(error_of("set A-B x"), "t.at:1:5: " + name);
    EXPECT_EQ(error_of("set"), "t.at:1:4: " + name);
    EXPECT_EQ(error_of("line-end lf"), "t.at:1:10: expected cr or crlf");
    EXPECT_EQ(error_of("line-end"), "t.at:1:9: expected cr or crlf");
    EXPECT_EQ(error_of("line-end cr x"), "t.at:1:13: unexpected \"x\" at the end of the step");
}

TEST(ParserErrors, FaultsAreCheckedAsAtcoapCtlWould) {
    EXPECT_EQ(error_of("send AT\nradio sideways"), "t.at:2:1: expected radio on|off");
    EXPECT_EQ(error_of("radio"), "t.at:1:1: expected radio on|off");
    EXPECT_EQ(error_of("pdp drop x"), "t.at:1:1: CID must be a whole number: got \"x\"");
    EXPECT_EQ(error_of("signal 20"), "t.at:1:1: expected signal RSSI BER");
    EXPECT_EQ(error_of("reboot now"), "t.at:1:1: expected reboot (no arguments)");
    EXPECT_EQ(error_of("latency 5x").substr(0, 35), "t.at:1:1: a duration is like 200ms,");
    EXPECT_EQ(error_of("netem sideways loss 1%").substr(0, 25), "t.at:1:1: expected netem ");
    EXPECT_EQ(error_of("  netem up   loss 300%").substr(0, 16), "t.at:1:14: \"loss");
    EXPECT_EQ(error_of("netem up client 9 loss 1%"),
              "t.at:1:10: \"client 9\": a client ID is 0 to 5");
    EXPECT_EQ(error_of("netem up clear x"), "t.at:1:1: CLIENT must be a whole number: got \"x\"");
}

TEST(ParserErrors, WhatAMessageQuotesIsCut) {
    const std::string long_word(5000, 'x');
    EXPECT_EQ(error_of(long_word + " y").substr(0, 73),
              "t.at:1:1: unknown step " + std::string(40, 'x') + "... (expec");
    EXPECT_EQ(error_of("esc " + long_word),
              "t.at:1:5: unexpected \"" + std::string(40, 'x') + "...\" at the end of the step");
    // Cut at a UTF-8 boundary: 39 x and the first byte of a two-byte sequence become 39 x.
    EXPECT_EQ(error_of("esc " + std::string(39, 'x') + "\xC3\xA9yyy"),
              "t.at:1:5: unexpected \"" + std::string(39, 'x') + "...\" at the end of the step");
    const std::string pattern = "expect (" + std::string(5000, 'a');
    EXPECT_EQ(error_of(pattern).size(), 313u);  // "t.at:1:8: ", 300 bytes, "..."
    EXPECT_TRUE(error_of(pattern).ends_with("aaa..."));
}

TEST(ParserErrors, TheFirstErrorOfTheScriptIsReported) {
    EXPECT_EQ(error_of("send AT\nexpect OK\n\n# fine\nwait 1x\nfrobnicate"),
              std::string("t.at:5:6: ") + kDuration);
}

TEST(ParserErrors, TextOfAnErrorWithoutALine) {
    EXPECT_EQ((ParseError{SourcePos{"a.at", 0, 0}, "cannot read"}.text()), "a.at: cannot read");
    EXPECT_EQ((ParseError{SourcePos{"a.at", 3, 7}, "bad"}.text()), "a.at:3:7: bad");
}

}  // namespace
}  // namespace atcoap::script
