#include "exchange_runs.hpp"

#include <unistd.h>

#include <algorithm>

#include "exchange_hosts.hpp"
#include "exchange_libcoap.hpp"
#include "exchange_server.hpp"
#include "exchange_support.hpp"

namespace atcoap::bench {

namespace {

constexpr int kClients = 6;  // the module's clientIDs 0-5 (the note's §3.3.1)
constexpr std::chrono::milliseconds kExitBound{5000};

}  // namespace

Result<Memory, std::string> memory_of(const Child& child) {
    const auto memory = read_memory(child.pid());
    if (!memory) {
        return fail(std::string("cannot read atcoap's /proc status"));
    }
    return *memory;
}

// Every client open, prepared and through one exchange: the memory figure with six clients.
// Clients 1-5 are closed again, so the timed run has the modem as one client leaves it.
Status<std::string> six_clients(AtHost& host, std::uint16_t port, Memory& memory,
                                const Child& modem) {
    for (int id = 0; id < kClients; ++id) {
        Status<std::string> step = host.open_client(id, port);
        if (step) {
            step = host.prepare_client(id, 1);
        }
        if (step) {
            step = host.exchange(id);
        }
        if (!step) {
            return step;
        }
    }
    auto measured = memory_of(modem);
    if (!measured) {
        return fail(measured.error());
    }
    memory = *measured;
    for (int id = 1; id < kClients; ++id) {
        if (auto closed = host.close_client(id); !closed) {
            return closed;
        }
    }
    return Done{};
}

Result<AtcoapRun, std::string> run_atcoap(const RunOptions& options, std::uint16_t port) {
    TempDir ufs;
    auto started = Child::start({options.atcoap, "--log-level", "off", "--ufs", ufs.path()},
                                Child::Stderr::Inherit);
    if (!started) {
        return fail(started.error());
    }
    Child& modem = *started;
    AtHost host(modem);
    if (auto ready = host.start(); !ready) {
        return fail(ready.error());
    }
    AtcoapRun run;
    auto idle = memory_of(modem);
    if (!idle) {
        return fail(idle.error());
    }
    run.idle = *idle;
    if (auto six = six_clients(host, port, run.six_clients, modem); !six) {
        return fail(six.error());
    }
    if (auto timed_run = time_then_finish(options, host, modem, run.rate, run.after_run);
        !timed_run) {
        return fail(timed_run.error());
    }
    return run;
}

Result<Rate, std::string> run_libcoap(const RunOptions& options, std::uint16_t port) {
    auto client = LibcoapClient::connect(port);
    if (!client) {
        return fail(client.error());
    }
    LibcoapClient& libcoap = **client;
    return timed(options.warmup, options.count, ::getpid(),
                 [&libcoap] { return libcoap.exchange(); });
}

Result<Rate, std::string> run_floor(const RunOptions& options, std::uint16_t port) {
    auto started =
        Child::start({options.self, "relay", std::to_string(port)}, Child::Stderr::Inherit);
    if (!started) {
        return fail(started.error());
    }
    Child& relay = *started;
    RelayHost host(relay);
    auto rate =
        timed(options.warmup, options.count, relay.pid(), [&host] { return host.exchange(); });
    relay.close_input();
    const ChildEnd end = relay.finish(kExitBound);
    if (rate && !end.exited_zero()) {
        return fail(std::string("the relay did not exit 0 at the end of its input"));
    }
    return rate;
}

Result<long, std::string> libcoap_client_peak(const std::string& client, std::uint16_t port) {
    const std::string uri = "coap://127.0.0.1:" + std::to_string(port) + "/" + kResource;
    return client_peak({client, "-m", "get", "-s", "1", uri});
}

Result<long, std::string> client_peak(const std::vector<std::string>& argv) {
    auto started = Child::start(argv, Child::Stderr::Discard);
    if (!started) {
        return fail(started.error());
    }
    // VmHWM only grows. Read every 20 ms while the client observes for its second, it reaches
    // the peak of setting up, sending and receiving; what follows is printing and exiting.
    long peak = 0;
    std::string output;
    const auto deadline = Clock::now() + kAnswerBound;
    while (!started->output_ended() && Clock::now() < deadline) {
        if (const auto memory = read_memory(started->pid())) {
            peak = std::max(peak, memory->hwm_kib);
        }
        started->read_some(output, Clock::now() + std::chrono::milliseconds(20));
    }
    const ChildEnd end = started->finish(kExitBound);
    if (!end.exited_zero() || output.empty() || peak == 0) {
        return fail(argv.front() + " did not fetch " + argv.back());
    }
    return peak;
}

Status<std::string> time_then_finish(const RunOptions& options, AtHost& host, Child& modem,
                                     Rate& rate, Memory& after) {
    auto measured =
        timed(options.warmup, options.count, modem.pid(), [&host] { return host.exchange(0); });
    if (!measured) {
        return fail(measured.error());
    }
    rate = *measured;
    auto memory = memory_of(modem);
    if (!memory) {
        return fail(memory.error());
    }
    after = *memory;
    modem.close_input();  // atcoap ends by itself at the end of its input (docs/RUNNING.md)
    if (!modem.finish(kExitBound).exited_zero()) {
        return fail(std::string("atcoap did not exit 0 at the end of its input"));
    }
    return Done{};
}

}  // namespace atcoap::bench
