#include "io/control_server.hpp"

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <array>
#include <asio/post.hpp>
#include <asio/write.hpp>
#include <deque>
#include <system_error>

namespace atcoap::io {

namespace {

using asio::local::stream_protocol;

// The line a client past kMaxClients reads before it is closed: the protocol's error form.
constexpr std::string_view kBusyLine =
    R"({"error":{"class":"GenericError","desc":"too many control clients: at most 8"}})"
    "\n";

/// Whether a process listens on the socket at `path` (a stale file from a crash does not).
bool someone_listens(asio::io_context& context, const std::string& path) {
    stream_protocol::socket probe(context);
    std::error_code error;
    probe.connect(stream_protocol::endpoint(path), error);
    return !error;
}

/// Makes room for the socket at `path`: nothing there, or a stale socket, which goes.
Status<std::string> prepare_path(asio::io_context& context, const std::string& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        return Done{};
    }
    if (!S_ISSOCK(info.st_mode)) {
        return fail("--control " + path + ": exists and is not a socket; not replacing it");
    }
    if (someone_listens(context, path)) {
        return fail("--control " + path + ": another process listens on it");
    }
    ::unlink(path.c_str());
    return Done{};
}

}  // namespace

struct ControlServer::Client {
    explicit Client(stream_protocol::socket s) : socket(std::move(s)) {}
    stream_protocol::socket socket;
    std::function<std::string(std::string_view)> session;
    std::array<char, kReadChunk> buffer{};
    std::deque<std::string> out;
    std::size_t queued = 0;
    bool writing = false;
    bool gone = false;
};

ControlServer::ControlServer(asio::io_context& context, ControlServerOptions options, Logger& log)
    : context_(context),
      options_(std::move(options)),
      log_(log),
      acceptor_(context),
      drain_timer_(context) {}

