// Fleets of modems on real loopback sockets against the test server in this process
// (docs/FLEET.md, "Running a fleet"): every iteration counted once, failures rebooting the
// modem, a duration or a stop cutting what is in flight. Every wait is bounded by the scripts'
// own timeouts and the fleet's duration.

#include <gtest/gtest.h>

#include <asio/executor_work_guard.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "fleet/engine/fleet.hpp"
#include "script/file_loader.hpp"
#include "script/parser.hpp"
#include "server/server_core.hpp"
#include "server/udp_server.hpp"

namespace atcoap::fleet {
namespace {

/// The test server on its own loop and thread, on an ephemeral loopback port.
class ServerThread {
  public:
    ServerThread() : random_(7), core_(random_, log_), server_(context_, core_, log_) {
        const auto opened = server_.open({"127.0.0.1", 0});
        EXPECT_TRUE(static_cast<bool>(opened));
        port_ = server_.local_endpoint().port;
        thread_ = std::thread([this] { context_.run(); });
    }
    ~ServerThread() {
        work_.reset();
        asio::post(context_, [this] { server_.close(); });
        context_.stop();
        thread_.join();
    }
    std::uint16_t port() const { return port_; }

  private:
    asio::io_context context_;
    asio::executor_work_guard<asio::io_context::executor_type> work_ =
        asio::make_work_guard(context_);
    NullLogger log_;
    SeededRandom random_;
    server::ServerCore core_;
    server::UdpServer server_;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

script::Script parse(const std::string& path, const std::set<std::string>& names) {
    script::FileLoader loader;
    auto parsed = script::parse_script(path, loader, [&names](std::string_view name) {
        return names.contains(std::string(name));
    });
    EXPECT_TRUE(static_cast<bool>(parsed)) << (parsed ? "" : parsed.error().text());
    return parsed ? std::move(*parsed) : script::Script{};
}

/// Counts the first transmission of every request a modem sends, as StatsObserver does.
class RequestCounter final : public modem::Observer {
  public:
    explicit RequestCounter(FleetStats& stats) : stats_(stats) {}
    void on_message(const modem::MessageTrace& message) override {
        if (message.direction == modem::Direction::Sent && message.retransmission == 0 &&
            message.code.is_request()) {
            ++stats_.requests;
        }
    }

  private:
    FleetStats& stats_;
};

/// Counts the URCs that are `line` (one counter for every modem of every loop).
class UrcCounter final : public modem::Observer {
  public:
    UrcCounter(std::string line, std::atomic<int>& count) : line_(std::move(line)), count_(count) {}
    void on_urc(std::string_view line) override {
        if (line == line_) {
            ++count_;
        }
    }

