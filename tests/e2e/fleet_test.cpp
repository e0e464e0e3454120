// `atcoap fleet` as a user runs it (docs/FLEET.md): 200 modems running the note's §5.1 script
// against `atcoap server` on loopback, every total exact; the exit codes; the JSON lines and the
// report; a fleet on a pipe prints nothing but its summary.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "coap_peer.hpp"
#include "fleet/json_lines.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace atcoap::e2e {
namespace {

constexpr test::Millis kFleetBound{120'000};  // 200 modems take about a second; generous
const std::string kNote51 = std::string(ATCOAP_EXAMPLES_DIR) + "/note-5.1.at";

struct FleetRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

FleetRun run_fleet(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), "fleet");
    std::string error;
    auto child = test::ChildProcess::start(ATCOAP_BINARY, arguments, error);
    if (!child) {
        ADD_FAILURE() << error;
        return {};
    }
    const auto status = child->wait_exit(kFleetBound);
    FleetRun run;
    run.out = child->out().take_all();
    run.err = child->err().take_all();
    if (!status || !status->code) {
        ADD_FAILURE() << "atcoap fleet did not exit within the bound:\n" << run.out << run.err;
        return run;
    }
    run.exit_code = *status->code;
    return run;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

std::string write_file(const test::TempDir& dir, const std::string& name, const std::string& text) {
    const auto path = dir.path() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

TEST(FleetCommand, TwoHundredModemsRunTheNotes51ScriptAgainstAtcoapServer) {
    std::string error;
    CoapPeer server = start_atcoap_server({}, error);
    ASSERT_NE(server.process, nullptr) << error;
    test::TempDir dir;
    const auto json = dir.path() / "fleet.jsonl";
    const auto report = dir.path() / "fleet.html";
    const FleetRun run =
        run_fleet({"--modems", "200", "--script", kNote51, "--target",
                   "127.0.0.1:" + std::to_string(server.port), "--iterations", "2", "--threads",
                   "2", "--json", json.string(), "--report", report.string()});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("iterations passed"), std::string::npos) << run.out;
    auto records = fleet::read_json_lines(read_file(json));
    ASSERT_TRUE(static_cast<bool>(records)) << records.error();
    ASSERT_FALSE(records->empty());
    const fleet::Record& final_record = records->back();
    ASSERT_EQ(final_record.kind, fleet::Record::Kind::Final);
    const fleet::FleetStats& stats = final_record.stats;
    EXPECT_EQ(stats.iterations_started, 400u);
    EXPECT_EQ(stats.iterations_passed, 400u);
    EXPECT_EQ(stats.iterations_failed, 0u);
    EXPECT_EQ(stats.requests, 400u);  // one POST /19 per iteration
    EXPECT_EQ(stats.responses.at("4.04"), 400u);
    EXPECT_EQ(stats.latency.count(), 400u);
    EXPECT_TRUE(stats.at_failures.empty());
    EXPECT_EQ(final_record.run.modems, 200u);
    // The intervals add up to the run.
    std::uint64_t passed = 0;
    for (const fleet::Record& record : *records) {
        if (record.kind == fleet::Record::Kind::Interval) {
            passed += record.stats.iterations_passed;
        }
    }
    EXPECT_EQ(passed, 400u);
    const std::string html = read_file(report);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    // Not a terminal: no status line, nothing on standard error.
    EXPECT_EQ(run.err, "");
}

TEST(FleetCommand, AFailedIterationExitsOne) {
    test::TempDir dir;
    const std::string script = write_file(dir, "fail.at", "send AT\nexpect NOT-OK\n");
    const FleetRun run = run_fleet(
        {"--modems", "3", "--script", script, "--target", "127.0.0.1:9", "--iterations", "2"});
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    EXPECT_NE(run.out.find("iterations failed"), std::string::npos) << run.out;
}

TEST(FleetCommand, UsageErrorsExitTwoWithOneLine) {
    test::TempDir dir;
    const std::string script = write_file(dir, "ok.at", "send AT\nexpect OK\n");
    const FleetRun zero =
        run_fleet({"--modems", "0", "--script", script, "--target", "127.0.0.1:9"});
    EXPECT_EQ(zero.exit_code, 2);
    EXPECT_NE(zero.err.find("--modems"), std::string::npos) << zero.err;
    const FleetRun missing = run_fleet({"--modems", "1", "--target", "127.0.0.1:9"});
    EXPECT_EQ(missing.exit_code, 2);
    const std::string control = write_file(dir, "control.at", "radio off\n");
    const FleetRun refused =
        run_fleet({"--modems", "1", "--script", control, "--target", "127.0.0.1:9"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("atcoap fleet"), std::string::npos) << refused.err;
}

TEST(FleetCommand, ADurationEndsTheRunAndCutsWhatIsInFlight) {
    test::TempDir dir;
    const std::string script = write_file(dir, "long.at", "send AT\nexpect OK\nwait 60s\n");
    const FleetRun run = run_fleet(
        {"--modems", "5", "--script", script, "--target", "127.0.0.1:9", "--duration", "300ms"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("iterations cut by the end of the run: 5"), std::string::npos)
        << run.out;
}

}  // namespace
}  // namespace atcoap::e2e
