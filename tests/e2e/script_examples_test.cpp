// The scripts in examples/ (docs/SCRIPTS.md), run by `atcoap script` as a user runs them: each
// one passes against the builtin target in virtual time, a copy with its last `expect` broken
// fails with exit code 1 at that line, and the note's §5.1 and §5.2 also pass in real time
// against libcoap's servers.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "coap_fixture.hpp"
#include "coap_peer.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace atcoap::e2e {
namespace {

namespace fs = std::filesystem;

// Generous: a script of the builtin target takes milliseconds, one against a real server a
// few seconds (§5.2's upload waits for its 5 s timeout).
constexpr test::Millis kScriptBound{60'000};

const fs::path kExamples{ATCOAP_EXAMPLES_DIR};

/// The example scripts, by file name (the files under examples/common/ are included by them).
std::vector<std::string> example_names() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(kExamples)) {
        if (entry.is_regular_file() && entry.path().extension() == ".at") {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

struct ScriptRun {
    int exit_code = -1;
    std::string output;  // standard output and standard error
};

ScriptRun run_script(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), "script");
    std::string error;
    auto child = test::ChildProcess::start(ATCOAP_BINARY, arguments, error);
    if (!child) {
        ADD_FAILURE() << error;
        return {};
    }
    const auto status = child->wait_exit(kScriptBound);
    ScriptRun run;
    run.output = child->out().take_all() + child->err().take_all();
    if (!status || !status->code) {
        ADD_FAILURE() << "atcoap script did not exit within the bound:\n" << run.output;
        return run;
    }
    run.exit_code = *status->code;
    return run;
}

std::string read_file(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

/// `script` with its last `expect` step's pattern replaced by one no module prints; the
/// 1-based number of that line, or 0 when it has none.
int break_last_expect(std::string& script) {
    std::vector<std::string> lines;
    std::istringstream in(script);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    for (std::size_t i = lines.size(); i-- > 0;) {
        if (lines[i].starts_with("expect ")) {
            lines[i] = "expect THIS LINE NEVER COMES";
            script.clear();
            for (const auto& line : lines) {
                script += line + "\n";
            }
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

class Example : public testing::TestWithParam<std::string> {};

TEST_P(Example, PassesOnTheBuiltinTarget) {
    const ScriptRun run = run_script({(kExamples / GetParam()).string()});
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("PASS "), std::string::npos) << run.output;
}

TEST_P(Example, ABrokenCopyFailsWithExitCodeOneAtTheBrokenLine) {
    const test::TempDir dir;
    fs::copy(kExamples, dir.path(), fs::copy_options::recursive);
    const fs::path copy = dir.path() / GetParam();
    std::string script = read_file(copy);
    const int line = break_last_expect(script);
    ASSERT_GT(line, 0) << GetParam() << " has no expect step";
    std::ofstream(copy, std::ios::binary | std::ios::trunc) << script;

    const ScriptRun run = run_script({copy.string()});
    EXPECT_EQ(run.exit_code, 1) << run.output;
    const std::string place = "FAIL " + copy.string() + ":" + std::to_string(line) + ":";
    EXPECT_NE(run.output.find(place), std::string::npos) << place << "\n" << run.output;
}

/// "note-5.1.at" as a test name: "note_5_1".
std::string test_name(const testing::TestParamInfo<std::string>& param) {
    std::string name = fs::path(param.param).stem().string();
    std::replace_if(
        name.begin(), name.end(),
        [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(Examples, Example, testing::ValuesIn(example_names()), test_name);

TEST(ExampleAgainstLibcoap, Note5_1PassesAgainstCoapServerNotls) {
    std::string error;
    const CoapPeer server = start_libcoap_server({}, error);
    ASSERT_TRUE(server.process) << error;
    const ScriptRun run = run_script({"--target", "127.0.0.1:" + std::to_string(server.port),
                                      (kExamples / "note-5.1.at").string()});
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST(ExampleAgainstLibcoap, Note5_2PassesAgainstCoapServerOpensslOverDtls) {
    std::string error;
    const CoapPeer server =
        start_libcoap_server({"-k", std::string(kNotePskKey)}, error, "openssl");
    ASSERT_TRUE(server.process) << error;
    // libcoap serves DTLS one port above its plain CoAP port; the PSK file the script uploads
    // holds the key in hex, as the note's does.
    const ScriptRun run =
        run_script({"--target", "127.0.0.1:" + std::to_string(server.port + 1), "--psk",
                    std::string(kNotePskIdentity) + ":313233343446473839",
                    (kExamples / "note-5.2.at").string()});
    EXPECT_EQ(run.exit_code, 0) << run.output;
}

}  // namespace
}  // namespace atcoap::e2e