  private:
    std::string line_;
    std::atomic<int>& count_;
};

std::vector<DeviceSetup> devices(std::size_t n, std::uint16_t port) {
    std::vector<DeviceSetup> setups;
    for (std::size_t d = 0; d < n; ++d) {
        DeviceSetup setup;
        setup.device = d;
        setup.seed = 100 + d;
        setup.imei = "86450803" + std::to_string(1'000'000 + d);
        setup.variables = {{"HOST", "127.0.0.1"}, {"PORT", std::to_string(port)}};
        // Its own source address: the note's script sets message ID 1234, and two devices given
        // one port in turn would be one peer to the server's deduplication (docs/FLEET.md).
        setup.source = asio::ip::make_address_v4(0x7f000010u + static_cast<std::uint32_t>(d));
        setups.push_back(std::move(setup));
    }
    return setups;
}

/// What a run added up to: iterations and requests over every interval and the final one.
struct Totals {
    std::uint64_t started = 0, passed = 0, failed = 0, requests = 0;
    std::size_t intervals = 0;
    bool saw_final = false;
};

Totals run(Fleet& fleet, std::function<bool()> stop = {}) {
    Totals totals;
    fleet.run(
        [&totals](FleetInterval interval) {
            ++totals.intervals;
            totals.saw_final = totals.saw_final || interval.final;
            for (const FleetStats& stats : interval.stats) {
                totals.started += stats.iterations_started;
                totals.passed += stats.iterations_passed;
                totals.failed += stats.iterations_failed;
                totals.requests += stats.requests;
            }
        },
        stop);
    return totals;
}

script::Script write_and_parse(const std::string& name, const std::string& text) {
    const std::string path = testing::TempDir() + "/" + name;
    std::FILE* file = std::fopen(path.c_str(), "w");
    EXPECT_NE(file, nullptr);
    std::fputs(text.c_str(), file);
    std::fclose(file);
    return parse(path, {});
}

const std::string kNote51 = std::string(ATCOAP_EXAMPLES_DIR) + "/note-5.1.at";

TEST(Fleet, ModemsRunTheNotes51ScriptKTimesEach) {
    ServerThread server;
    const auto script = parse(kNote51, {"HOST", "PORT"});
    NullLogger log;
    FleetOptions options;
    options.devices = devices(6, server.port());
    options.threads = 2;
    options.iterations = 2;
    options.interval = Duration(50);
    options.observer = [](FleetStats& stats) { return std::make_unique<RequestCounter>(stats); };
    Fleet fleet(script, std::move(options), log);
    const Totals totals = run(fleet);
    EXPECT_EQ(totals.started, 12u);
    EXPECT_EQ(totals.passed, 12u);
    EXPECT_EQ(totals.failed, 0u);
    EXPECT_EQ(totals.requests, 12u);  // one POST per iteration
    EXPECT_TRUE(totals.saw_final);
    EXPECT_EQ(fleet.counters().iterations_cut, 0u);
    EXPECT_EQ(fleet.counters().modems_peak, 6u);
}

TEST(Fleet, AFailedIterationIsCountedAndTheModemRebootsForTheNext) {
    const auto script = write_and_parse("fail.at", "send AT\nexpect NOT-OK\n");
    NullLogger log;
    FleetOptions options;
    options.devices = devices(2, 1);
    options.iterations = 3;
    std::atomic<int> restarts = 0;  // APP RDY: once at boot, once per reboot
    options.observer = [&restarts](FleetStats&) {
        return std::make_unique<UrcCounter>("APP RDY", restarts);
    };
    Fleet fleet(script, std::move(options), log);
    const Totals totals = run(fleet);
    EXPECT_EQ(totals.started, 6u);
    EXPECT_EQ(totals.failed, 6u);
    EXPECT_EQ(totals.passed, 0u);
    EXPECT_EQ(restarts.load(), 2 + 6);
}

TEST(Fleet, TheDurationCutsTheIterationsInFlight) {
    const auto script = write_and_parse("long.at", "send AT\nexpect OK\nwait 30s\n");
    NullLogger log;
    FleetOptions options;
    options.devices = devices(3, 1);
    options.duration = Duration(200);
    Fleet fleet(script, std::move(options), log);
    const auto began = std::chrono::steady_clock::now();
    const Totals totals = run(fleet);
    EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(10));
    // Each device began its iteration at once (unless the machine held the loop up past the
    // end), and every one that began was cut.
    EXPECT_EQ(totals.passed + totals.failed, 0u);
    EXPECT_EQ(fleet.counters().iterations_cut, totals.started);
    EXPECT_LE(totals.started, 3u);
}

TEST(Fleet, AStopRequestEndsTheRun) {
    const auto script = write_and_parse("stop.at", "wait 30s\n");
    NullLogger log;
    FleetOptions options;
    options.devices = devices(2, 1);
    options.iterations = 1;
    options.threads = 2;
    options.interval = Duration(20);
    Fleet fleet(script, std::move(options), log);
    const Totals totals = run(fleet, [] { return true; });
    // However far the loops got before the stop: whatever began was cut, nothing passed.
    EXPECT_EQ(totals.passed + totals.failed, 0u);
    EXPECT_EQ(fleet.counters().iterations_cut, totals.started);
    EXPECT_LE(totals.started, 2u);
}

TEST(Fleet, AScriptThatNeverWaitsDoesNotStarveTheLoop) {
    // Each iteration is answered within the same turn of the loop: iterations follow on the
    // loop's next turns, not recursively, and pumps stop at kMaxPumpRounds.
    std::string text;
    for (int i = 0; i < 100; ++i) {
        text += "send AT\nexpect OK\n";
    }
    const auto script = write_and_parse("busy.at", text);
    NullLogger log;
    FleetOptions options;
    options.devices = devices(2, 1);
    options.iterations = 50;
    Fleet fleet(script, std::move(options), log);
    const Totals totals = run(fleet);
    EXPECT_EQ(totals.passed, 100u);
    EXPECT_EQ(totals.failed, 0u);
}

TEST(Fleet, RebootEveryRestartsEveryBootedModem) {
    const auto script = write_and_parse("idle.at", "wait 30s\n");
    NullLogger log;
    FleetOptions options;
    options.devices = devices(2, 1);
    options.duration = Duration(550);
    options.reboot_every = Duration(200);
    std::atomic<int> restarts = 0;
    options.observer = [&restarts](FleetStats&) {
        return std::make_unique<UrcCounter>("APP RDY", restarts);
    };
    Fleet fleet(script, std::move(options), log);
    run(fleet);
    // At 200 ms and (unless the loop was held up past the end) at 400 ms, both modems.
    EXPECT_GE(fleet.counters().reboots, 2u);
    EXPECT_LE(fleet.counters().reboots, 4u);
    EXPECT_EQ(static_cast<std::uint64_t>(restarts.load()), 2 + fleet.counters().reboots);
}

TEST(Fleet, TheOpenModelStartsIterationsAtTheRate) {
    const auto script = write_and_parse("quick.at", "send AT\nexpect OK\n");
    NullLogger log;
    FleetOptions options;
    options.devices = devices(2, 1);
    options.iterations = 3;
    options.rate = 100.0;  // 6 arrivals, 10 ms apart
    Fleet fleet(script, std::move(options), log);
    const Totals totals = run(fleet);
    EXPECT_EQ(totals.passed, 6u);
    EXPECT_EQ(fleet.counters().pacing.arrivals, 6u);
    EXPECT_EQ(fleet.counters().pacing.dropped, 0u);
}

}  // namespace
}  // namespace atcoap::fleet
