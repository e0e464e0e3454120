#pragma once
// The three measurements of the exchange benchmark, each against the same server port: (a)
// atcoap driven through its AT port, (b) libcoap's client library, (c) the relay, the floor
// under (a). Each times `count` sequential exchanges after `warmup` untimed ones.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "exchange_process.hpp"

namespace atcoap::bench {

class AtHost;

struct RunOptions {
    std::string atcoap;  // the atcoap executable
    std::string self;    // this executable, started again as the relay
    std::size_t count = 20000;
    std::size_t warmup = 1000;
    std::size_t handshakes = 10;  // DTLS only: handshakes timed per client, for their median
    std::string libcoap_dtls;     // DTLS only: the helper that runs libcoap's DTLS client
};

/// A timed run: exchanges per second, and per exchange the time on a CPU (from schedstat) of
/// the client (atcoap, libcoap's loop, the relay) and of the host that drives it (none for
/// libcoap, whose loop is its own host), and the client's time runnable but waiting for a CPU
/// (other load on the machine), in microseconds.
struct Rate {
    double per_second = 0;
    double seconds = 0;
    double client_cpu_us = 0;
    double host_cpu_us = 0;
    double client_wait_us = 0;
};

/// atcoap's figures: its rate, and its resident memory idle after start, with six open clients
/// after one exchange each, and after the timed run.
struct AtcoapRun {
    Rate rate;
    Memory idle;
    Memory six_clients;
    Memory after_run;
};

Result<AtcoapRun, std::string> run_atcoap(const RunOptions& options, std::uint16_t port);
Result<Rate, std::string> run_libcoap(const RunOptions& options, std::uint16_t port);
Result<Rate, std::string> run_floor(const RunOptions& options, std::uint16_t port);

/// The peak resident size (KiB, VmHWM) of `client` (coap-client-notls) observing the same
/// resource for a second: long enough to read its /proc status while it runs. (wait4's
/// ru_maxrss would not do: a child that execs inherits the parent's peak in it.)
Result<long, std::string> libcoap_client_peak(const std::string& client, std::uint16_t port);

/// The peak resident size (KiB, VmHWM) of the client that `argv` starts, which must print what
/// it fetched and exit 0 within a few seconds.
Result<long, std::string> client_peak(const std::vector<std::string>& argv);

/// atcoap's /proc figures now.
Result<Memory, std::string> memory_of(const Child& modem);

/// Opens clients 0-5 on 127.0.0.1:`port` (each configured before, for DTLS), prepares each and
/// runs one exchange on each, reads the memory into `memory`, then closes clients 1-5 again.
Status<std::string> six_clients(AtHost& host, std::uint16_t port, Memory& memory,
                                const Child& modem);

/// The timed exchanges on client 0, then atcoap's memory after them, then its exit at the end
/// of its input: the tail of every atcoap run.
Status<std::string> time_then_finish(const RunOptions& options, AtHost& host, Child& modem,
                                     Rate& rate, Memory& after);

}  // namespace atcoap::bench
