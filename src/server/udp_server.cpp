#include "server/udp_server.hpp"

#include <asio/signal_set.hpp>
#include <charconv>
#include <csignal>
#include <memory>

#include "base/random.hpp"
#include "io/clock.hpp"
#include "io/stderr_logger.hpp"
#include "server/dtls_server.hpp"
#include "server/pcap_tap.hpp"

namespace atcoap::server {

namespace {

// Serves until SIGINT or SIGTERM; the DTLS listener says close_notify to its peers first.
void run_until_signal(asio::io_context& context, UdpServer& plain,
                      std::optional<DtlsServer>& secure) {
    asio::signal_set signals(context, SIGINT, SIGTERM);
    signals.async_wait([&](const asio::error_code&, int) {
        plain.close();
        if (secure) {
            secure->close();
        }
        context.stop();
    });
    context.run();
}

}  // namespace

UdpServer::UdpServer(asio::io_context& context, ServerCore& core, Logger& log,
                     const ServerImpairment& impairment)
    : core_(core), impaired_(core_, impairment, log, ""), transport_(context, impaired_, log) {}

int run_server(const ServerOptions& options) {
    io::StderrLogger log("atcoap server: ", LogLevel::Info);
    if (!(options.loss >= 0 && options.loss <= 1)) {
        log.log(LogLevel::Error, "--loss must be between 0 and 1");
        return 2;
    }
    const auto where = parse_host_port(options.listen);
    if (!where) {
        log.log(LogLevel::Error, where.error());
        return 2;
    }
    const auto dtls = plan_dtls_listener(options);
    if (!dtls) {
        log.log(LogLevel::Error, dtls.error());
        return 2;
    }
    std::unique_ptr<io::PcapTrace> trace;
    if (!options.pcap.empty()) {
        auto opened = io::PcapTrace::open(options.pcap, log);
        if (!opened) {
            log.log(LogLevel::Error, "--pcap: " + opened.error());
            return 2;
        }
        trace = std::move(*opened);
    }
    auto impairment = plan_server_impairment(options.netem, options.netem_up, options.netem_down);
    if (!impairment) {
        log.log(LogLevel::Error, impairment.error());
        return 2;
    }
    impairment->seed = options.seed ? *options.seed : io::random_seed();
    SeededRandom random(impairment->seed);
    ServerCore core(random, log, CoreOptions{options.loss});
    asio::io_context context;
    UdpServer server(context, core, log, *impairment);
    if (const auto opened = server.open(*where); !opened) {
        log.log(LogLevel::Error, opened.error());
        return 1;
    }
    log.log(LogLevel::Info, "listening on " + to_string(server.local_endpoint()));
    std::optional<PcapTap> tap;
    if (trace) {
        tap.emplace(*trace);
        server.set_tap(&*tap);
    }
    std::optional<DtlsServer> secure;
    if (*dtls) {
        // The DTLS listener's stages get their own streams, apart from the plain one's.
        ServerImpairment secure_impairment = *impairment;
        secure_impairment.seed = ~impairment->seed;
        secure.emplace(context, (*dtls)->options, random, log, CoreOptions{options.loss},
                       secure_impairment);
        if (const auto opened = secure->open((*dtls)->where); !opened) {
            log.log(LogLevel::Error, opened.error());
            return 1;
        }
        log.log(LogLevel::Info, "listening for DTLS on " + to_string(secure->local_endpoint()));
        if (tap) {
            secure->set_tap(&*tap);
        }
    }
    run_until_signal(context, server, secure);
    return 0;
}

}  // namespace atcoap::server
