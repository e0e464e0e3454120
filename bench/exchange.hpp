#pragma once
// What every part of the exchange benchmark shares (docs/PERFORMANCE.md): the one request all
// clients send, the note's DTLS key, the timed loop with its schedstat readings, the memory
// readings, and the JSON rows the results leave in. Any failure throws Failure; the
// benchmark's main reports it and exits non-zero.

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace atcoap::bench {

using Json = nlohmann::ordered_json;
using Failure = std::runtime_error;
using Clock = std::chrono::steady_clock;

/// The longest any one answer may take before the run is declared stuck.
inline constexpr std::chrono::milliseconds kAnswerBound{5000};

/// coap-server answers GET /time piggybacked: 2.05 with Max-Age and a 15-byte date, small
/// enough to keep the exchange about the exchange.
inline constexpr std::string_view kResource = "time";

/// Every client sends the same 4-byte token (the exchanges are sequential, so one outstanding
/// token suffices; RFC 7252 §5.3.1).
inline constexpr std::uint8_t kToken[4] = {0x5A, 0x1C, 0xE0, 0x07};
inline constexpr std::string_view kTokenHex = "5A1CE007";

/// The note's §5.2 key: the PSK file holds `<identity>&<key in hex>`; libcoap's tools take the
/// same key as text (313233343446473839 is "12344FG89").
inline constexpr std::string_view kPskIdentity = "864508030012428";
inline constexpr std::string_view kPskKeyText = "12344FG89";
inline constexpr std::string_view kPskFileName = "0_server.psk";
inline constexpr std::string_view kPskFile = "864508030012428&313233343446473839";

enum class Transport { udp, dtls };

/// "udp" or "dtls", as the rows and the command line spell them.
std::string_view name_of(Transport transport);

/// What a timed run measures, per exchange: exchanges per second, and per exchange the time on
/// a CPU (schedstat) of the client (atcoap, libcoap's loop, the relay) and of the host that
/// drives it (none when the client is its own host), and the client's time runnable but
/// waiting for a CPU (other load on the machine), in microseconds.
struct Rate {
    double per_second = 0;
    double seconds = 0;
    double cpu_us = 0;
    double host_cpu_us = 0;
    double wait_us = 0;
};

/// Time on a CPU and time waiting for one, nanoseconds, of a process's main thread
/// (/proc/PID/schedstat); zero when it cannot be read.
struct CpuTime {
    double on_cpu_ns = 0;
    double waiting_ns = 0;
};
CpuTime read_cpu(pid_t pid);

/// `warmup` untimed exchanges, then `count` timed ones. `client` is the process that does the
/// CoAP work; when it is this process, there is no separate host.
template <class Exchange>
Rate timed(std::size_t warmup, std::size_t count, pid_t client, Exchange&& exchange) {
    for (std::size_t i = 0; i < warmup; ++i) {
        exchange();
    }
    const CpuTime client_before = read_cpu(client);
    const CpuTime host_before = read_cpu(::getpid());
    const auto start = Clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        exchange();
    }
    const std::chrono::duration<double> elapsed = Clock::now() - start;
    const CpuTime client_after = read_cpu(client);
    const CpuTime host_after = read_cpu(::getpid());
    const double us = static_cast<double>(count) * 1000;  // nanoseconds to µs per exchange
    const bool own_host = client == ::getpid();
    return Rate{static_cast<double>(count) / elapsed.count(), elapsed.count(),
                (client_after.on_cpu_ns - client_before.on_cpu_ns) / us,
                own_host ? 0.0 : (host_after.on_cpu_ns - host_before.on_cpu_ns) / us,
                (client_after.waiting_ns - client_before.waiting_ns) / us};
}

/// A process's memory, KiB: VmRSS and VmHWM from /proc/PID/status; Pss and Anonymous from
/// /proc/PID/smaps_rollup. RSS counts every resident page mapped, shared library code
/// included; PSS divides shared pages among their users; Anonymous is the process's own data.
/// Throws when they cannot be read.
Json read_memory(pid_t pid);

/// A rate as the fields of a row.
Json rate_fields(const Rate& rate);

/// Writes `base` (the transport and round) with `fields` as one line of JSON on standard
/// output, at once.
void print_row(const Json& base, const Json& fields);

/// One benchmark run's setting, as each measurement needs it.
struct Setup {
    Transport transport = Transport::udp;
    std::string atcoap;      // the atcoap executable
    std::string self;        // this executable, started again as the relay
    std::string libcoap;     // the helper that runs libcoap's client library
    std::uint16_t port = 0;  // the server's port for `transport` (DTLS: the plain one + 1)
    std::size_t count = 20000;
    std::size_t warmup = 1000;
    std::size_t handshakes = 10;  // DTLS only: handshakes timed per client and round
};

/// (a) atcoap driven through its AT port: over DTLS its handshakes first; its memory idle,
/// with six clients open, and after the timed exchanges on client 0.
void run_atcoap(const Setup& setup, const Json& base);

/// (c) the floor under (a), UDP only: the relay that `bench_exchanges relay PORT` runs,
/// driven by the same host code over the same kind of pipes.
void run_floor(const Setup& setup, const Json& base);

/// The relay itself: serves standard input and output until the input ends (exit code 0), or
/// fails with 1 when the socket cannot be set up or an answer does not come within the bound.
int run_relay(std::uint16_t server_port);

}  // namespace atcoap::bench
