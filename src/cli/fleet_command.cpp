#include "cli/fleet_command.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>

#include "base/log_rate_limiter.hpp"
#include "cli/fleet_command_plan.hpp"
#include "cli/fleet_merge.hpp"
#include "fleet/identity.hpp"
#include "fleet/json_lines.hpp"
#include "fleet/report.hpp"
#include "fleet/stats_observer.hpp"
#include "fleet/summary.hpp"
#include "io/clock.hpp"
#include "io/stderr_logger.hpp"

namespace atcoap::cli {
namespace {

/// Descriptors besides the modems' sockets: the loops' epoll and eventfd, the standard streams,
/// the output files, the resolver.
constexpr std::uint64_t kSpareDescriptors = 64;

std::atomic<bool> stop_signal{false};

extern "C" void on_stop_signal(int) {
    stop_signal.store(true);
}

/// The modems' warnings and errors on standard error, from every loop's thread: one lock, and at
/// most LogRateLimiter's burst of lines per window (a server gone makes every modem warn).
class FleetLogger final : public Logger {
  public:
    void log(LogLevel level, std::string_view line) override {
        if (level < LogLevel::Warn) {
            return;
        }
        const std::lock_guard lock(mutex_);
        const auto held = limiter_.admit(io::monotonic_now());
        if (!held) {
            return;
        }
        std::string text(line);
        if (*held > 0) {
            text += " (" + std::to_string(*held) + " lines like it held back)";
        }
        out_.log(level, text);
    }
    bool enabled(LogLevel level) const override { return level >= LogLevel::Warn; }

  private:
    std::mutex mutex_;
    LogRateLimiter limiter_;
    io::StderrLogger out_{"atcoap fleet:", LogLevel::Warn};
};

/// What the run adds up to, the JSON lines and the report's timeline, on the main thread.
class Reporter {
  public:
    Reporter(const fleet::RunInfo& run, std::ostream* json)
        : run_(run), json_(json), terminal_(isatty(STDERR_FILENO) == 1) {}

    void on_interval(fleet::FleetInterval interval) {
        fleet::FleetStats stats;
        for (const fleet::FleetStats& part : interval.stats) {
            stats.merge(part);
        }
        total_.merge(stats);
        total_.modems_up = stats.modems_up;  // a gauge: the last, not the sum of intervals
        elapsed_ = interval.elapsed;
        const fleet::Record record{fleet::Record::Kind::Interval, run_, interval.elapsed,
                                   interval.length, std::move(stats)};
        write(record);
        timeline_.add(record);
        if (terminal_ && !interval.final) {
            const std::string line = fleet::status_line(total_, record.stats, record.length);
            std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
            std::fflush(stderr);
        }
    }

    /// The final record: the whole run; modems_up is the most that were up at once.
    fleet::Record finish(std::uint64_t modems_peak) {
        if (terminal_) {
            std::fputs("\r\x1b[K", stderr);
        }
        total_.modems_up = modems_peak;
        fleet::Record record{fleet::Record::Kind::Final, run_, elapsed_, elapsed_, total_};
        write(record);
        return record;
    }
    const fleet::Timeline& timeline() const { return timeline_; }

  private:
    void write(const fleet::Record& record) {
        if (json_ != nullptr) {
            *json_ << fleet::to_json_line(record) << '\n';
            json_->flush();
        }
    }

    fleet::RunInfo run_;
    std::ostream* json_;
    bool terminal_;
    fleet::FleetStats total_;
    Duration elapsed_{};
    fleet::Timeline timeline_;
};

/// The process's peak resident memory (VmHWM), in KiB; 0 when /proc does not say.
std::uint64_t peak_resident_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmHWM:")) {
            return std::strtoull(line.c_str() + 6, nullptr, 10);
        }
    }
    return 0;
}

/// The engine's own counts under the summary table (docs/FLEET.md, "Behaviour over time").
void print_engine_lines(const fleet::LoopCounters& counters, std::FILE* out) {
    std::fprintf(out, "peak resident memory (VmHWM): %llu KiB\n",
                 static_cast<unsigned long long>(peak_resident_kib()));
    std::fprintf(out, "iterations cut by the end of the run: %llu\n",
                 static_cast<unsigned long long>(counters.iterations_cut));
    if (counters.rebinds > 0) {
        std::fprintf(out, "sockets moved to a new port (--rebind-every): %llu\n",
                     static_cast<unsigned long long>(counters.rebinds));
    }
    if (counters.reboots > 0) {
        std::fprintf(out, "modem restarts (--reboot-every): %llu\n",
                     static_cast<unsigned long long>(counters.reboots));
    }
    if (counters.pacing.arrivals > 0) {
        std::fprintf(out,
                     "arrivals (--rate): %llu, waited for a busy modem: %llu, dropped (backlog "
                     "full): %llu\n",
                     static_cast<unsigned long long>(counters.pacing.arrivals),
                     static_cast<unsigned long long>(counters.pacing.backlogged),
                     static_cast<unsigned long long>(counters.pacing.dropped));
    }
}

