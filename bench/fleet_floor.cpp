// bench_fleet_floor: (c), the floor under a fleet (docs/PERFORMANCE.md, "Fleets"). One epoll
// loop holds C connected UDP sockets to one CoAP server; each sends a prebuilt CON GET, waits
// for any datagram back (nothing is parsed), and sends the next, until the duration is over.
// Each request has a fresh message ID, so that the server does not take it for a duplicate
// and replay its cached answer (RFC 7252 §4.5). A request unanswered after --timeout-ms is
// sent again with a new message ID and counted as a timeout. With --rate R the requests are
// paced at R per second over all connections, each on the next idle one. Prints one JSON line.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cerrno>
#include <cstring>
#include <deque>
#include <vector>

#include "fleet_common.hpp"

namespace atcoap::bench::fleet {

namespace {

/// CON GET, token length 4 (RFC 7252 §3), message ID at bytes 2-3, a fixed token, then the
/// Uri-Path option (delta 11) of up to 12 bytes.
std::vector<std::uint8_t> request_bytes(const std::string& path) {
    std::vector<std::uint8_t> bytes{0x44, 0x01, 0, 0, 0x5A, 0x1C, 0xE0, 0x07};
    if (!path.empty()) {
        bytes.push_back(static_cast<std::uint8_t>(0xB0 | path.size()));
        bytes.insert(bytes.end(), path.begin(), path.end());
    }
    return bytes;
}

struct Connection {
    int fd = -1;
    std::uint16_t message_id = 0;
    Clock::time_point sent{};
    bool waiting = false;  // a request is out
};

class Floor {
  public:
    /// `rate` > 0 paces the requests fleet-wide (an open model): each leaves on the next idle
    /// connection when it is due, instead of at once after its connection's last answer.
    Floor(std::vector<std::uint8_t> request, Clock::duration timeout, double rate)
        : request_(std::move(request)), timeout_(timeout), rate_(rate) {}

    ~Floor() {
        for (const Connection& connection : connections_) {
            ::close(connection.fd);
        }
        if (epoll_ >= 0) {
            ::close(epoll_);
        }
    }

    /// C sockets connected to the server, each in the epoll set; false (with errno's text on
    /// standard error) when one cannot be made.
    bool open(std::size_t count, const sockaddr_in& server) {
        epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
        connections_.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                std::perror("bench_fleet_floor: socket");
                return false;
            }
            connections_.push_back(Connection{fd, static_cast<std::uint16_t>(i * 7919), {}});
            epoll_event event{};
            event.events = EPOLLIN;
            event.data.u64 = i;
            if (::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 ||
                ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event) != 0) {
                std::perror("bench_fleet_floor: connect");
                return false;
            }
        }
        return true;
    }

    /// Every connection's first request (or, paced, each as it is due), then answers and the
    /// next requests until `end`.
    void run(Clock::time_point end) {
        begin_ = Clock::now();
        for (std::size_t i = 0; i < connections_.size(); ++i) {
            if (rate_ > 0) {
                idle_.push_back(i);
            } else {
                send(connections_[i], begin_);
            }
        }
        std::array<epoll_event, 512> events{};
        auto next_sweep = Clock::now() + timeout_ / 4;
        for (auto now = Clock::now(); now < end; now = Clock::now()) {
            const int ready =
                ::epoll_wait(epoll_, events.data(), events.size(), rate_ > 0 ? 1 : 50);
            now = Clock::now();
            for (int i = 0; i < ready; ++i) {
                answer(events[static_cast<std::size_t>(i)].data.u64, now, end);
            }
            if (rate_ > 0) {
                release(now);
            }
            if (now >= next_sweep) {
                sweep(now);
                next_sweep = now + timeout_ / 4;
            }
        }
    }

    std::uint64_t done() const { return latencies_.count(); }
    std::uint64_t timeouts() const { return timeouts_; }
    std::uint64_t send_errors() const { return send_errors_; }
    /// Paced: the requests that were due but found no idle connection, at the end.
    std::uint64_t behind() const { return due_ > issued_ ? due_ - issued_ : 0; }
    const Latencies& latencies() const { return latencies_; }

  private:
    void send(Connection& connection, Clock::time_point now) {
        std::array<std::uint8_t, 32> datagram{};
        std::memcpy(datagram.data(), request_.data(), request_.size());
        ++connection.message_id;
        datagram[2] = static_cast<std::uint8_t>(connection.message_id >> 8);
        datagram[3] = static_cast<std::uint8_t>(connection.message_id & 0xFF);
        connection.sent = now;
        connection.waiting = true;
        if (::send(connection.fd, datagram.data(), request_.size(), 0) < 0) {
            ++send_errors_;  // retried by the sweep, as a lost datagram would be
        }
    }

    /// Reads every datagram waiting (a late answer to a request sent again may be one of
    /// them), records one answer and sends the next request while the run lasts (paced: the
    /// connection waits for its turn).
    void answer(std::size_t index, Clock::time_point now, Clock::time_point end) {
        Connection& connection = connections_[index];
        std::array<std::uint8_t, 1500> buffer{};
        bool any = false;
        while (::recv(connection.fd, buffer.data(), buffer.size(), MSG_DONTWAIT) >= 0) {
            any = true;
        }
        if (!any || !connection.waiting) {
            return;  // ECONNREFUSED, nothing after all (the sweep resends), or a late answer
        }
        connection.waiting = false;
        latencies_.record(now - connection.sent);
        if (rate_ > 0) {
            idle_.push_back(index);
        } else if (now < end) {
            send(connection, now);
        }
    }

    /// Paced: the requests due by `now` leave on idle connections, oldest idle first.
    void release(Clock::time_point now) {
        const std::chrono::duration<double> since = now - begin_;
        due_ = static_cast<std::uint64_t>(since.count() * rate_);
        while (issued_ < due_ && !idle_.empty()) {
            send(connections_[idle_.front()], now);
            idle_.pop_front();
            ++issued_;
        }
    }

    void sweep(Clock::time_point now) {
        for (Connection& connection : connections_) {
            if (connection.waiting && now - connection.sent >= timeout_) {
                ++timeouts_;
                send(connection, now);
            }
        }
    }

    std::vector<std::uint8_t> request_;
    Clock::duration timeout_;
    double rate_;
    Clock::time_point begin_{};
    std::deque<std::size_t> idle_;
    std::uint64_t due_ = 0;
    std::uint64_t issued_ = 0;
    std::vector<Connection> connections_;
    int epoll_ = -1;
    Latencies latencies_;
    std::uint64_t timeouts_ = 0;
    std::uint64_t send_errors_ = 0;
};

}  // namespace

}  // namespace atcoap::bench::fleet

