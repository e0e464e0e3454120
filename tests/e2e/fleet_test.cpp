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
const std::string kFleetDtls = std::string(ATCOAP_EXAMPLES_DIR) + "/fleet-dtls.at";

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

// As docs/FLEET.md "Limits" advises: NON requests are never retransmitted and 200 sent in the
// same millisecond can overflow the server's socket buffer on a loaded machine, so the modems
// boot over 2 s; the script sets message ID 1234, so each device has its own source address
// (two devices given the same port in turn would be one peer to the server's deduplication).
TEST(FleetCommand, TwoHundredModemsRunTheNotes51ScriptAgainstAtcoapServer) {
    std::string error;
    CoapPeer server = start_atcoap_server({}, error);
    ASSERT_NE(server.process, nullptr) << error;
    test::TempDir dir;
    const auto json = dir.path() / "fleet.jsonl";
    const auto report = dir.path() / "fleet.html";
    const FleetRun run =
        run_fleet({"--modems", "200", "--script", kNote51, "--target",
                   "127.0.0.1:" + std::to_string(server.port), "--iterations", "1", "--threads",
                   "2", "--ramp-up", "2s", "--source", "127.0.0.2-127.0.0.254", "--json",
                   json.string(), "--report", report.string()});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("iterations passed"), std::string::npos) << run.out;
    auto records = fleet::read_json_lines(read_file(json));
    ASSERT_TRUE(static_cast<bool>(records)) << records.error();
    ASSERT_FALSE(records->empty());
    const fleet::Record& final_record = records->back();
    ASSERT_EQ(final_record.kind, fleet::Record::Kind::Final);
    const fleet::FleetStats& stats = final_record.stats;
    EXPECT_EQ(stats.iterations_started, 200u);
    EXPECT_EQ(stats.iterations_passed, 200u);
    EXPECT_EQ(stats.iterations_failed, 0u);
    EXPECT_EQ(stats.requests, 200u);  // one POST /19 per iteration
    EXPECT_EQ(stats.responses.at("4.04"), 200u);
    EXPECT_EQ(stats.latency.count(), 200u);
    EXPECT_TRUE(stats.at_failures.empty());
    EXPECT_EQ(final_record.run.modems, 200u);
    // The intervals add up to the run.
    std::uint64_t passed = 0;
    for (const fleet::Record& record : *records) {
        if (record.kind == fleet::Record::Kind::Interval) {
            passed += record.stats.iterations_passed;
        }
    }
    EXPECT_EQ(passed, 200u);
    const std::string html = read_file(report);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    // Not a terminal: no status line, nothing on standard error.
    EXPECT_EQ(run.err, "");
}

