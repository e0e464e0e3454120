// Every step of docs/SCRIPTS.md's table, read into its Action, with its place and text.

#include "script/parser.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "memory_loader.hpp"

namespace atcoap::script {
namespace {

using namespace std::chrono_literals;
using testing::error_of;
using testing::given;
using testing::parse_text;

Script parsed(const std::string& text, const IsDefined& defined = {}) {
    auto script = parse_text(text, defined);
    EXPECT_TRUE(script.ok()) << (script ? "" : script.error().text());
    return script ? std::move(*script) : Script{};
}

/// The one step of a one-step script.
Action only(const std::string& text, const IsDefined& defined = {}) {
    const Script script = parsed(text, defined);
    EXPECT_EQ(script.steps.size(), 1u);
    return script.steps.empty() ? Action{} : script.steps.front().action;
}

/// A template without variables as its bytes.
std::string literal(const Template& value) {
    std::string out;
    for (const TemplatePart& part : value.parts) {
        EXPECT_FALSE(part.variable) << part.text;
        out += part.text;
    }
    return out;
}

std::string sent(const std::string& text) {
    return literal(std::get<Send>(only(text)).text);
}

TEST(ParserSteps, SendTakesTheRestOfTheLineAsItIs) {
    const Script script = parsed("send AT+QCOAPOPTION=0,0,0,11,\"19\"\n");
    ASSERT_EQ(script.steps.size(), 1u);
    const Step& step = script.steps[0];
    EXPECT_EQ(step.pos.file, "t.at");
    EXPECT_EQ(step.pos.line, 1);
    EXPECT_EQ(step.pos.column, 1);
    EXPECT_EQ(step.text, "send AT+QCOAPOPTION=0,0,0,11,\"19\"");
    EXPECT_EQ(literal(std::get<Send>(step.action).text), "AT+QCOAPOPTION=0,0,0,11,\"19\"");
    EXPECT_EQ(script.file, "t.at");
}

TEST(ParserSteps, TrimsBlanksAndKeepsTheKeywordsColumn) {
    const Script script = parsed("\t  send   AT \\n # not a comment \t \r\n");
    ASSERT_EQ(script.steps.size(), 1u);
    EXPECT_EQ(script.steps[0].pos.column, 4);
    EXPECT_EQ(script.steps[0].text, "send   AT \\n # not a comment");
    EXPECT_EQ(literal(std::get<Send>(script.steps[0].action).text), "AT \\n # not a comment");
}

TEST(ParserSteps, SkipsCommentsAndBlankLinesWithLfOrCrLf) {
    const Script script = parsed("# a comment\r\n\r\n   \n  # another\nsend AT\r\nesc\nctrl-z");
    ASSERT_EQ(script.steps.size(), 3u);
    EXPECT_EQ(script.steps[0].pos.line, 5);
    EXPECT_EQ(script.steps[1].pos.line, 6);
    EXPECT_EQ(script.steps[2].pos.line, 7);
    EXPECT_EQ(std::get<Key>(script.steps[1].action).byte, '\x1b');
    EXPECT_EQ(std::get<Key>(script.steps[2].action).byte, '\x1a');
}

TEST(ParserSteps, AByteOrderMarkIsSkipped) {
    const Script script = parsed("\xEF\xBB\xBFsend AT\n");
    ASSERT_EQ(script.steps.size(), 1u);
    EXPECT_EQ(script.steps[0].pos.column, 4);
}

TEST(ParserSteps, QuotedTextKnowsEveryEscape) {
    EXPECT_EQ(sent(R"(send "a\\b\"c\r\n\t\e\z\x41\x7f\xFF\$")"),
              std::string("a\\b\"c\r\n\t\x1b\x1a\x41\x7f\xff$"));
    EXPECT_EQ(sent(R"(send "  spaces kept  "   )"), "  spaces kept  ");
    EXPECT_EQ(sent(R"(send "")"), "");
    EXPECT_EQ(sent(R"(send \r\n)"), "\\r\\n");            // unquoted: no escapes
    EXPECT_EQ(sent(R"(send x"\$${A}")"), R"(x"\${A}")");  // not quoted: no escapes
}

TEST(ParserSteps, VariablesBecomeTemplateParts) {
    const auto send =
        std::get<Send>(only("send AT+X=\"${HOST}\",${PORT}", given({"HOST", "PORT"})));
    ASSERT_EQ(send.text.parts.size(), 4u);
    EXPECT_EQ(send.text.parts[0].text, "AT+X=\"");
    EXPECT_TRUE(send.text.parts[1].variable);
    EXPECT_EQ(send.text.parts[1].text, "HOST");
    EXPECT_EQ(send.text.parts[2].text, "\",");
    EXPECT_TRUE(send.text.parts[3].variable);
    EXPECT_EQ(send.text.parts[3].text, "PORT");
    const auto quoted = std::get<Send>(only(R"(send "${A}\x41$${B}\${C}")", given({"A"})));
    ASSERT_EQ(quoted.text.parts.size(), 2u);
    EXPECT_TRUE(quoted.text.parts[0].variable);
    EXPECT_EQ(quoted.text.parts[1].text, "A${B}${C}");
}

TEST(ParserSteps, WriteTakesTextOrHex) {
    EXPECT_EQ(literal(std::get<Write>(only("write Hello, CoAP Message!")).bytes),
              "Hello, CoAP Message!");
    EXPECT_EQ(literal(std::get<Write>(only(R"(write "a\zb")")).bytes),
              "a\x1a"
              "b");
    EXPECT_EQ(literal(std::get<Write>(only("write hex 0a 1B ff  00")).bytes),
              std::string("\x0a\x1b\xff\x00", 4));
    EXPECT_EQ(literal(std::get<Write>(only("write hex 0a1b")).bytes), "\x0a\x1b");
    EXPECT_EQ(literal(std::get<Write>(only("write hexagon")).bytes), "hexagon");
}

TEST(ParserSteps, ExpectCompilesItsPatternWithoutVariables) {
    const auto expect = std::get<Expect>(only(R"(expect \+QCOAPOPEN: 0,0)"));
    EXPECT_EQ(expect.kind, Expect::Kind::Next);
    EXPECT_FALSE(expect.within.has_value());
    ASSERT_NE(expect.pattern.compiled, nullptr);
    EXPECT_TRUE(RE2::FullMatch("+QCOAPOPEN: 0,0", *expect.pattern.compiled));
    EXPECT_FALSE(RE2::FullMatch("+QCOAPOPEN: 0,01", *expect.pattern.compiled));
    EXPECT_TRUE(expect.pattern.captures.empty());
}

TEST(ParserSteps, APatternWithoutOperatorsOrVariablesIsALiteral) {
    EXPECT_EQ(std::get<Expect>(only("expect OK")).pattern.literal, "OK");
    EXPECT_EQ(std::get<Expect>(only("expect-urc Not Found")).pattern.literal, "Not Found");
    for (const char* step : {R"(expect \+QCOAPOPEN: 0,0)", "expect O.", "expect OK|ERROR",
                             "expect (?i)ok", "expect a{2}", "expect ^OK$", "expect [O]K"}) {
        EXPECT_FALSE(std::get<Expect>(only(step)).pattern.literal.has_value()) << step;
    }
    EXPECT_FALSE(
        std::get<Expect>(only("expect ID ${ID}", given({"ID"}))).pattern.literal.has_value());
}

TEST(ParserSteps, ExpectKindsAndWithin) {
    const auto next = std::get<Expect>(only("expect within 1.5s OK"));
    EXPECT_EQ(next.within, 1500ms);
    const auto urc = std::get<Expect>(only("expect-urc within 2min \\+QCOAPURC: .*"));
    EXPECT_EQ(urc.kind, Expect::Kind::Urc);
    EXPECT_EQ(urc.within, 120s);
    const auto none = std::get<Expect>(only("expect-none   within 250ms   ERROR  "));
    EXPECT_EQ(none.kind, Expect::Kind::None);
    EXPECT_EQ(none.within, 250ms);
    ASSERT_NE(none.pattern.compiled, nullptr);
    EXPECT_TRUE(RE2::FullMatch("ERROR", *none.pattern.compiled));
    const auto plain = std::get<Expect>(only("expect-urc RDY"));
    EXPECT_FALSE(plain.within.has_value());
}

TEST(ParserSteps, NamedGroupsAreCapturesInTheOrderOfTheirIndex) {
    const auto expect =
        std::get<Expect>(only(R"(expect \+QCOAPRECV: 0,(?P<MID>\d+),(\d),(?P<A_token>\w+))"));
    EXPECT_EQ(expect.pattern.captures, (std::vector<std::string>{"MID", "A_token"}));
}

TEST(ParserSteps, APatternWithVariablesIsCompiledAtRunTime) {
    const auto expect = std::get<Expect>(only(R"(expect \+X: ${ID},(?P<LEN>\d+))", given({"ID"})));
    EXPECT_EQ(expect.pattern.compiled, nullptr);
    ASSERT_EQ(expect.pattern.source.parts.size(), 3u);
    EXPECT_EQ(expect.pattern.source.parts[0].text, "\\+X: ");
    EXPECT_TRUE(expect.pattern.source.parts[1].variable);
    EXPECT_EQ(expect.pattern.source.parts[2].text, R"(,(?P<LEN>\d+))");
    EXPECT_EQ(expect.pattern.captures, std::vector<std::string>{"LEN"});
}

TEST(ParserSteps, DurationsInEveryUnit) {
    const std::pair<const char*, Duration> cases[] = {
        {"wait 250ms", 250ms}, {"wait 5s", 5s},    {"wait 1.5s", 1500ms}, {"wait 2min", 120s},
        {"wait 1h", 3600s},    {"wait 0s", 0ms},   {"wait 0.0005s", 1ms}, {"wait 0.25min", 15s},
        {"wait 24h", 86400s},  {"wait 007ms", 7ms}};
    for (const auto& [text, expected] : cases) {
        EXPECT_EQ(std::get<Wait>(only(text)).time, expected) << text;
    }
    EXPECT_EQ(std::get<SetTimeout>(only("timeout 30s")).timeout, 30s);
}

TEST(ParserSteps, SetAndLineEnd) {
    const auto set = std::get<Set>(only("set TOKEN_1 d204d52e814b"));
    EXPECT_EQ(set.name, "TOKEN_1");
    EXPECT_EQ(literal(set.value), "d204d52e814b");
    EXPECT_EQ(literal(std::get<Set>(only(R"(set EMPTY "")")).value), "");
    EXPECT_EQ(std::get<SetLineEnd>(only("line-end cr")).line_end, LineEnd::Cr);
    EXPECT_EQ(std::get<SetLineEnd>(only("line-end crlf")).line_end, LineEnd::CrLf);
}

std::vector<std::string> words_of(const std::string& text, const IsDefined& defined = {}) {
    std::vector<std::string> words;
    const Action action = only(text, defined);
    for (const Template& word : std::get<Control>(action).words) {
        words.push_back(literal(word));
    }
    return words;
}

using Words = std::vector<std::string>;

TEST(ParserSteps, FaultsAreTheWordsOfAtcoapCtl) {
    EXPECT_EQ(words_of("radio off"), (Words{"radio", "off"}));
    EXPECT_EQ(words_of("radio  on"), (Words{"radio", "on"}));
    EXPECT_EQ(words_of("pdp drop 1"), (Words{"pdp", "drop", "1"}));
    EXPECT_EQ(words_of("pdp restore 1"), (Words{"pdp", "restore", "1"}));
    EXPECT_EQ(words_of("signal 20 0"), (Words{"signal", "20", "0"}));
    EXPECT_EQ(words_of("reboot"), (Words{"reboot"}));
    EXPECT_EQ(words_of("latency 200ms 50ms"), (Words{"latency", "200ms", "50ms"}));
    EXPECT_EQ(words_of("netem up loss 30%"), (Words{"netem", "up", "loss", "30%"}));
    EXPECT_EQ(words_of("netem both clear 2"), (Words{"netem", "both", "clear", "2"}));
}

TEST(ParserSteps, AUrcsTextIsOneWord) {
    EXPECT_EQ(words_of("urc +QIURC: \"pdpdeact\",1"), (Words{"urc", "+QIURC: \"pdpdeact\",1"}));
    EXPECT_EQ(words_of(R"(urc "  +X: 1\t")"), (Words{"urc", "  +X: 1\t"}));
}

TEST(ParserSteps, AFaultWithAVariableIsCheckedWhenItRuns) {
    const auto control = std::get<Control>(only("pdp drop ${CID}", given({"CID"})));
    ASSERT_EQ(control.words.size(), 3u);
    EXPECT_TRUE(control.words[2].has_variables());
    // Its words are checked when it runs, with the variable's value.
    EXPECT_EQ(error_of("pdp sideways ${CID}", given({"CID"})), "parsed");
}

TEST(ParserSteps, TheExampleOfTheNotesSection51Parses) {
    const Script script = parsed(R"(# The note's example 5.1: a NON GET of /19, answered 4.04.
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
expect-urc within 30s \+QCOAPRECV: 0,(?P<MID>\d+),4\.04,6,D204D52E814B,0,9
expect Not Found
send AT+X=${MID}
)",
                                 given({"HOST", "PORT"}));
    ASSERT_EQ(script.steps.size(), 16u);
    EXPECT_EQ(script.steps.back().pos.line, 17);
    EXPECT_FALSE(script.uses_control());
}

}  // namespace
}  // namespace atcoap::script
