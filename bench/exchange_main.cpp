// bench_exchanges: sequential CON GET exchanges per second, in one run against one
// coap-server-notls on loopback, for (a) atcoap driven through its AT port over pipes, (b)
// libcoap's client library, (c) the relay that is the floor under (a); and atcoap's resident
// memory. docs/PERFORMANCE.md explains the figures. `bench_exchanges relay PORT` is the relay.
// With --dtls it measures DTLS instead, against coap-server-openssl: atcoap, and libcoap's DTLS
// client library in the bench_libcoap_dtls helper built beside this executable.

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

#include "exchange_dtls.hpp"
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
    std::string server;  // by default coap-server-notls, or coap-server-openssl with --dtls
    std::string client;  // likewise coap-client-notls or coap-client-openssl
    bool dtls = false;
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
        "usage: bench_exchanges [--dtls] [--atcoap PATH] [--server PATH] [--client PATH]\n"
        "                       [--count N] [--warmup N] [--rounds N] [--handshakes N]\n"
        "  --dtls    measure over DTLS (PSK) against coap-server-openssl, beside libcoap's\n"
        "            DTLS client library, instead of over UDP\n"
        "  --atcoap  the atcoap executable (default: the one built beside this benchmark)\n"
        "  --server  libcoap's server (default: coap-server-notls, with --dtls\n"
        "            coap-server-openssl, from PATH)\n"
        "  --client  libcoap's client, for its peak memory (default: coap-client-notls, with\n"
        "            --dtls coap-client-openssl)\n"
        "  --count   timed exchanges per measurement (default 20000)\n"
        "  --warmup  untimed exchanges before them (default 1000)\n"
        "  --rounds  rounds of the measurements (default 3)\n"
        "  --handshakes  with --dtls: handshakes timed per client and round (default 10)\n",
        stderr);
}

bool parse_arguments(int argc, char** argv, Arguments& arguments) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--dtls") {
            arguments.dtls = true;
            continue;
        }
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
        } else if (name == "--handshakes" && number && *number > 0) {
            arguments.run.handshakes = *number;
        } else {
            return false;
        }
    }
    if (arguments.server.empty()) {
        arguments.server = arguments.dtls ? "coap-server-openssl" : "coap-server-notls";
    }
    if (arguments.client.empty()) {
        arguments.client = arguments.dtls ? "coap-client-openssl" : "coap-client-notls";
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

// One DTLS round: atcoap and libcoap, the first of them alternating from round to round.
std::optional<DtlsRound> run_dtls_round(const RunOptions& options, std::uint16_t dtls_port,
                                        std::size_t index) {
    DtlsRound round;
    for (std::size_t step = 0; step < 2; ++step) {
        std::optional<std::string> error;
        if ((index + step) % 2 == 0) {
            if (auto run = run_atcoap_dtls(options, dtls_port)) {
                round.atcoap = *run;
            } else {
                error = "atcoap: " + run.error();
            }
        } else if (auto run = run_libcoap_dtls(options, dtls_port)) {
            round.libcoap = *run;
        } else {
            error = "libcoap: " + run.error();
        }
        if (error) {
            std::fprintf(stderr, "bench_exchanges: %s\n", error->c_str());
            return std::nullopt;
        }
    }
    return round;
}

// libcoap's servers serve DTLS on the port after the plain one.
int run_dtls_benchmark(const Arguments& arguments, const std::string& server_program) {
    auto server = CoapServer::start(server_program, {"-k", kPskKeyText});
    if (!server) {
        std::fprintf(stderr, "bench_exchanges: %s\n", server.error().c_str());
        return 1;
    }
    const auto dtls_port = static_cast<std::uint16_t>(server->port() + 1);
    DtlsReport report;
    report.options = arguments.run;
    report.load_before = load_average();
    for (std::size_t index = 0; index < arguments.rounds; ++index) {
        const auto round = run_dtls_round(arguments.run, dtls_port, index);
        if (!round) {
            return 1;
        }
        report.rounds.push_back(*round);
    }
    report.load_after = load_average();
    const std::string client_program = find_program(arguments.client);
    if (!client_program.empty()) {
        if (auto peak = libcoap_dtls_client_peak(client_program, dtls_port)) {
            report.libcoap_client_peak_kib = *peak;
        }
    }
    server->stop();
    print_dtls_report(report);
    return 0;
}

int run_benchmark(Arguments& arguments) {
    const std::string server_program = find_program(arguments.server);
    if (server_program.empty()) {
        std::fprintf(stderr, "bench_exchanges: %s not found; skipped\n", arguments.server.c_str());
        return kSkipped;
    }
    if (arguments.dtls) {
        return run_dtls_benchmark(arguments, server_program);
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
    arguments.run.libcoap_dtls =
        (std::filesystem::path(arguments.run.self).parent_path() / "bench_libcoap_dtls").string();
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