/// `--json -`, or a path naming the file standard output already is (/dev/stdout, or the file
/// the shell redirected it to): written through std::cout, standard output's one offset.
bool is_standard_output(const std::string& path) {
    if (path == "-") {
        return true;
    }
    struct stat file {};
    struct stat out {};
    return ::stat(path.c_str(), &file) == 0 && ::fstat(STDOUT_FILENO, &out) == 0 &&
           file.st_dev == out.st_dev && file.st_ino == out.st_ino;
}

bool write_report(const std::string& path, const fleet::Timeline& timeline,
                  const fleet::Record& final_record) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << fleet::html_report(timeline, final_record);
    file.close();
    if (!file) {
        std::fprintf(stderr, "atcoap fleet: --report %s: cannot be written\n", path.c_str());
        return false;
    }
    return true;
}

}  // namespace

CLI::App* add_fleet_command(CLI::App& app, FleetCommandLine& line) {
    CLI::App* command = app.add_subcommand(
        "fleet", "Run N modems, each driven by its own runs of an AT script (docs/FLEET.md)");
    // Required unless `merge` or `keys` runs: make_fleet_plan() says which is missing.
    command->add_option("--modems", line.modems, "How many modems (the whole fleet's)")
        ->type_name("N");
    command->add_option("--script", line.script, "The AT script each modem runs")
        ->type_name("FILE.at");
    command->add_option("--target", line.target, "The CoAP server: ${HOST} and ${PORT}")
        ->type_name("HOST:PORT");
    command->add_flag("--dtls", line.dtls, "The target serves DTLS: ${DTLS_PORT} is its port");
    command->add_option("--duration", line.duration, "Run this long, then stop (5m, 30s)")
        ->type_name("D");
    command->add_option("--iterations", line.iterations, "Runs of the script per modem (default 1)")
        ->type_name("K");
    command->add_option("--rate", line.rate, "Start iterations at R per second, fleet-wide")
        ->type_name("R/s");
    command->add_option("--ramp-up", line.ramp_up, "Modem k boots at k*T/N")->type_name("T");
    command->add_option("--seed", line.seed, "Seeds every device's identity and randomness")
        ->capture_default_str();
    command->add_option("--threads", line.threads, "Event loops, each on its own thread")
        ->capture_default_str();
    command->add_option("--shard", line.shard, "Run the I-th of N slices of the fleet")
        ->type_name("I/N");
    command
        ->add_option("--psk-identity", line.psk_identity, "${PSK_ID}: ${DEVICE}, ${IMEI} replaced")
        ->capture_default_str();
    command
        ->add_option("--psk-secret", line.psk_secret, "${PSK_KEY} = HMAC-SHA256(TEXT, ${PSK_ID})")
        ->type_name("TEXT");
    command->add_option("--psk-csv", line.psk_csv, "Identities and keys: line d is device d's")
        ->type_name("FILE");
    command->add_option("-D,--var", line.variables, "A variable for the script; repeatable")
        ->type_name("NAME=VALUE");
    command->add_option("--source", line.source, "Bind the modems' sockets to these addresses")
        ->type_name("A.B.C.D-A.B.C.E");
    command
        ->add_option("--netem", line.netem,
                     "Impair the modems' network both ways (tc netem clauses, docs/FAULTS.md); "
                     "repeatable")
        ->type_name("SPEC");
    command
        ->add_option("--netem-fraction", line.netem_fraction,
                     "The fraction of the devices (the first of the fleet) --netem applies to")
        ->capture_default_str();
    command->add_option("--reboot-every", line.reboot_every, "Every modem restarts this often")
        ->type_name("D");
    command
        ->add_option("--rebind-every", line.rebind_every,
                     "NAT rebinding: this often the modems' sockets move to new local ports")
        ->type_name("D");
    command
        ->add_option("--rebind-fraction", line.rebind_fraction,
                     "The fraction of the devices (the first of the fleet) --rebind-every moves")
        ->capture_default_str();
    command
        ->add_option("--json", line.json,
                     "Write JSON lines to FILE (- for standard output; the summary then goes to "
                     "standard error)")
        ->type_name("FILE");
    command->add_option("--report", line.report, "Write an HTML report to FILE")
        ->type_name("FILE.html");
    command->add_option("--interval", line.interval, "The status line's and JSON lines' interval")
        ->capture_default_str();
    line.merge = command->add_subcommand(
        "merge", "Merge the JSON lines of a fleet's shards into one summary (docs/FLEET.md)");
    line.merge->add_option("FILE", line.merge_files, "JSON lines files")->required();
    line.merge->add_option("--report", line.merge_report, "Write an HTML report to FILE")
        ->type_name("FILE.html");
    line.keys = command->add_subcommand(
        "keys", "Print coap-server's -i file of the fleet's PSK identities and keys");
    line.keys->add_option("--modems", line.modems, "How many modems")->required();
    line.keys->add_option("--psk-identity", line.psk_identity, "As for atcoap fleet")
        ->capture_default_str();
    line.keys->add_option("--psk-secret", line.psk_secret, "As for atcoap fleet");
    line.keys->add_option("--seed", line.seed, "As for atcoap fleet")->capture_default_str();
    return command;
}

