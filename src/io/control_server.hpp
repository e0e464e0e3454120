#pragma once
// The control socket's listener (docs/CONTROL.md): a Unix stream socket, mode 0600, that serves
// up to kMaxClients at once in the shell's Asio loop. It knows nothing of the protocol: each
// client gets a session (a function from the bytes it sent to the lines to send back), and
// broadcast() sends a line to every client. It never blocks the loop: a client is read 4 KiB a
// turn, and one that does not read its output is cut off past kMaxQueuedBytes.

#include <asio/io_context.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>

#include "base/log.hpp"
#include "base/result.hpp"

namespace atcoap::io {

struct ControlServerOptions {
    std::string path;
    /// The first line each client reads.
    std::string greeting;
    /// A new client's session: its bytes in, the lines to send back out.
    std::function<std::function<std::string(std::string_view)>()> new_session;
};

class ControlServer {
  public:
    static constexpr std::size_t kMaxClients = 8;
    static constexpr std::size_t kMaxQueuedBytes = 1 << 20;
    static constexpr std::size_t kReadChunk = 4096;
    /// How long quit waits for replies to reach their clients.
    static constexpr std::chrono::milliseconds kDrainBound{1000};

    /// Creates the socket at `options.path` with mode 0600 and starts accepting. Refuses a path
    /// that exists and is not a socket, or a socket another process still listens on; a stale
    /// socket file is replaced.
    static Result<std::unique_ptr<ControlServer>, std::string> open(asio::io_context& context,
                                                                    ControlServerOptions options,
                                                                    Logger& log);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    /// Queues `line` (with its '\n') for every client.
    void broadcast(std::string_view line);
    bool has_clients() const { return !clients_.empty(); }
    std::size_t client_count() const { return clients_.size(); }

    /// Stops reading and accepting, then calls `done` once every client's output has gone out
    /// (or kDrainBound passed).
    void drain_then(std::function<void()> done);
    /// Closes every connection and removes the socket file. Safe to call twice.
    void close();

  private:
    struct Client;
    ControlServer(asio::io_context& context, ControlServerOptions options, Logger& log);
    void accept();
    void refuse(asio::local::stream_protocol::socket peer);
    void read(const std::shared_ptr<Client>& client);
    void queue(const std::shared_ptr<Client>& client, std::string bytes);
    void write(const std::shared_ptr<Client>& client);
    void drop(const std::shared_ptr<Client>& client, std::string_view why);
    void check_drained();

    asio::io_context& context_;
    ControlServerOptions options_;
    Logger& log_;
    asio::local::stream_protocol::acceptor acceptor_;
    std::list<std::shared_ptr<Client>> clients_;
    bool closed_ = false;
    bool draining_ = false;
    std::function<void()> drained_;
    asio::steady_timer drain_timer_;
    std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace atcoap::io