Result<std::unique_ptr<ControlServer>, std::string> ControlServer::open(
    asio::io_context& context, ControlServerOptions options, Logger& log) {
    if (options.path.empty() || options.path.size() >= sizeof(sockaddr_un{}.sun_path)) {
        return fail("--control: a socket path is 1 to " +
                    std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes");
    }
    if (auto room = prepare_path(context, options.path); !room) {
        return fail(room.error());
    }
    std::unique_ptr<ControlServer> server(new ControlServer(context, std::move(options), log));
    std::error_code error;
    const stream_protocol::endpoint endpoint(server->options_.path);
    server->acceptor_.open(endpoint.protocol(), error);
    if (!error) {
        // The mode is 0600 from the start: no other user can connect between bind and chmod.
        const mode_t before = ::umask(0077);
        server->acceptor_.bind(endpoint, error);
        ::umask(before);
    }
    if (!error && ::chmod(server->options_.path.c_str(), 0600) != 0) {
        error = std::error_code(errno, std::generic_category());
    }
    if (!error) {
        server->acceptor_.listen(static_cast<int>(kMaxClients), error);
    }
    if (error) {
        server->close();
        return fail("--control " + server->options_.path + ": " + error.message());
    }
    log.log(LogLevel::Info, "control socket on " + server->options_.path);
    server->accept();
    return server;
}

ControlServer::~ControlServer() {
    life_.reset();
    close();
}

void ControlServer::close() {
    if (closed_) {
        return;
    }
    closed_ = true;
    std::error_code ignored;
    if (acceptor_.is_open()) {
        acceptor_.close(ignored);
        ::unlink(options_.path.c_str());
    }
    for (const auto& client : clients_) {
        client->gone = true;
        client->socket.close(ignored);
    }
    clients_.clear();
    drain_timer_.cancel();
}

void ControlServer::accept() {
    acceptor_.async_accept(
        [this, life = std::weak_ptr(life_)](std::error_code error, stream_protocol::socket peer) {
            if (life.expired() || closed_ || draining_) {
                return;
            }
            if (!error) {
                if (clients_.size() >= kMaxClients) {
                    refuse(std::move(peer));
                } else {
                    auto client = std::make_shared<Client>(std::move(peer));
                    client->session = options_.new_session();
                    clients_.push_back(client);
                    queue(client, options_.greeting);
                    read(client);
                }
            } else if (error == asio::error::operation_aborted) {
                return;
            } else {
                log_.log(LogLevel::Warn, "control socket: accept failed: " + error.message());
            }
            accept();
        });
}

void ControlServer::refuse(stream_protocol::socket peer) {
    log_.log(LogLevel::Warn, "control socket: a client past the limit of " +
                                 std::to_string(kMaxClients) + " was refused");
    auto socket = std::make_shared<stream_protocol::socket>(std::move(peer));
    asio::async_write(*socket, asio::buffer(kBusyLine), [socket](std::error_code, std::size_t) {
        std::error_code ignored;
        socket->shutdown(stream_protocol::socket::shutdown_both, ignored);
        socket->close(ignored);
    });
}

void ControlServer::read(const std::shared_ptr<Client>& client) {
    client->socket.async_read_some(
        asio::buffer(client->buffer),
        [this, client, life = std::weak_ptr(life_)](std::error_code error, std::size_t size) {
            if (life.expired() || client->gone || draining_) {
                return;
            }
            if (error) {
                // End of file or a reset: an unfinished line goes with the session.
                drop(client, "");
                return;
            }
            std::string replies = client->session(std::string_view(client->buffer.data(), size));
            if (!replies.empty()) {
                queue(client, std::move(replies));
            }
            if (!client->gone) {
                read(client);
            }
        });
}

void ControlServer::broadcast(std::string_view line) {
    // A copy of the list: queue() may drop a client.
    const auto clients = clients_;
    for (const auto& client : clients) {
        queue(client, std::string(line));
    }
}

void ControlServer::queue(const std::shared_ptr<Client>& client, std::string bytes) {
    if (client->gone) {
        return;
    }
    client->queued += bytes.size();
    if (client->queued > kMaxQueuedBytes) {
        drop(client, "control socket: a client left more than " + std::to_string(kMaxQueuedBytes) +
                         " bytes unread: disconnected");
        return;
    }
    client->out.push_back(std::move(bytes));
    write(client);
}

void ControlServer::write(const std::shared_ptr<Client>& client) {
    if (client->writing || client->out.empty()) {
        return;
    }
    client->writing = true;
    asio::async_write(
        client->socket, asio::buffer(client->out.front()),
        [this, client, life = std::weak_ptr(life_)](std::error_code error, std::size_t) {
            if (life.expired() || client->gone) {
                return;
            }
            client->writing = false;
            if (error) {
                drop(client, "");
                return;
            }
            client->queued -= client->out.front().size();
            client->out.pop_front();
            write(client);
            check_drained();
        });
}

void ControlServer::drop(const std::shared_ptr<Client>& client, std::string_view why) {
    if (client->gone) {
        return;
    }
    if (!why.empty()) {
        log_.log(LogLevel::Warn, why);
    }
    client->gone = true;
    std::error_code ignored;
    client->socket.close(ignored);
    clients_.remove(client);
    check_drained();
}

void ControlServer::drain_then(std::function<void()> done) {
    draining_ = true;
    drained_ = std::move(done);
    std::error_code ignored;
    acceptor_.close(ignored);
    ::unlink(options_.path.c_str());
    drain_timer_.expires_after(kDrainBound);
    drain_timer_.async_wait([this, life = std::weak_ptr(life_)](std::error_code error) {
        if (!life.expired() && !error && drained_) {
            std::exchange(drained_, nullptr)();
        }
    });
    // Checked on a later turn: the reply to the request that asked for this is queued only
    // after the request's handler returns.
    asio::post(context_, [this, life = std::weak_ptr(life_)] {
        if (!life.expired()) {
            check_drained();
        }
    });
}

void ControlServer::check_drained() {
    if (!draining_ || !drained_) {
        return;
    }
    for (const auto& client : clients_) {
        if (!client->out.empty() || client->writing) {
            return;
        }
    }
    drain_timer_.cancel();
    // Posted: the caller may be inside a handler of a client about to be destroyed.
    asio::post(context_, [done = std::exchange(drained_, nullptr)] { done(); });
}

}  // namespace atcoap::io