int run_fleet_command(const FleetCommandLine& line) {
    if (line.merge != nullptr && line.merge->parsed()) {
        return run_fleet_merge(line.merge_files, line.merge_report, std::cout, std::cerr);
    }
    if (line.keys != nullptr && line.keys->parsed()) {
        if (line.modems == 0 || line.modems > fleet::kMaxFleetDevices) {
            std::fprintf(stderr, "atcoap fleet keys: --modems is 1 to %llu\n",
                         static_cast<unsigned long long>(fleet::kMaxFleetDevices));
            return 2;
        }
        fleet::IdentityOptions options{line.seed, line.psk_identity, line.psk_secret, std::nullopt};
        auto text = fleet::fleet_keys_text(options, line.modems);
        if (!text) {
            std::fprintf(stderr, "atcoap fleet keys: %s\n", text.error().c_str());
            return 2;
        }
        std::fputs(text->c_str(), stdout);
        return 0;
    }
    auto plan = make_fleet_plan(line);
    if (!plan) {
        std::fprintf(stderr, "atcoap fleet: %s\n", plan.error().c_str());
        return 2;
    }
    const std::uint64_t local = plan->options.devices.size();
    if (auto reserved = reserve_descriptors(local + kSpareDescriptors); !reserved) {
        std::fprintf(stderr, "atcoap fleet: %s\n", reserved.error().c_str());
        return 2;
    }
    // JSON lines on standard output (`--json -`, /dev/stdout) leave it to them alone, so that a
    // pod's log is JSON lines only (docs/FLEET.md, "Past one machine"): the summary goes to
    // standard error then.
    const bool json_to_stdout = !line.json.empty() && is_standard_output(line.json);
    std::FILE* summary_out = json_to_stdout ? stderr : stdout;
    std::ofstream json;
    if (!line.json.empty() && !json_to_stdout) {
        json.open(line.json, std::ios::binary | std::ios::trunc);
        if (!json) {
            std::fprintf(stderr, "atcoap fleet: --json %s: cannot be created\n", line.json.c_str());
            return 2;
        }
    }
    plan->options.observer = [](fleet::FleetStats& stats) {
        return std::make_unique<fleet::StatsObserver>(stats, [] { return io::monotonic_now(); });
    };
    FleetLogger log;
    Reporter reporter(plan->run, json_to_stdout   ? static_cast<std::ostream*>(&std::cout)
                                 : json.is_open() ? &json
                                                  : nullptr);
    stop_signal.store(false);
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    fleet::Fleet fleet(plan->script, std::move(plan->options), log);
    fleet.run(
        [&reporter](fleet::FleetInterval interval) { reporter.on_interval(std::move(interval)); },
        [] { return stop_signal.load(); });
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    const fleet::LoopCounters counters = fleet.counters();
    const fleet::Record final_record = reporter.finish(counters.modems_peak);
    std::cout.flush();
    std::fputs(fleet::summary_table(final_record.stats, final_record.elapsed).c_str(), summary_out);
    print_engine_lines(counters, summary_out);
    std::fflush(summary_out);
    bool written = true;
    if (!line.report.empty()) {
        written = write_report(line.report, reporter.timeline(), final_record);
    }
    if ((json.is_open() && !json) || (json_to_stdout && !std::cout)) {
        std::fprintf(stderr, "atcoap fleet: --json %s: cannot be written\n", line.json.c_str());
        written = false;
    }
    const int code = final_record.stats.iterations_failed == 0 ? 0 : 1;
    return written ? code : std::max(code, 2);
}

}  // namespace atcoap::cli
