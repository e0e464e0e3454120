#include "server/udp_transport.hpp"

#include <asio/ip/address.hpp>
#include <utility>

#include "io/clock.hpp"

namespace atcoap::server {

namespace {

using asio::ip::udp;

Endpoint to_endpoint(const udp::endpoint& endpoint) {
    return Endpoint{endpoint.address().to_string(), endpoint.port()};
}

}  // namespace

UdpTransport::UdpTransport(asio::io_context& context, DatagramCore& core, Logger& log,
                           std::string label)
    : context_(context),
      core_(core),
      log_(log),
      label_(std::move(label)),
      socket_(context),
      timer_(context) {}

Status<std::string> UdpTransport::open(const HostPort& where) {
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
    local_ = local_endpoint();
    receive();
    return Done{};
}

Endpoint UdpTransport::local_endpoint() const {
    asio::error_code error;
    const udp::endpoint local = socket_.local_endpoint(error);
    return error ? Endpoint{} : to_endpoint(local);
}

void UdpTransport::close() {
    asio::error_code ignored;
    socket_.close(ignored);
    timer_.cancel();
    armed_.reset();
}

void UdpTransport::receive() {
    socket_.async_receive_from(
        asio::buffer(buffer_), sender_,
        [this](const asio::error_code& error, std::size_t size) { on_received(error, size); });
}

void UdpTransport::on_received(const asio::error_code& error, std::size_t size) {
    if (error == asio::error::operation_aborted || !socket_.is_open()) {
        return;
    }
    if (!error) {
        const Endpoint peer = to_endpoint(sender_);
        if (tap_ != nullptr) {
            tap_->on_datagram(false, local_, peer, ByteView(buffer_.data(), size));
        }
        core_.on_datagram(peer, ByteView(buffer_.data(), size), io::monotonic_now());
        flush();
    } else {
        // A datagram error (an ICMP report, say) concerns one peer; keep serving the others.
        log_.log(LogLevel::Debug, label_ + "receive: " + error.message());
    }
    receive();
}

void UdpTransport::flush() {
    for (const Datagram& datagram : core_.take_datagrams()) {
        asio::error_code error;
        const asio::ip::address address = asio::ip::make_address(datagram.peer.address, error);
        if (!error) {
            socket_.send_to(asio::buffer(datagram.bytes),
                            udp::endpoint(address, datagram.peer.port), 0, error);
        }
        if (!error && tap_ != nullptr) {
            tap_->on_datagram(true, local_, datagram.peer, datagram.bytes);
        }
        if (error) {
            log_.log(LogLevel::Debug,
                     label_ + "send to " + to_string(datagram.peer) + ": " + error.message());
        }
    }
    arm_timer();
}

void UdpTransport::arm_timer() {
    // One wait at a time, at the core's earliest deadline; none once closed.
    const std::optional<TimePoint> deadline = core_.next_deadline();
    if (deadline == armed_ || !socket_.is_open()) {
        return;
    }
    armed_ = deadline;
    if (!deadline) {
        timer_.cancel();
        return;
    }
    timer_.expires_at(io::to_steady(*deadline));  // cancels the previous wait
    timer_.async_wait([this](const asio::error_code& error) { on_timer(error); });
}

void UdpTransport::on_timer(const asio::error_code& error) {
    if (error == asio::error::operation_aborted || !socket_.is_open()) {
        return;
    }
    armed_.reset();
    core_.on_timeout(io::monotonic_now());
    flush();
}

}  // namespace atcoap::server
