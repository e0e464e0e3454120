#include "io/tcp_port.hpp"

#include <asio/steady_timer.hpp>
#include <cerrno>
#include <charconv>
#include <chrono>

namespace atcoap::io {

namespace {

using asio::ip::tcp;

// Failures that say the process or the system ran out of something: accept again only later.
bool is_exhaustion(std::error_code error) {
    const int value = error.value();
    return error.category() == asio::error::get_system_category() &&
           (value == EMFILE || value == ENFILE || value == ENOBUFS || value == ENOMEM);
}

// A refused host: write the busy line, close our side, and read until the host closes too, so
// that bytes it already sent do not turn our close into a reset that could eat the line. A host
// that never closes is cut off after a bound.
class Refusal : public std::enable_shared_from_this<Refusal> {
  public:
    Refusal(asio::io_context& context, tcp::socket peer)
        : peer_(std::move(peer)), timer_(context) {}

    void start() {
        timer_.expires_after(std::chrono::seconds(2));
        timer_.async_wait([self = shared_from_this()](std::error_code) { self->finish(); });
        asio::async_write(peer_, asio::buffer(kPortBusyLine),
                          [self = shared_from_this()](std::error_code error, std::size_t) {
                              std::error_code ignored;
                              self->peer_.shutdown(tcp::socket::shutdown_send, ignored);
                              if (error) {
                                  self->finish();
                              } else {
                                  self->drain();
                              }
                          });
    }

  private:
    void drain() {
        peer_.async_read_some(asio::buffer(sink_),
                              [self = shared_from_this()](std::error_code error, std::size_t) {
                                  if (error) {
                                      self->finish();
                                  } else {
                                      self->drain();
                                  }
                              });
    }
    void finish() {
        std::error_code ignored;
        timer_.cancel();
        peer_.close(ignored);
    }

    tcp::socket peer_;
    asio::steady_timer timer_;
    std::array<char, 512> sink_{};
};

std::string endpoint_text(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    const std::string host =
        address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(endpoint.port());
}

}  // namespace

TcpPort::TcpPort(asio::io_context& context, std::string host, std::uint16_t port, Logger& log)
    : context_(context),
      host_name_(std::move(host)),
      port_(port),
      log_(log),
      acceptor_(context),
      accept_pause_(context),
      host_(context),
      reader_(
          host_, [this](ByteView bytes) { events_->on_port_bytes(bytes); },
          [this](std::error_code error) {
              drop_host(error ? "host connection failed: " + error.message() : "host disconnected");
          }),
      writer_(host_, [this](std::error_code error) {
          if (error) {
              drop_host("writing to the host failed: " + error.message());
          } else {
              events_->on_port_drained();
          }
      }) {}

TcpPort::~TcpPort() {
    close();
}

Status<std::string> TcpPort::listen() {
    std::error_code error;
    tcp::resolver resolver(context_);
    // Start-up only, before the loop runs: a blocking lookup costs nothing here.
    const auto found =
        resolver.resolve(host_name_, std::to_string(port_),
                         tcp::resolver::passive | tcp::resolver::numeric_service, error);
    if (error || found.empty()) {
        return fail("cannot resolve " + host_name_ + ": " + error.message());
    }
    const tcp::endpoint endpoint = found.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), error);
    if (!error) {
        acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
    }
    if (!error) {
        acceptor_.bind(endpoint, error);
    }
    if (!error) {
        acceptor_.listen(asio::socket_base::max_listen_connections, error);
    }
    if (error) {
        return fail("cannot listen on " + endpoint_text(endpoint) + ": " + error.message());
    }
    return Done{};
}

Status<std::string> TcpPort::open(PortEvents& events) {
    events_ = &events;
    if (auto listening = listen(); !listening) {
        close();
        return listening;
    }
    accept_next();
    return Done{};
}

void TcpPort::accept_next() {
    acceptor_.async_accept([this, life = std::weak_ptr(life_)](std::error_code error, Socket peer) {
        if (!life.expired()) {
            on_accept(error, std::move(peer));
        }
    });
}

void TcpPort::on_accept(std::error_code error, Socket peer) {
    if (error == asio::error::operation_aborted || !acceptor_.is_open()) {
        return;
    }
    if (is_exhaustion(error)) {
        pause_accepting(error);
        return;
    }
    if (!error) {
        if (accept_failure_logged_) {
            log_.log(LogLevel::Info, "accepting hosts again");
            accept_failure_logged_ = false;
        }
        std::error_code ignored;
        const std::string from = endpoint_text(peer.remote_endpoint(ignored));
        if (connected_) {
            log_.log(LogLevel::Info, "refused a second host from " + from);
            std::make_shared<Refusal>(context_, std::move(peer))->start();
        } else {
            log_.log(LogLevel::Info, "host connected from " + from);
            host_ = std::move(peer);
            connected_ = true;
            events_->on_host_attached();
            reader_.start();
        }
    } else {
        log_.log(LogLevel::Warn, "accepting a host failed: " + error.message());
    }
    accept_next();
}

// One line per episode, not per attempt: a host retrying its connect every second would
// otherwise fill the log while the process is out of descriptors.
void TcpPort::pause_accepting(std::error_code error) {
    if (!accept_failure_logged_) {
        log_.log(LogLevel::Warn, "accepting a host failed: " + error.message() +
                                     "; retrying every " + std::to_string(kAcceptPause.count()) +
                                     " ms until it succeeds");
        accept_failure_logged_ = true;
    }
    accept_pause_.expires_after(kAcceptPause);
    accept_pause_.async_wait([this, life = std::weak_ptr(life_)](std::error_code waited) {
        if (!life.expired() && !waited && acceptor_.is_open()) {
            accept_next();
        }
    });
}

void TcpPort::drop_host(const std::string& why) {
    if (!connected_) {
        return;
    }
    log_.log(LogLevel::Info, why);
    const bool was_writing = !writer_.idle();
    reader_.stop();
    writer_.clear();
    std::error_code ignored;
    host_.close(ignored);
    connected_ = false;
    if (was_writing) {
        events_->on_port_drained();
    }
}

void TcpPort::write(Bytes bytes) {
    if (connected_) {
        writer_.push(std::move(bytes));
    }
}

void TcpPort::close() {
    reader_.stop();
    writer_.clear();
    std::error_code ignored;
    acceptor_.close(ignored);
    accept_pause_.cancel();
    host_.close(ignored);
    connected_ = false;
}

std::string TcpPort::name() const {
    std::error_code ignored;
    return endpoint_text(acceptor_.local_endpoint(ignored));
}

std::uint16_t TcpPort::local_port() const {
    std::error_code ignored;
    return acceptor_.local_endpoint(ignored).port();
}

}  // namespace atcoap::io
