// The real-time targets of `atcoap script` (docs/SCRIPTS.md): run_live against Debian's libcoap
// server, run_port against a child `atcoap --pty`, and how each fails. Scripts are built by hand
// here, so these tests do not depend on the parser.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <re2/re2.h>
#include <termios.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>

#include "coap_peer.hpp"
#include "e2e_support.hpp"
#include "script/parser.hpp"
#include "script/run.hpp"

namespace atcoap::script {
namespace {

using e2e::kAnswerBound;
using namespace std::chrono_literals;

/// Text with `${NAME}` references, as the parser would make it.
Template text(std::string_view source) {
    Template result;
    while (!source.empty()) {
        const auto open = source.find("${");
        const auto close = source.find('}', open);
        if (open == std::string_view::npos || close == std::string_view::npos) {
            result.parts.push_back({false, std::string(source)});
            break;
        }
        if (open > 0) {
            result.parts.push_back({false, std::string(source.substr(0, open))});
        }
        result.parts.push_back({true, std::string(source.substr(open + 2, close - open - 2))});
        source.remove_prefix(close + 1);
    }
    return result;
}

Pattern pattern(const std::string& source) {
    Pattern result;
    result.source = text(source);
    auto compiled = std::make_shared<re2::RE2>(source);
    for (const auto& [name, index] : compiled->NamedCapturingGroups()) {
        result.captures.push_back(name);
    }
    result.compiled = std::move(compiled);
    return result;
}

/// A script built step by step; each step's line is its place in the list.
struct Builder {
    Script script{"hand.at", {}};
    Builder& add(std::string written, Action action) {
        const int line = static_cast<int>(script.steps.size()) + 1;
        script.steps.push_back(Step{{"hand.at", line, 1}, std::move(written), std::move(action)});
        return *this;
    }
    Builder& send(const std::string& line) { return add("send " + line, Send{text(line)}); }
    Builder& write(const std::string& bytes) { return add("write " + bytes, Write{text(bytes)}); }
    Builder& expect(const std::string& re, Expect::Kind kind = Expect::Kind::Next,
                    std::optional<Duration> within = std::nullopt) {
        return add("expect " + re, Expect{kind, pattern(re), within});
    }
};

Variables variables(std::map<std::string, std::string, std::less<>> values) {
    Variables result;
    result.values = std::move(values);
    result.fallback = [](std::string_view) { return std::optional<std::string>(); };
    return result;
}

std::string describe(const RunResult& result) {
    std::string text = "target error: " + result.target_error + "\n";
    for (const StepReport& step : result.steps) {
        text += std::to_string(step.pos.line) + " " + step.text + (step.ok ? "" : " FAILED: ") +
                step.detail + "\n";
    }
    for (const std::string& line : result.failure_context) {
        text += line + "\n";
    }
    return text;
}

/// The note's §5.1: a NON GET of /19 with the note's token, answered NON 4.04 "Not Found".
Script note_example_5_1() {
    Builder b;
    b.send("AT+QCOAPCFG=\"pdpcid\",0,1").expect("OK");
    b.send("AT+QCOAPOPEN=0,\"${HOST}\",${PORT}").expect("OK");
    b.expect(R"(\+QCOAPOPEN: 0,0)", Expect::Kind::Urc, 10s);
    b.send("AT+QCOAPHEADER=0,1234,0,6,d204d52e814b").expect("OK");
    b.send("AT+QCOAPOPTION=0,0,0,11,\"19\"").expect("OK");
    b.send("AT+QCOAPSEND=0,1,1,1,0").expect("OK").expect(R"(\+QCOAPACK: 0,1,1234,0)");
    b.expect(R"(\+QCOAPRECV: 0,(?P<MID>\d+),4\.04,6,D204D52E814B,0,9)", Expect::Kind::Next, 10s);
    b.expect("Not Found");
    b.send("AT+QCOAPCLOSE=0").expect("OK", Expect::Kind::Urc, 10s);
    return std::move(b.script);
}

TEST(ScriptLiveTest, TheNotesExample51PassesAgainstLibcoapInRealTime) {
    std::string error;
    e2e::CoapPeer server = e2e::start_libcoap_server({}, error);
    ASSERT_NE(server.process, nullptr) << error;
    const Script script = note_example_5_1();
    std::vector<StepReport> seen;
    const RunResult result =
        run_live(script, variables({{"HOST", "127.0.0.1"}, {"PORT", std::to_string(server.port)}}),
                 [&seen](const StepReport& step) { seen.push_back(step); });
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
    EXPECT_TRUE(result.target_error.empty());
    EXPECT_EQ(result.steps.size(), script.steps.size()) << describe(result);
    EXPECT_EQ(seen.size(), result.steps.size());
    // Real time, in milliseconds: a loopback exchange may take less than one, so the times
    // only keep their order.
    for (std::size_t i = 1; i < result.steps.size(); ++i) {
        EXPECT_GE(result.steps[i].at, result.steps[i - 1].at) << i;
    }
    EXPECT_GE(result.wall_time, result.script_time);
}

/// The first example of docs/SCRIPTS.md, as the parser reads it.
class DocExampleLoader final : public SourceLoader {
  public:
    Result<std::string, std::string> load(const std::string&) override {
        std::ifstream file(ATCOAP_DOCS_DIR "/SCRIPTS.md");
        std::stringstream text;
        text << file.rdbuf();
        const std::string doc = text.str();
        const auto start = doc.find("```\n# The note's example 5.1");
        const auto end = doc.find("```", start + 3);
        if (start == std::string::npos || end == std::string::npos) {
            return fail(std::string("no example 5.1 in docs/SCRIPTS.md"));
        }
        return doc.substr(start + 4, end - start - 4);
    }
};

TEST(ScriptLiveTest, TheExampleOfTheDocsPassesAgainstLibcoapInRealTime) {
    std::string error;
    e2e::CoapPeer server = e2e::start_libcoap_server({}, error);
    ASSERT_NE(server.process, nullptr) << error;
    DocExampleLoader loader;
    auto script = parse_script("SCRIPTS.md", loader, [](std::string_view name) {
        return name == "HOST" || name == "PORT";
    });
    ASSERT_TRUE(script.ok()) << script.error().text();
    EXPECT_EQ(script->steps.size(), 16u);
    const RunResult result = run_live(
        *script, variables({{"HOST", "127.0.0.1"}, {"PORT", std::to_string(server.port)}}), {});
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
}

TEST(ScriptLiveTest, TheModemReportsTheImeiItGivesTheScript) {
    Builder b;
    b.send("AT+CGSN").expect("${IMEI}").expect("OK");
    const RunResult result = run_live(b.script, variables({}), {});
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
    Builder given;
    given.send("AT+CGSN").expect("123456789012345").expect("OK");
    EXPECT_EQ(run_live(given.script, variables({{"IMEI", "123456789012345"}}), {}).verdict,
              Verdict::Passed);
}

TEST(ScriptLiveTest, AnExpectationNothingAnswersFailsAtItsTimeout) {
    Builder b;
    b.expect("OK", Expect::Kind::Next, 300ms);
    const RunResult result = run_live(b.script, variables({}), {});
    EXPECT_EQ(result.verdict, Verdict::Failed) << describe(result);
    ASSERT_EQ(result.steps.size(), 1u) << describe(result);
    EXPECT_FALSE(result.steps[0].ok);
    EXPECT_GE(result.steps[0].at, 300ms);
    EXPECT_LT(result.wall_time, Duration(kAnswerBound.count()));
}

TEST(ScriptLiveTest, AControlStepReachesTheModemAndItsUrcTheScriptAtOnce) {
    Builder b;
    b.add("urc +XTEST: 1", Control{{text("urc"), text("+XTEST: 1")}});
    // Within 1 s: a URC left in the modem's outbox would wait for the next host byte.
    b.expect(R"(\+XTEST: 1)", Expect::Kind::Next, 1s);
    b.add("radio off", Control{{text("radio"), text("off")}});
    b.send("AT+CFUN?").expect(R"(\+CFUN: 1)").expect("OK");
    b.send("AT+CEREG?").expect(R"(\+CEREG: 0,0)").expect("OK");
    const RunResult result = run_live(b.script, variables({}), {});
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
}

/// Opens the terminal at `path` raw, reads through `text` and closes it: the child atcoap has
/// written its start-up lines, and sees the next opener as a new host.
bool read_through(const std::string& path, std::string_view text) {
    const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    termios mode{};
    if (fd < 0 || ::tcgetattr(fd, &mode) != 0) {
        return false;
    }
    ::cfmakeraw(&mode);
    ::tcsetattr(fd, TCSANOW, &mode);
    test::Channel tty(fd);
    return tty.wait_for(text, kAnswerBound);
}

struct PtyModem {
    e2e::TempDir dir;
    std::unique_ptr<test::ChildProcess> process;
    std::string link = (dir.path() / "modem").string();
};

void start_pty_modem(PtyModem& modem) {
    std::string error;
    modem.process = e2e::start_atcoap(modem.dir.path() / "ufs", {"--pty", modem.link}, error);
    ASSERT_NE(modem.process, nullptr) << error;
    ASSERT_TRUE(modem.process->err().wait_for("AT port on /dev/pts/", kAnswerBound));
    ASSERT_TRUE(read_through(modem.link, "APP RDY\r\n"));
}

TEST(ScriptPortTest, DrivesAnotherAtcoapOnAPseudoTerminal) {
    PtyModem modem;
    ASSERT_NO_FATAL_FAILURE(start_pty_modem(modem));
    Builder b;
    b.send("AT+CGSN").expect("864508030012428").expect("OK");
    b.send("AT+QFUPL=\"UFS:a.txt\",5").expect("CONNECT");
    b.write("hello").expect(R"(\+QFUPL: 5,[0-9a-f]+)").expect("OK");
    b.send("AT+QFLST").expect(R"(\+QFLST: "UFS:a.txt",5)").expect("OK");
    const RunResult result = run_port(b.script, variables({}), PortTarget{modem.link, {}}, {});
    EXPECT_EQ(result.verdict, Verdict::Passed) << describe(result);
    EXPECT_EQ(result.steps.size(), b.script.steps.size());

    // The same terminal again, at a speed: the module kept its file.
    Builder again;
    again.send("AT+QFLST").expect(R"(\+QFLST: "UFS:a.txt",5)").expect("OK");
    EXPECT_EQ(run_port(again.script, variables({}), PortTarget{modem.link, 115200u}, {}).verdict,
              Verdict::Passed);
}

TEST(ScriptPortTest, APortThatEndsMidScriptFailsItWithTheReason) {
    PtyModem modem;
    ASSERT_NO_FATAL_FAILURE(start_pty_modem(modem));
    Builder b;
    b.send("AT").expect("OK");
    b.expect("never", Expect::Kind::Next, 30s);
    const RunResult result =
        run_port(b.script, variables({}), PortTarget{modem.link, {}}, [&](const StepReport& step) {
            if (step.pos.line == 2) {
                modem.process->send_signal(SIGTERM);  // the terminal hangs up under the script
            }
        });
    EXPECT_EQ(result.verdict, Verdict::Failed) << describe(result);
    EXPECT_NE(result.target_error.find("closed"), std::string::npos) << result.target_error;
    EXPECT_LT(result.wall_time, Duration(kAnswerBound.count()));
}

TEST(ScriptPortTest, APortThatDoesNotOpenFailsTheScriptWithTheReason) {
    Builder b;
    b.send("AT").expect("OK");
    const RunResult missing =
        run_port(b.script, variables({}), PortTarget{"/nonexistent/ttyUSB9", 115200u}, {});
    EXPECT_EQ(missing.verdict, Verdict::Failed);
    EXPECT_EQ(missing.target_error, "cannot open /nonexistent/ttyUSB9: No such file or directory");
    EXPECT_TRUE(missing.steps.empty());

    e2e::TempDir dir;
    const std::string plain = (dir.path() / "plain").string();
    std::ofstream(plain) << "not a terminal";
    const RunResult file = run_port(b.script, variables({}), PortTarget{plain, {}}, {});
    EXPECT_EQ(file.verdict, Verdict::Failed);
    EXPECT_NE(file.target_error.find("is not a terminal"), std::string::npos) << file.target_error;

    // A new pseudo-terminal is a terminal, but no speed of ours is 12345 baud, and 0 hangs up.
    const RunResult odd = run_port(b.script, variables({}), PortTarget{"/dev/ptmx", 12345u}, {});
    EXPECT_EQ(odd.verdict, Verdict::Failed);
    EXPECT_NE(odd.target_error.find("cannot set 12345 baud"), std::string::npos)
        << odd.target_error;
    const RunResult zero = run_port(b.script, variables({}), PortTarget{"/dev/ptmx", 0u}, {});
    EXPECT_NE(zero.target_error.find("hang the line up"), std::string::npos) << zero.target_error;
}

}  // namespace
}  // namespace atcoap::script
