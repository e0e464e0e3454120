#include "server/udp_server.hpp"

#include <asio/ip/address.hpp>
#include <asio/signal_set.hpp>
#include <charconv>
#include <chrono>
#include <csignal>
#include <iostream>
#include <random>

#include "base/random.hpp"
#include "server/dtls_server.hpp"

namespace atcoap::server {

namespace {

using asio::ip::udp;

// The core's TimePoint counts milliseconds on the steady clock's epoch.
TimePoint steady_now() {
    const auto since = std::chrono::steady_clock::now().time_since_epoch();
    return TimePoint{std::chrono::duration_cast<Duration>(since)};
}

std::chrono::steady_clock::time_point to_steady(TimePoint point) {
    return std::chrono::steady_clock::time_point{
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(point.time_since_epoch())};
}

Endpoint to_endpoint(const udp::endpoint& endpoint) {
    return Endpoint{endpoint.address().to_string(), endpoint.port()};
}

std::uint64_t seed_from_device() {
    std::random_device device;
    return std::uint64_t{device()} << 32 | device();
}

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

void StderrLogger::log(LogLevel level, std::string_view line) {
    if (level != LogLevel::Debug) {
        std::cerr << "atcoap server: " << line << '\n';
    }
}

UdpServer::UdpServer(asio::io_context& context, ServerCore& core, Logger& log)
    : context_(context), core_(core), log_(log), socket_(context), timer_(context) {}

Status<std::string> UdpServer::open(const HostPort& where) {
    asio::error_code error;
    udp::resolver resolver(context_);
    const auto results = resolver.resolve(where.host, std::to_string(where.port),
                                          udp::resolver::numeric_service, error);
    if (error || results.empty()) {
        return fail("cannot resolve " + where.host + ": " + error.message());
    }
    const udp::endpoint local = results.begin()->endpoint();
    if (socket_.open(local.protocol(), error); error) {
        return fail("cannot open a UDP socket: " + error.message());
    }
    if (socket_.bind(local, error); error) {
        asio::error_code ignored;
        socket_.close(ignored);
        return fail("cannot listen on " + to_string(to_endpoint(local)) + ": " + error.message());
    }
    receive();
    return Done{};
}

Endpoint UdpServer::local_endpoint() const {
    asio::error_code error;
    const udp::endpoint local = socket_.local_endpoint(error);
    return error ? Endpoint{} : to_endpoint(local);
}

void UdpServer::close() {
    asio::error_code ignored;
    socket_.close(ignored);
    timer_.cancel();
    armed_.reset();
}

void UdpServer::receive() {
    socket_.async_receive_from(
        asio::buffer(buffer_), sender_,
        [this](const asio::error_code& error, std::size_t size) { on_received(error, size); });
}

void UdpServer::on_received(const asio::error_code& error, std::size_t size) {
    if (error == asio::error::operation_aborted || !socket_.is_open()) {
        return;
    }
    if (!error) {
        core_.on_datagram(to_endpoint(sender_), ByteView(buffer_.data(), size), steady_now());
        flush();
    } else {
        // A datagram error (an ICMP report, say) concerns one peer; keep serving the others.
        log_.log(LogLevel::Debug, "receive: " + error.message());
    }
    receive();
}

void UdpServer::flush() {
    for (const Datagram& datagram : core_.take_datagrams()) {
        asio::error_code error;
        const asio::ip::address address = asio::ip::make_address(datagram.peer.address, error);
        if (!error) {
            socket_.send_to(asio::buffer(datagram.bytes),
                            udp::endpoint(address, datagram.peer.port), 0, error);
        }
        if (error) {
            log_.log(LogLevel::Debug,
                     "send to " + to_string(datagram.peer) + ": " + error.message());
        }
    }
    arm_timer();
}

void UdpServer::arm_timer() {
    const std::optional<TimePoint> deadline = core_.next_deadline();
    if (deadline == armed_) {
        return;
    }
    armed_ = deadline;
    if (!deadline) {
        timer_.cancel();
        return;
    }
    timer_.expires_at(to_steady(*deadline));  // cancels the previous wait
    timer_.async_wait([this](const asio::error_code& error) { on_timer(error); });
}

void UdpServer::on_timer(const asio::error_code& error) {
    if (error == asio::error::operation_aborted || !socket_.is_open()) {
        return;
    }
    armed_.reset();
    core_.on_timeout(steady_now());
    flush();
}

int run_server(const ServerOptions& options) {
    StderrLogger log;
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
    SeededRandom random(options.seed ? *options.seed : seed_from_device());
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
