#include "exchange_dtls.hpp"

#include <sstream>

#include "exchange_hosts.hpp"
#include "exchange_server.hpp"
#include "exchange_support.hpp"

namespace atcoap::bench {

namespace {

constexpr int kClients = 6;  // the module's clientIDs 0-5 (the note's §3.3.1)
constexpr std::chrono::milliseconds kExitBound{5000};

double milliseconds_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// DTLS on SSL context 0 and every client on it (the note's §5.2 order: the SSL context's
// switch, then each client's). The PSK file is already in the UFS directory.
Status<std::string> configure_dtls(AtHost& host) {
    if (auto done = host.command("AT+QSSLCFG=\"dtls\",0,1"); !done) {
        return done;
    }
    for (int id = 0; id < kClients; ++id) {
        if (auto done = host.command("AT+QCOAPCFG=\"dtls\"," + std::to_string(id) + ",1,0");
            !done) {
            return done;
        }
    }
    return Done{};
}

// Client 0 opened and closed `count` times; each open timed from its line written to its
// URC read, as a host sees it.
Result<std::vector<double>, std::string> time_handshakes(AtHost& host, std::uint16_t port,
                                                         std::size_t count) {
    std::vector<double> times;
    for (std::size_t i = 0; i < count; ++i) {
        const auto start = Clock::now();
        if (auto opened = host.open_client(0, port); !opened) {
            return fail(opened.error());
        }
        times.push_back(milliseconds_since(start));
        if (auto closed = host.close_client(0); !closed) {
            return fail(closed.error());
        }
    }
    return times;
}

// Everything up to the timed loop: configuration, idle memory, handshakes, six sessions.
Status<std::string> prepare_modem(const RunOptions& options, std::uint16_t port, AtHost& host,
                                  const Child& modem, AtcoapDtlsRun& run) {
    if (auto ready = host.start(); !ready) {
        return ready;
    }
    if (auto configured = configure_dtls(host); !configured) {
        return configured;
    }
    auto idle = memory_of(modem);
    if (!idle) {
        return fail(idle.error());
    }
    run.idle = *idle;
    auto handshakes = time_handshakes(host, port, options.handshakes);
    if (!handshakes) {
        return fail(handshakes.error());
    }
    run.handshake_ms = std::move(handshakes).value();
    return six_clients(host, port, run.six_sessions, modem);
}

}  // namespace

Result<AtcoapDtlsRun, std::string> run_atcoap_dtls(const RunOptions& options,
                                                   std::uint16_t dtls_port) {
    TempDir ufs;
    if (!ufs.write_file(kPskFileName, kPskFile)) {
        return fail(std::string("cannot write the PSK file into a temporary UFS directory"));
    }
    auto started = Child::start({options.atcoap, "--log-level", "off", "--ufs", ufs.path()},
                                Child::Stderr::Inherit);
    if (!started) {
        return fail(started.error());
    }
    Child& modem = *started;
    AtHost host(modem);
    AtcoapDtlsRun run;
    if (auto prepared = prepare_modem(options, dtls_port, host, modem, run); !prepared) {
        return fail(prepared.error());
    }
    if (auto timed_run = time_then_finish(options, host, modem, run.rate, run.after_run);
        !timed_run) {
        return fail(timed_run.error());
    }
    return run;
}

namespace {

// The helper's three lines (bench/libcoap_dtls_main.cpp) into `run`.
Status<std::string> parse_helper_output(const std::string& output, LibcoapDtlsRun& run) {
    std::istringstream lines(output);
    std::string line;
    bool rate = false;
    bool memory = false;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string key;
        fields >> key;
        if (key == "handshakes") {
            long long ns = 0;
            while (fields >> ns) {
                run.handshake_ms.push_back(static_cast<double>(ns) / 1e6);
            }
        } else if (key == "rate") {
            rate = static_cast<bool>(fields >> run.rate.per_second >> run.rate.seconds >>
                                     run.rate.client_cpu_us >> run.rate.client_wait_us);
        } else if (key == "memory") {
            memory = static_cast<bool>(fields >> run.hwm_kib);
        }
    }
    if (!rate || !memory) {
        return fail("bench_libcoap_dtls printed no result: '" + output + "'");
    }
    return Done{};
}

}  // namespace

Result<LibcoapDtlsRun, std::string> run_libcoap_dtls(const RunOptions& options,
                                                     std::uint16_t dtls_port) {
    auto started = Child::start({options.libcoap_dtls, std::to_string(dtls_port), kPskIdentity,
                                 kPskKeyText, std::to_string(options.handshakes),
                                 std::to_string(options.warmup), std::to_string(options.count)},
                                Child::Stderr::Inherit);
    if (!started) {
        return fail(started.error());
    }
    // The helper answers only at the end of its run: bound it by the slowest plausible one
    // (every handshake at the answer bound, and 100 exchanges per second).
    const auto bound = kAnswerBound * static_cast<long>(options.handshakes + 2) +
                       std::chrono::milliseconds(10 * (options.warmup + options.count));
    const auto deadline = Clock::now() + bound;
    std::string output;
    while (!started->output_ended() && started->read_some(output, deadline)) {
    }
    const ChildEnd end = started->finish(kExitBound);
    if (!end.exited_zero()) {
        return fail(std::string("bench_libcoap_dtls did not exit 0"));
    }
    LibcoapDtlsRun run;
    if (auto parsed = parse_helper_output(output, run); !parsed) {
        return fail(parsed.error());
    }
    return run;
}

Result<long, std::string> libcoap_dtls_client_peak(const std::string& client,
                                                   std::uint16_t dtls_port) {
    const std::string uri = "coaps://127.0.0.1:" + std::to_string(dtls_port) + "/" + kResource;
    return client_peak(
        {client, "-m", "get", "-s", "1", "-u", kPskIdentity, "-k", kPskKeyText, uri});
}

}  // namespace atcoap::bench
