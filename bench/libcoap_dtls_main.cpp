// bench_libcoap_dtls: libcoap's own DTLS client library doing what atcoap does in the DTLS
// exchange benchmark, in a process of its own because libcoap-3-openssl and the
// libcoap-3-notls that bench_exchanges links define the same symbols. bench_exchanges --dtls
// starts it and reads its three result lines (docs/PERFORMANCE.md):
//   handshakes NS...                       each handshake's time, nanoseconds
//   rate PER_SECOND SECONDS CPU_US WAIT_US the timed exchanges on one more session
//   memory VMHWM_KIB                       this process's peak resident size at the end

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange_libcoap.hpp"
#include "exchange_support.hpp"

namespace {

using namespace atcoap::bench;

struct Arguments {
    std::uint16_t port = 0;
    Psk psk;
    std::size_t handshakes = 0;
    std::size_t warmup = 0;
    std::size_t count = 0;
};

std::optional<std::size_t> parse_count(std::string_view text) {
    std::size_t value = 0;
    const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
    if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<Arguments> parse_arguments(int argc, char** argv) {
    if (argc != 7) {
        return std::nullopt;
    }
    const auto port = parse_count(argv[1]);
    const auto handshakes = parse_count(argv[4]);
    const auto warmup = parse_count(argv[5]);
    const auto count = parse_count(argv[6]);
    if (!port || *port == 0 || *port > 65535 || !handshakes || !warmup || !count || *count == 0) {
        return std::nullopt;
    }
    return Arguments{static_cast<std::uint16_t>(*port), Psk{argv[2], argv[3]}, *handshakes, *warmup,
                     *count};
}

// Each handshake on a fresh context and session, released before the next one: the same
// open-and-close cycle the AT host runs on atcoap.
bool print_handshakes(const Arguments& arguments) {
    std::printf("handshakes");
    for (std::size_t i = 0; i < arguments.handshakes; ++i) {
        auto client = LibcoapClient::connect_dtls(arguments.port, arguments.psk);
        if (!client) {
            std::fprintf(stderr, "bench_libcoap_dtls: %s\n", client.error().c_str());
            return false;
        }
        std::printf(" %lld", static_cast<long long>((*client)->handshake_time().count()));
    }
    std::printf("\n");
    return true;
}

bool print_rate(const Arguments& arguments) {
    auto client = LibcoapClient::connect_dtls(arguments.port, arguments.psk);
    if (!client) {
        std::fprintf(stderr, "bench_libcoap_dtls: %s\n", client.error().c_str());
        return false;
    }
    LibcoapClient& libcoap = **client;
    const auto rate = timed(arguments.warmup, arguments.count, ::getpid(),
                            [&libcoap] { return libcoap.exchange(); });
    if (!rate) {
        std::fprintf(stderr, "bench_libcoap_dtls: %s\n", rate.error().c_str());
        return false;
    }
    std::printf("rate %.3f %.6f %.3f %.3f\n", rate->per_second, rate->seconds, rate->client_cpu_us,
                rate->client_wait_us);
    const auto memory = read_memory(::getpid());
    std::printf("memory %ld\n", memory ? memory->hwm_kib : 0L);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    const auto arguments = parse_arguments(argc, argv);
    if (!arguments) {
        std::fputs("usage: bench_libcoap_dtls PORT IDENTITY KEY HANDSHAKES WARMUP COUNT\n", stderr);
        return 2;
    }
    coap_startup();
    coap_set_log_level(LOG_ERR);
    coap_dtls_set_log_level(LOG_ERR);
    const bool ok = print_handshakes(*arguments) && print_rate(*arguments);
    coap_cleanup();
    return ok ? 0 : 1;
}
