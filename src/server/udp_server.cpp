#include "server/udp_server.hpp"

#include <asio/signal_set.hpp>
#include <charconv>
#include <csignal>

#include "base/random.hpp"
#include "io/clock.hpp"
#include "io/stderr_logger.hpp"
#include "server/dtls_server.hpp"

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

Result<HostPort, std::string> parse_host_port(std::string_view text) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return fail(std::string("expected HOST:PORT, got \"") + std::string(text) + "\"");
    }
    std::string_view host = text.substr(0, colon);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') {
            return fail(std::string("unbalanced brackets in \"") + std::string(text) + "\"");
        }
        host = host.substr(1, host.size() - 2);
    }
    const std::string_view digits = text.substr(colon + 1);
    unsigned port = 0;
    const auto [end, status] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || status != std::errc{} || end != digits.data() + digits.size() ||
        port > 65535) {
        return fail(std::string("invalid port in \"") + std::string(text) + "\"");
    }
    return HostPort{std::string(host), static_cast<std::uint16_t>(port)};
}

UdpServer::UdpServer(asio::io_context& context, ServerCore& core, Logger& log)
    : core_(core), transport_(context, core_, log) {}

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
    SeededRandom random(options.seed ? *options.seed : io::random_seed());
    ServerCore core(random, log, CoreOptions{options.loss});
    asio::io_context context;
    UdpServer server(context, core, log);
    if (const auto opened = server.open(*where); !opened) {
        log.log(LogLevel::Error, opened.error());
        return 1;
    }
    log.log(LogLevel::Info, "listening on " + to_string(server.local_endpoint()));
    std::optional<DtlsServer> secure;
    if (*dtls) {
        secure.emplace(context, (*dtls)->options, random, log, CoreOptions{options.loss});
        if (const auto opened = secure->open((*dtls)->where); !opened) {
            log.log(LogLevel::Error, opened.error());
            return 1;
        }
        log.log(LogLevel::Info, "listening for DTLS on " + to_string(secure->local_endpoint()));
    }
    run_until_signal(context, server, secure);
    return 0;
}

}  // namespace atcoap::server
