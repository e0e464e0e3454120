// `atcoap script` as a user runs it (docs/SCRIPTS.md, "Running scripts"): the built program as
// a child process against the builtin target, its exit codes, step lines, TAP and JUnit.

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace atcoap::test {
namespace {

constexpr Millis kBound{20'000};

struct Outcome {
    int code = -1;
    std::string out;
    std::string err;
};

Outcome atcoap_script(const std::vector<std::string>& arguments) {
    std::vector<std::string> all{"script"};
    all.insert(all.end(), arguments.begin(), arguments.end());
    std::string error;
    auto child = ChildProcess::start(ATCOAP_BINARY, all, error);
    if (!child) {
        ADD_FAILURE() << error;
        return {};
    }
    child->in().close();
    const auto status = child->wait_exit(kBound);
    if (!status || !status->code) {
        ADD_FAILURE() << "atcoap script did not exit by itself";
        return {};
    }
    child->out().wait_for_end(kBound);
    child->err().wait_for_end(kBound);
    return Outcome{*status->code, child->out().take_all(), child->err().take_all()};
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++n;
    }
    return n;
}

/// Passes on the builtin target: the note's §5.1 from the open on.
const char* const kPasses = R"(# the note's 5.1, shortened
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
expect-urc within 30s \+QCOAPRECV: 0,\d+,4\.04,6,D204D52E814B,0,9
expect Not Found
)";

// Fails at line 3: the module answers OK.
const char* const kFails = "send AT\nwait 1s\nexpect ERROR\n";

class ScriptCommand : public ::testing::Test {
  protected:
    std::string file(const std::string& name, const std::string& content) {
        EXPECT_TRUE(dir_.write_file(name, content));
        return (dir_.path() / name).string();
    }
    const TempDir& dir() const { return dir_; }

  private:
    TempDir dir_;
};

TEST_F(ScriptCommand, PassingScriptsExitZeroWithALinePerStep) {
    const std::string script = file("pass.at", kPasses);
    const Outcome run = atcoap_script({script, script});
    EXPECT_EQ(run.code, 0) << run.out << run.err;
    EXPECT_EQ(count(run.out, "expect Not Found"), 2u) << run.out;
    EXPECT_EQ(count(run.out, "write \"Hello, CoAP Message!\""), 2u) << run.out;
    // In virtual time a second run prints the same bytes.
    EXPECT_EQ(atcoap_script({script}).out, atcoap_script({script}).out);
    EXPECT_EQ(count(run.out, "0.040s"), 4u) << "the answer, a round trip after the payload";
}

TEST_F(ScriptCommand, AFailedExpectationExitsOneAndNamesItsLine) {
    const Outcome run = atcoap_script({file("pass.at", kPasses), file("fail.at", kFails)});
    EXPECT_EQ(run.code, 1) << run.out << run.err;
    EXPECT_NE(run.out.find("fail.at:3"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("expect ERROR"), std::string::npos) << run.out;
}

TEST_F(ScriptCommand, AUsageErrorExitsTwo) {
    EXPECT_EQ(atcoap_script({}).code, 2) << "no FILE";
    const Outcome unknown = atcoap_script({"--frobnicate", file("pass.at", kPasses)});
    EXPECT_EQ(unknown.code, 2) << unknown.err;
    EXPECT_NE(unknown.err.find("--frobnicate"), std::string::npos) << unknown.err;
}

TEST_F(ScriptCommand, AScriptErrorExitsTwoBeforeAnythingRuns) {
    const std::string good = file("pass.at", kPasses);
    const Outcome run = atcoap_script({good, file("bad.at", "send AT\nfrobnicate now\n")});
    EXPECT_EQ(run.code, 2) << run.out << run.err;
    EXPECT_NE(run.err.find("bad.at:2:1:"), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "") << "nothing ran, not even the good script";
}

TEST_F(ScriptCommand, VariablesComeFromTheCommandLine) {
    const std::string script = file("var.at", "send ATI${SUFFIX}\nexpect-urc Quectel\n");
    const Outcome undefined = atcoap_script({script});
    EXPECT_EQ(undefined.code, 2) << undefined.out << undefined.err;
    EXPECT_NE(undefined.err.find("var.at:1:"), std::string::npos) << undefined.err;
    const Outcome given = atcoap_script({"-D", "SUFFIX=", script});
    EXPECT_EQ(given.code, 0) << given.out << given.err;
    const Outcome long_form = atcoap_script({"--var", "SUFFIX=", script});
    EXPECT_EQ(long_form.code, 0) << long_form.out << long_form.err;
    const Outcome bad = atcoap_script({"--var", "1X=2", script});
    EXPECT_EQ(bad.code, 2) << bad.err;
}

TEST_F(ScriptCommand, AControlStepIsRefusedForAPortWithItsLine) {
    const std::string script = file("radio.at", "send AT\nexpect OK\nradio off\n");
    const Outcome run = atcoap_script({"--pty", (dir().path() / "nothing").string(), script});
    EXPECT_EQ(run.code, 2) << run.out << run.err;
    EXPECT_NE(run.err.find("radio.at:3:"), std::string::npos) << run.err;
    EXPECT_EQ(atcoap_script({script}).code, 0) << "the builtin target has a control side";
}

TEST_F(ScriptCommand, TapReportsEachScript) {
    const Outcome run = atcoap_script({"--tap", file("pass.at", kPasses), file("fail.at", kFails)});
    EXPECT_EQ(run.code, 1) << run.out << run.err;
    EXPECT_NE(run.out.find("1..2"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("ok 1"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("not ok 2"), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find("expect Not Found\n"), std::string::npos) << "no step lines";
}

TEST_F(ScriptCommand, JunitWritesOneTestCasePerScript) {
    const std::string xml = (dir().path() / "report.xml").string();
    const Outcome run =
        atcoap_script({"--junit", xml, file("pass.at", kPasses), file("fail.at", kFails)});
    EXPECT_EQ(run.code, 1) << run.out << run.err;
    const std::string report = read_file(xml);
    EXPECT_EQ(report.rfind("<?xml", 0), 0u) << report;
    EXPECT_EQ(count(report, "<testcase"), 2u) << report;
    EXPECT_EQ(count(report, "<failure"), 1u) << report;
    EXPECT_NE(report.find("</testsuite>"), std::string::npos) << report;
}

TEST_F(ScriptCommand, ThePskComesFromTheCommandLineOrAFile) {
    const std::string script = file("psk.at",
                                    "set K ${PSK_ID}:${PSK_KEY}\nexpect-none within "
                                    "1s .*\nsend AT+QFUPL=\"UFS:k\",8\n"
                                    "expect CONNECT\nwrite \"${PSK_KEY}\"\n"
                                    "expect-urc \\+QFUPL: 8,.*\n");
    EXPECT_EQ(atcoap_script({"--psk", "me:0011AABB", script}).code, 0);
    const std::string keys = file("keys.txt", "# keys\nme:0011AABB\nyou:22\n");
    EXPECT_EQ(atcoap_script({"--psk-file", keys, script}).code, 0);
    EXPECT_EQ(atcoap_script({"--psk", "me:0011AAB", script}).code, 2) << "odd hex";
    EXPECT_EQ(atcoap_script({"--psk", "me:00", "--psk-file", keys, script}).code, 2);
    EXPECT_EQ(atcoap_script({"--target", "nowhere", script}).code, 2);
}

}  // namespace
}  // namespace atcoap::test
