// bench_libcoap_notls and bench_libcoap_openssl: libcoap's own client library doing what atcoap
// does in the exchange benchmark, in a process of its own, built from this one source against
// libcoap-3-notls and against libcoap-3-openssl (the two define the same symbols).
// bench_exchanges starts the one for its transport and passes on the JSON rows it prints:
// over DTLS each handshake's time, then the timed exchanges on one more session, then this
// process's memory at the end (docs/PERFORMANCE.md).

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>

#include "exchange_libcoap.hpp"

namespace {

using namespace atcoap::bench;

void run(const Setup& setup) {
    const Json base{{"client", "libcoap"}};
    if (setup.transport == Transport::dtls) {
        // Each on a fresh context and session, released before the next one: the same
        // open-and-close cycle the AT host runs on atcoap.
        for (std::size_t i = 0; i < setup.handshakes; ++i) {
            const LibcoapClient client(setup.transport, setup.port);
            print_row(base, {{"measure", "handshake"}, {"ms", client.handshake_time().count()}});
        }
    }
    LibcoapClient client(setup.transport, setup.port);
    const Rate rate =
        timed(setup.warmup, setup.count, ::getpid(), [&client] { client.exchange(); });
    Json fields{{"measure", "rate"}};
    fields.update(rate_fields(rate));
    print_row(base, fields);
    fields = Json{{"measure", "memory"}, {"state", "after"}};
    fields.update(read_memory(::getpid()));
    print_row(base, fields);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"libcoap's client library doing the exchange benchmark's exchanges"};
    Setup setup;
    const std::map<std::string, Transport> transports{{"udp", Transport::udp},
                                                      {"dtls", Transport::dtls}};
    app.add_option("--transport", setup.transport)->transform(CLI::CheckedTransformer(transports));
    app.add_option("--port", setup.port, "the server's port on 127.0.0.1")->required();
    app.add_option("--count", setup.count)->check(CLI::PositiveNumber);
    app.add_option("--warmup", setup.warmup);
    app.add_option("--handshakes", setup.handshakes);
    CLI11_PARSE(app, argc, argv);
    coap_startup();
    coap_set_log_level(LOG_ERR);
    coap_dtls_set_log_level(LOG_ERR);
    int code = 0;
    try {
        run(setup);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_libcoap: %s\n", error.what());
        code = 1;
    }
    coap_cleanup();
    return code;
}
