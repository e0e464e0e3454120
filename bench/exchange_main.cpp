// bench_exchanges: sequential CON GET exchanges per second, in one run against one
// coap-server-notls on loopback, for (a) atcoap driven through its AT port over pipes, (b)
// libcoap's client library, (c) the relay that is the floor under (a); and atcoap's resident
// memory. docs/PERFORMANCE.md explains the figures. `bench_exchanges relay PORT` is the relay.

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange_libcoap.hpp"
#include "exchange_relay.hpp"
#include "exchange_report.hpp"
#include "exchange_runs.hpp"
#include "exchange_server.hpp"

namespace {

using namespace atcoap::bench;

constexpr int kSkipped = 77;  // CTest's SKIP_RETURN_CODE: a peer program is not installed

struct Arguments {
    RunOptions run;
    std::size_t rounds = 3;
    std::string server = "coap-server-notls";
    std::string client = "coap-client-notls";
};

std::optional<std::size_t> parse_count(std::string_view text) {
    std::size_t value = 0;
    const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
    if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

void usage() {
    std::fputs(
        "usage: bench_exchanges [--atcoap PATH] [--server PATH] [--client PATH]\n"
        "                       [--count N] [--warmup N] [--rounds N]\n"
        "  --atcoap  the atcoap executable (default: the one built beside this benchmark)\n"
        "  --server  libcoap's plain server (default: coap-server-notls from PATH)\n"
        "  --client  libcoap's plain client, for its peak memory (default: coap-client-notls)\n"
        "  --count   timed exchanges per measurement (default 20000)\n"
        "  --warmup  untimed exchanges before them (default 1000)\n"
        "  --rounds  rounds of the three measurements (default 3)\n",
        stderr);
}

bool parse_arguments(int argc, char** argv, Arguments& arguments) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || i + 1 >= args.size()) {
            return false;  // every option takes a value
        }
        const std::string_view value = args[++i];
        const std::string_view name = args[i - 1];
        std::optional<std::size_t> number = parse_count(value);
        if (name == "--atcoap") {
            arguments.run.atcoap = value;
        } else if (name == "--server") {
            arguments.server = value;
        } else if (name == "--client") {
            arguments.client = value;
        } else if (name == "--count" && number && *number > 0) {
            arguments.run.count = *number;
        } else if (name == "--warmup" && number) {
            arguments.run.warmup = *number;
        } else if (name == "--rounds" && number && *number > 0) {
            arguments.rounds = *number;
        } else {
            return false;
        }
    }
    return true;
}

// `name` as the shell would find it: itself when it holds a '/', else the first match in PATH.
std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) {
        return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
    }
    const char* path = std::getenv("PATH");
    std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
    while (!dirs.empty()) {
        const std::size_t colon = std::min(dirs.find(':'), dirs.size());
        const std::string candidate = std::string(dirs.substr(0, colon)) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        dirs.remove_prefix(std::min(colon + 1, dirs.size()));
    }
    return {};
}

int run_relay_mode(int argc, char** argv) {
    const auto port = argc == 3 ? parse_count(argv[2]) : std::nullopt;
    if (!port || *port == 0 || *port > 65535) {
        std::fputs("usage: bench_exchanges relay PORT\n", stderr);
        return 2;
    }
    return run_relay(static_cast<std::uint16_t>(*port));
}

// One round: the three measurements, in an order that rotates from round to round so that
// none of them always runs first on a machine whose load drifts.
std::optional<Round> run_round(const RunOptions& options, std::uint16_t port, std::size_t index) {
    Round round;
    for (std::size_t step = 0; step < 3; ++step) {
        std::optional<std::string> error;
        switch ((index + step) % 3) {
            case 0:
                if (auto run = run_atcoap(options, port)) {
                    round.atcoap = *run;
                } else {
                    error = "atcoap: " + run.error();
                }
                break;
            case 1:
                if (auto rate = run_libcoap(options, port)) {
                    round.libcoap = *rate;
                } else {
                    error = "libcoap: " + rate.error();
                }
                break;
            default:
                if (auto rate = run_floor(options, port)) {
                    round.floor = *rate;
                } else {
                    error = "relay: " + rate.error();
                }
        }
        if (error) {
            std::fprintf(stderr, "bench_exchanges: %s\n", error->c_str());
            return std::nullopt;
        }
    }
    return round;
}

int run_benchmark(Arguments& arguments) {
    const std::string server_program = find_program(arguments.server);
    if (server_program.empty()) {
        std::fprintf(stderr, "bench_exchanges: %s not found; skipped\n", arguments.server.c_str());
        return kSkipped;
    }
    auto server = CoapServer::start(server_program);
    if (!server) {
        std::fprintf(stderr, "bench_exchanges: %s\n", server.error().c_str());
        return 1;
    }
    Report report;
    report.options = arguments.run;
    report.load_before = load_average();
    for (std::size_t index = 0; index < arguments.rounds; ++index) {
        const auto round = run_round(arguments.run, server->port(), index);
        if (!round) {
            return 1;
        }
        report.rounds.push_back(*round);
    }
    report.load_after = load_average();
    const std::string client_program = find_program(arguments.client);
    if (!client_program.empty()) {
        if (auto peak = libcoap_client_peak(client_program, server->port())) {
            report.libcoap_client_peak_kib = *peak;
        }
    }
    server->stop();
    print_report(report);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::string_view(argv[1]) == "relay") {
        return run_relay_mode(argc, argv);
    }
    // A child that dies must show up as an error on our side, not kill us on the next write.
    std::signal(SIGPIPE, SIG_IGN);
    Arguments arguments;
    arguments.run.atcoap = ATCOAP_BINARY;
    std::error_code error;
    arguments.run.self = std::filesystem::read_symlink("/proc/self/exe", error).string();
    if (!parse_arguments(argc, argv, arguments) || error) {
        usage();
        return argc == 2 && std::string_view(argv[1]) == "--help" ? 0 : 2;
    }
    coap_startup();
    coap_set_log_level(LOG_ERR);
    const int code = run_benchmark(arguments);
    coap_cleanup();
    return code;
}
