#include "server/dtls_server.hpp"

#include <asio/ip/address.hpp>
#include <chrono>
#include <set>
#include <utility>
#include <vector>

namespace atcoap::server {

namespace {

using asio::ip::udp;

// The cores' TimePoint counts milliseconds on the steady clock's epoch, as in UdpServer.
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

Result<std::vector<PskEntry>, std::string> parse_keys(const std::vector<std::string>& texts) {
    std::vector<PskEntry> keys;
    std::set<std::string> seen;
    for (const std::string& text : texts) {
        auto entry = parse_psk(text);
        if (!entry) {
            return fail(entry.error());
        }
        if (!seen.insert(entry->identity).second) {
            return fail("--psk names the identity \"" + entry->identity + "\" twice");
        }
        keys.push_back(std::move(*entry));
    }
    return keys;
}

}  // namespace

Result<std::optional<DtlsListenerPlan>, std::string> plan_dtls_listener(
    const ServerOptions& options) {
    if (options.dtls.empty()) {
        if (!options.psks.empty() || !options.hint.empty()) {
            return fail(std::string("--psk and --hint need --dtls HOST:PORT"));
        }
        return std::optional<DtlsListenerPlan>{};
    }
    auto where = parse_host_port(options.dtls);
    if (!where) {
        return fail("--dtls: " + where.error());
    }
    if (options.psks.empty()) {
        return fail(std::string("--dtls needs at least one --psk IDENTITY:HEXKEY"));
    }
    // RFC 4279 §2 allows longer hints; mbedTLS's server side, as set up in src/dtls, does not.
    if (options.hint.size() > 255) {
        return fail(std::string("--hint must be at most 255 bytes"));
    }
    auto keys = parse_keys(options.psks);
    if (!keys) {
        return fail(keys.error());
    }
    DtlsOptions dtls;
    dtls.keys = std::move(*keys);
    dtls.hint = options.hint;
    return std::optional<DtlsListenerPlan>{DtlsListenerPlan{std::move(*where), std::move(dtls)}};
}

DtlsServer::DtlsServer(asio::io_context& context, const DtlsOptions& options, Random& random,
                       Logger& log, CoreOptions core)
    : context_(context),
      log_(log),
      core_(random, log, core),
      dtls_(options, core_, random, log),
      socket_(context),
      timer_(context) {}

Status<std::string> DtlsServer::open(const HostPort& where) {
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

Endpoint DtlsServer::local_endpoint() const {
    asio::error_code error;
    const udp::endpoint local = socket_.local_endpoint(error);
    return error ? Endpoint{} : to_endpoint(local);
}

void DtlsServer::close() {
    if (socket_.is_open()) {
        dtls_.close_all(steady_now());
        flush();
    }
    asio::error_code ignored;
    socket_.close(ignored);
    timer_.cancel();
    armed_.reset();
}

void DtlsServer::receive() {
    socket_.async_receive_from(
        asio::buffer(buffer_), sender_,
        [this](const asio::error_code& error, std::size_t size) { on_received(error, size); });
}

void DtlsServer::on_received(const asio::error_code& error, std::size_t size) {
    if (error == asio::error::operation_aborted || !socket_.is_open()) {
        return;
    }
    if (!error) {
        dtls_.on_datagram(to_endpoint(sender_), ByteView(buffer_.data(), size), steady_now());
        flush();
    } else {
        // A datagram error (an ICMP report, say) concerns one peer; keep serving the others.
        log_.log(LogLevel::Debug, "DTLS receive: " + error.message());
    }
    receive();
}

void DtlsServer::flush() {
    for (const Datagram& datagram : dtls_.take_datagrams()) {
        asio::error_code error;
        const asio::ip::address address = asio::ip::make_address(datagram.peer.address, error);
        if (!error) {
            socket_.send_to(asio::buffer(datagram.bytes),
                            udp::endpoint(address, datagram.peer.port), 0, error);
        }
        if (error) {
            log_.log(LogLevel::Debug,
                     "DTLS send to " + to_string(datagram.peer) + ": " + error.message());
        }
    }
    arm_timer();
}

void DtlsServer::arm_timer() {
    const std::optional<TimePoint> deadline = dtls_.next_deadline();
    if (deadline == armed_ || !socket_.is_open()) {
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

void DtlsServer::on_timer(const asio::error_code& error) {
    if (error == asio::error::operation_aborted || !socket_.is_open()) {
        return;
    }
    armed_.reset();
    dtls_.on_timeout(steady_now());
    flush();
}

}  // namespace atcoap::server
