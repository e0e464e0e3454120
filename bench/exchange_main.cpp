// bench_exchanges: sequential CON GET exchanges per second against one libcoap server on
// loopback, over UDP (coap-server-notls) or DTLS (coap-server-openssl), for (a) atcoap driven
// through its AT port over pipes, (b) libcoap's client library, (c) over UDP the relay that is
// the floor under (a); with schedstat CPU times, memory and DTLS handshakes. It prints one JSON
// row per measurement; bench/render-performance.py makes the tables of docs/PERFORMANCE.md.
// `bench_exchanges relay PORT` is the relay.

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "exchange.hpp"
#include "support/loopback.hpp"
#include "support/process.hpp"

namespace atcoap::bench {

namespace {

using test::ChildProcess;

constexpr int kSkipped = 77;  // CTest's SKIP_RETURN_CODE: a peer program is not installed

struct Options {
    Setup setup;
    std::size_t rounds = 3;
    std::string server;  // by default coap-server-notls, or coap-server-openssl over DTLS
    std::string client;  // likewise coap-client-notls or coap-client-openssl
};

std::string load_average() {
    std::ifstream file("/proc/loadavg");
    std::string one;
    std::string five;
    std::string fifteen;
    file >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

/// (b): the libcoap helper for the transport, whose rows are passed on with `base` added.
void run_libcoap(const Setup& setup, const Json& base) {
    std::string error;
    auto helper = ChildProcess::start(
        setup.libcoap,
        {"--transport", std::string(name_of(setup.transport)), "--port", std::to_string(setup.port),
         "--count", std::to_string(setup.count), "--warmup", std::to_string(setup.warmup),
         "--handshakes", std::to_string(setup.handshakes)},
        error, test::ErrorOutput::Inherit);
    if (helper == nullptr) {
        throw Failure(error);
    }
    // It answers only at the end of its run: bound it by the slowest plausible one (every
    // handshake at the answer bound, and 100 exchanges per second).
    const auto bound = kAnswerBound * static_cast<long>(setup.handshakes + 2) +
                       test::Millis(10 * (setup.warmup + setup.count));
    const auto ended = helper->wait_exit(bound);
    if (!ended || !ended->exited_zero() || !helper->out().wait_for_end(kAnswerBound)) {
        throw Failure(setup.libcoap + " did not exit 0");
    }
    std::istringstream rows(helper->out().unread());
    for (std::string row; std::getline(rows, row);) {
        print_row(base, Json::parse(row));
    }
}

/// The peak resident size (VmHWM) of libcoap's own command-line client observing the resource
/// for a second: long enough to read its /proc status while it runs. (wait4's ru_maxrss would
/// not do: a child that execs inherits the parent's peak in it.) No row when it is missing.
void print_client_peak(const Options& options, const Json& base) {
    const bool dtls = options.setup.transport == Transport::dtls;
    const std::string uri = std::string(dtls ? "coaps" : "coap") +
                            "://127.0.0.1:" + std::to_string(options.setup.port) + "/" +
                            std::string(kResource);
    std::vector<std::string> arguments{"-m", "get", "-s", "1", uri};
    if (dtls) {
        arguments.insert(arguments.begin(),
                         {"-u", std::string(kPskIdentity), "-k", std::string(kPskKeyText)});
    }
    std::string error;
    auto client = ChildProcess::start(options.client, arguments, error, test::ErrorOutput::Discard);
    if (client == nullptr) {
        return;
    }
    // VmHWM only grows. Read every 20 ms while the client observes, it reaches the peak of
    // setting up, sending and receiving; what follows is printing and exiting.
    long peak = 0;
    for (const auto deadline = Clock::now() + kAnswerBound;
         !client->out().ended() && Clock::now() < deadline;) {
        try {
            peak = std::max(peak, read_memory(client->pid())["hwm_kib"].get<long>());
        } catch (const Failure&) {  // it is exiting: its memory is gone already
        }
        client->out().wait_for_end(test::Millis{20});
    }
    const auto ended = client->wait_exit(kAnswerBound);
    if (!ended || !ended->exited_zero() || client->out().unread().empty() || peak == 0) {
        throw Failure(options.client + " did not fetch " + uri);
    }
    print_row(base, {{"client", options.client}, {"measure", "peak"}, {"hwm_kib", peak}});
}

/// The rounds: every measurement once per round, in an order that rotates from round to round
/// so that none of them always runs first on a machine whose load drifts.
void run_rounds(const Options& options, const Json& base) {
    using Measurement = void (*)(const Setup&, const Json&);
    std::vector<Measurement> measurements{run_atcoap, run_libcoap};
    if (options.setup.transport == Transport::udp) {
        measurements.push_back(run_floor);  // a relay without DTLS is no floor for DTLS
    }
    for (std::size_t round = 0; round < options.rounds; ++round) {
        Json round_base = base;
        round_base["round"] = round + 1;
        for (std::size_t step = 0; step < measurements.size(); ++step) {
            measurements[(round + step) % measurements.size()](options.setup, round_base);
        }
    }
}

int run(Options& options) {
    Setup& setup = options.setup;
    const bool dtls = setup.transport == Transport::dtls;
    const std::uint16_t port = test::free_udp_port_pair();
    // libcoap's servers serve DTLS on the port after the plain one.
    std::vector<std::string> arguments{"-A", "127.0.0.1", "-p", std::to_string(port)};
    if (dtls) {
        arguments.insert(arguments.end(), {"-k", std::string(kPskKeyText)});
    }
    std::string error;
    auto server = ChildProcess::start(options.server, arguments, error, test::ErrorOutput::Discard);
    if (server == nullptr) {
        std::fprintf(stderr, "bench_exchanges: %s; skipped\n", error.c_str());
        return kSkipped;
    }
    if (!test::accepts_tcp(port, kAnswerBound)) {
        throw Failure(options.server + " did not answer on 127.0.0.1:" + std::to_string(port));
    }
    setup.port = dtls ? static_cast<std::uint16_t>(port + 1) : port;
    const Json base{{"transport", name_of(setup.transport)}};
    print_row(base, {{"measure", "setup"},
                     {"count", setup.count},
                     {"warmup", setup.warmup},
                     {"rounds", options.rounds},
                     {"handshakes", dtls ? setup.handshakes : 0},
                     {"load_before", load_average()}});
    run_rounds(options, base);
    print_row(base, {{"measure", "load"}, {"load_after", load_average()}});
    print_client_peak(options, base);
    server->send_signal(SIGTERM);
    server->wait_exit(kAnswerBound);
    return 0;
}

}  // namespace

}  // namespace atcoap::bench

int main(int argc, char** argv) {
    using namespace atcoap::bench;
    CLI::App app{
        "CoAP exchanges per second through atcoap's AT port, beside libcoap's client "
        "library and a relay (docs/PERFORMANCE.md)"};
    Options options;
    Setup& setup = options.setup;
    setup.atcoap = ATCOAP_BINARY;
    const std::map<std::string, Transport> transports{{"udp", Transport::udp},
                                                      {"dtls", Transport::dtls}};
    app.add_option("--transport", setup.transport, "udp, or dtls with a pre-shared key")
        ->transform(CLI::CheckedTransformer(transports));
    app.add_option("--atcoap", setup.atcoap, "the atcoap executable")->capture_default_str();
    app.add_option("--server", options.server, "libcoap's server (coap-server-notls/-openssl)");
    app.add_option("--client", options.client, "libcoap's client, for its peak memory");
    app.add_option("--count", setup.count, "timed exchanges per measurement")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--warmup", setup.warmup, "untimed exchanges before them")
        ->capture_default_str();
    app.add_option("--rounds", options.rounds)->check(CLI::PositiveNumber)->capture_default_str();
    app.add_option("--handshakes", setup.handshakes, "DTLS: handshakes timed per client and round")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    std::uint16_t relay_port = 0;
    CLI::App* relay = app.add_subcommand("relay", "be the relay (c) for the server on PORT");
    relay->add_option("port", relay_port)->required()->check(CLI::Range(1, 65535));
    CLI11_PARSE(app, argc, argv);
    if (*relay) {
        return run_relay(relay_port);
    }
    const std::string flavour = setup.transport == Transport::udp ? "notls" : "openssl";
    options.server = options.server.empty() ? "coap-server-" + flavour : options.server;
    options.client = options.client.empty() ? "coap-client-" + flavour : options.client;
    setup.self = std::filesystem::read_symlink("/proc/self/exe").string();
    setup.libcoap =
        (std::filesystem::path(setup.self).parent_path() / ("bench_libcoap_" + flavour)).string();
    try {
        return run(options);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_exchanges: %s\n", error.what());
        return 1;
    }
}