TEST(FleetCommand, NetemDelaysEveryModemsTraffic) {
    std::string error;
    CoapPeer server = start_atcoap_server({}, error);
    ASSERT_NE(server.process, nullptr) << error;
    test::TempDir dir;
    const auto json = dir.path() / "netem.jsonl";
    const FleetRun run = run_fleet({"--modems", "3", "--script", kNote51, "--target",
                                    "127.0.0.1:" + std::to_string(server.port), "--netem",
                                    "delay 50ms", "--json", json.string()});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    auto records = fleet::read_json_lines(read_file(json));
    ASSERT_TRUE(static_cast<bool>(records)) << records.error();
    const fleet::LatencyHistogram& latency = records->back().stats.latency;
    ASSERT_EQ(latency.count(), 3u);
    EXPECT_GE(latency.percentile(0.0), 100'000u);  // 50 ms up and 50 ms down, in µs
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

TEST(FleetCommand, KeysPrintsTheServersKeyFileOfTheFleet) {
    const FleetRun run = run_fleet({"keys", "--modems", "2", "--psk-secret", "s"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("CoAP,dev-0,"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("CoAP,dev-1,"), std::string::npos) << run.out;
    EXPECT_EQ(run_fleet({"keys", "--modems", "0"}).exit_code, 2);
}

TEST(FleetCommand, ADurationEndsTheRunAndCutsWhatIsInFlight) {
    test::TempDir dir;
    const std::string script = write_file(dir, "long.at", "send AT\nexpect OK\nwait 60s\n");
    const FleetRun run = run_fleet(
        {"--modems", "5", "--script", script, "--target", "127.0.0.1:9", "--duration", "1s"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("iterations cut by the end of the run: 5"), std::string::npos)
        << run.out;
}

TEST(FleetCommand, FourShardsMergeIntoTheTotalsOfOneProcess) {
    std::string error;
    CoapPeer server = start_atcoap_server({}, error);
    ASSERT_NE(server.process, nullptr) << error;
    test::TempDir dir;
    const std::string target = "127.0.0.1:" + std::to_string(server.port);
    // One iteration each, each device its own address: see the test above.
    const std::vector<std::string> common = {
        "--modems", "40",     "--script", kNote51,    "--target",
        target,     "--seed", "9",        "--source", "127.0.0.2-127.0.0.254"};
    std::vector<std::string> files;
    for (int i = 0; i < 4; ++i) {
        auto arguments = common;
        files.push_back((dir.path() / ("shard-" + std::to_string(i) + ".jsonl")).string());
        arguments.insert(arguments.end(),
                         {"--shard", std::to_string(i) + "/4", "--json", files.back()});
        const FleetRun shard = run_fleet(arguments);
        ASSERT_EQ(shard.exit_code, 0) << shard.out << shard.err;
    }
    auto whole = common;
    whole.insert(whole.end(), {"--json", (dir.path() / "whole.jsonl").string()});
    const FleetRun one = run_fleet(whole);
    ASSERT_EQ(one.exit_code, 0) << one.out << one.err;
    auto merge = files;
    merge.insert(merge.begin(), "merge");
    const FleetRun merged = run_fleet(merge);
    ASSERT_EQ(merged.exit_code, 0) << merged.out << merged.err;
    // The summary's rows but elapsed, requests/s and the latencies (times differ run to run).
    const auto counts = [](const std::string& table) {
        std::istringstream in(table);
        std::string rows;
        for (std::string line; std::getline(in, line);) {
            if (line.starts_with("iterations passed") || line.starts_with("iterations failed") ||
                line.starts_with("requests ") || line.starts_with("responses") ||
                line.starts_with("give-ups") || line.starts_with("AT failures")) {
                rows += line + "\n";
            }
        }
        return rows;
    };
    EXPECT_EQ(counts(merged.out), counts(one.out)) << merged.out << one.out;
    EXPECT_NE(counts(one.out).find("40"), std::string::npos) << one.out;
}

// A pod's log (docs/FLEET.md, "Past one machine"): with the JSON lines on standard output, it
// holds them alone, readable as they are, and the summary goes to standard error.
TEST(FleetCommand, JsonOnStandardOutputLeavesItToTheJsonLinesAlone) {
    test::TempDir dir;
    const std::string script = write_file(dir, "ok.at", "send AT\nexpect OK\n");
    for (const std::string json : {"-", "/dev/stdout"}) {
        const FleetRun run = run_fleet({"--modems", "3", "--script", script, "--target",
                                        "127.0.0.1:9", "--iterations", "2", "--json", json});
        ASSERT_EQ(run.exit_code, 0) << json << "\n" << run.out << run.err;
        auto records = fleet::read_json_lines(run.out);
        ASSERT_TRUE(static_cast<bool>(records)) << json << ": " << records.error() << "\n"
                                                << run.out;
        ASSERT_FALSE(records->empty());
        EXPECT_EQ(records->back().kind, fleet::Record::Kind::Final);
        EXPECT_EQ(records->back().stats.iterations_passed, 6u);
        EXPECT_NE(run.err.find("iterations passed"), std::string::npos) << run.err;
        EXPECT_EQ(run.out.find("iterations passed"), std::string::npos) << run.out;
    }
}

// NAT rebinding (docs/FLEET.md, --rebind-every): every 100 ms each modem's open socket moves to a
// new local port; plain CoAP does not mind (atcoap server answers the request's source), so every
// iteration, which holds its client open across rebindings, passes.
TEST(FleetCommand, PlainCoapIterationsPassWhileSocketsAreRebound) {
    std::string error;
    CoapPeer server = start_atcoap_server({}, error);
    ASSERT_NE(server.process, nullptr) << error;
    test::TempDir dir;
    const std::string exchange =
        "send AT+QCOAPOPTION=0,0,0,11,\"19\"\nexpect OK\nsend AT+QCOAPSEND=0,0,2,1,4\n"
        "expect >\nwrite ping\nexpect OK\nexpect-urc within 30s \\+QCOAPACK: 0,0,\\d+,0\n"
        "expect-urc within 30s \\+QCOAPRECV: 0,\\d+,4\\.04,.*\nexpect Not Found\n";
    const std::string script = write_file(
        dir, "rebind.at",
        "send ATE0\nexpect OK\nsend AT+QCOAPOPEN=0,\"${HOST}\",${PORT}\nexpect OK\n"
        "expect-urc within 10s \\+QCOAPOPEN: 0,0\n" +
            exchange + "wait 350ms\n" + exchange +
            "send AT+QCOAPCLOSE=0\nexpect OK\nexpect-urc within 10s \\+QCOAPCLOSE: 0,0\n");
    const FleetRun run = run_fleet({"--modems", "5", "--script", script, "--target",
                                    "127.0.0.1:" + std::to_string(server.port), "--iterations", "2",
                                    "--rebind-every", "100ms"});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("iterations passed             10"), std::string::npos) << run.out;
    const std::string moved_row = "sockets moved to a new port (--rebind-every): ";
    const auto moved = run.out.find(moved_row);
    ASSERT_NE(moved, std::string::npos) << run.out;
    // 5 modems, each with its client open over 3 rebindings or more per iteration.
    EXPECT_GE(std::stoul(run.out.substr(moved + moved_row.size())), 15u) << run.out;
    // None with --rebind-fraction 0.
    const FleetRun none = run_fleet({"--modems", "2", "--script", script, "--target",
                                     "127.0.0.1:" + std::to_string(server.port), "--rebind-every",
                                     "100ms", "--rebind-fraction", "0"});
    ASSERT_EQ(none.exit_code, 0) << none.out << none.err;
    EXPECT_EQ(none.out.find("sockets moved"), std::string::npos) << none.out;
}

// The "Done when": a fleet with per-device PSKs against libcoap's `coap-server-openssl -i`
// (docs/FLEET.md, "Devices"). `atcoap fleet keys` writes the server's key file; 20 modems running
// examples/fleet-dtls.at each handshake with their own key; the same fleet under another
// --psk-secret has keys the server does not know, and every handshake fails (-9).
TEST(FleetCommand, TwentyModemsHandshakeWithTheirOwnKeysAgainstLibcoapsKeyFile) {
    test::TempDir dir;
    const std::vector<std::string> identity = {"--psk-identity", "imei-${IMEI}", "--seed", "3"};
    auto keys_arguments = identity;
    keys_arguments.insert(keys_arguments.begin(), {"keys", "--modems", "20"});
    const FleetRun keys = run_fleet(keys_arguments);
    ASSERT_EQ(keys.exit_code, 0) << keys.err;
    const std::string key_file = write_file(dir, "keys.txt", keys.out);
    std::string error;
    // -k: the key of identities not in the file, which no device has.
    CoapPeer server =
        start_libcoap_server({"-k", "no device's key", "-i", key_file}, error, "openssl");
    ASSERT_NE(server.process, nullptr) << error;
    const std::string target = "127.0.0.1:" + std::to_string(server.port + 1);  // its DTLS port
    const auto fleet = [&](const std::string& secret, const std::string& json) {
        std::vector<std::string> arguments = {"--modems", "20",       "--dtls",   "--iterations",
                                              "1",        "--script", kFleetDtls, "--target",
                                              target,     "--json",   json};
        arguments.insert(arguments.end(), identity.begin(), identity.end());
        if (!secret.empty()) {
            arguments.insert(arguments.end(), {"--psk-secret", secret});
        }
        return run_fleet(arguments);
    };
    const auto totals = [](const std::filesystem::path& json) {
        auto records = fleet::read_json_lines(read_file(json));
        EXPECT_TRUE(static_cast<bool>(records)) << records.error();
        return records && !records->empty() ? records->back().stats : fleet::FleetStats{};
    };
    const auto good_json = dir.path() / "good.jsonl";
    const FleetRun good = fleet("", good_json.string());
    EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
    const fleet::FleetStats good_stats = totals(good_json);
    EXPECT_EQ(good_stats.handshakes, 20u);
    EXPECT_EQ(good_stats.handshake_failures, 0u);
    EXPECT_EQ(good_stats.handshake.count(), 20u);
    EXPECT_EQ(good_stats.iterations_passed, 20u);
    EXPECT_EQ(good_stats.iterations_failed, 0u);
    EXPECT_EQ(good_stats.responses.count("4.04") ? good_stats.responses.at("4.04") : 0u, 20u);

    const auto wrong_json = dir.path() / "wrong.jsonl";
    const FleetRun wrong = fleet("not the fleet's secret", wrong_json.string());
    EXPECT_EQ(wrong.exit_code, 1) << wrong.out << wrong.err;
    const fleet::FleetStats wrong_stats = totals(wrong_json);
    EXPECT_EQ(wrong_stats.handshakes, 0u);
    EXPECT_EQ(wrong_stats.handshake_failures, 20u);
    EXPECT_EQ(wrong_stats.iterations_failed, 20u);
    EXPECT_EQ(wrong_stats.at_failures.count(-9) ? wrong_stats.at_failures.at(-9) : 0u, 20u);
    EXPECT_EQ(wrong_stats.requests, 0u);
}

}  // namespace
}  // namespace atcoap::e2e