int main(int argc, char** argv) {
    using namespace atcoap::bench::fleet;
    CLI::App app{"(c) the fleet floor: C UDP sockets in one epoll loop (docs/PERFORMANCE.md)"};
    std::size_t connections = 1;
    double duration = 10;
    std::uint16_t port = 5683;
    std::string host = "127.0.0.1";
    std::string path = "time";
    int timeout_ms = 2000;
    double rate = 0;
    app.add_option("--connections,-c", connections)->check(CLI::Range(1, 60000));
    app.add_option("--duration,-d", duration, "seconds")->check(CLI::Range(0.1, 3600.0));
    app.add_option("--host", host, "the server's IPv4 address")->capture_default_str();
    app.add_option("--port,-p", port)->check(CLI::Range(1, 65535))->capture_default_str();
    app.add_option("--path", path, "Uri-Path, up to 12 bytes")->check([](const std::string& p) {
        return p.size() <= 12 ? std::string() : std::string("at most 12 bytes");
    });
    app.add_option("--timeout-ms", timeout_ms, "resend after")->check(CLI::Range(10, 60000));
    app.add_option("--rate", rate,
                   "requests per second over all connections (0: each sends "
                   "again at once after its answer)")
        ->check(CLI::Range(0.0, 1e7));
    CLI11_PARSE(app, argc, argv);

    const rlim_t open_files = raise_open_files();
    if (open_files < connections + 16) {
        std::fprintf(stderr, "bench_fleet_floor: %zu sockets need more open files than %lu\n",
                     connections, static_cast<unsigned long>(open_files));
        return 1;
    }
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    if (::inet_pton(AF_INET, host.c_str(), &server.sin_addr) != 1) {
        std::fprintf(stderr, "bench_fleet_floor: %s is not an IPv4 address\n", host.c_str());
        return 1;
    }
    Floor floor(request_bytes(path), std::chrono::milliseconds(timeout_ms), rate);
    const Memory start = read_memory();
    if (!floor.open(connections, server)) {
        return 1;
    }
    const double cpu_before = cpu_seconds();
    const auto begin = Clock::now();
    floor.run(begin +
              std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(duration)));
    const std::chrono::duration<double> elapsed = Clock::now() - begin;
    Json line{{"peer", "floor"}, {"transport", "udp"}};
    line.update(result_fields(connections, elapsed.count(), floor.done(), floor.latencies(), start,
                              read_memory(), cpu_seconds() - cpu_before));
    line["timeouts"] = floor.timeouts();
    line["send_errors"] = floor.send_errors();
    line["rate"] = rate;
    line["behind"] = floor.behind();
    line["open_files"] = open_files;
    print_line(line);
    return floor.done() > 0 ? 0 : 1;
}
