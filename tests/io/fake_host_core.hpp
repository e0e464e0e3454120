#pragma once
// Test doubles for the shell's tests: a core that answers host bytes with their uppercase echo,
// a non-blocking reader for the test's end of a port, and a logger that keeps its lines.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/log.hpp"
#include "io/host_core.hpp"
#include "io/port.hpp"
#include "support/capturing_logger.hpp"

namespace atcoap::io::testing {

class FakeCore final : public HostCore {
  public:
    void on_host_bytes(ByteView bytes, TimePoint now) override {
        last_now = now;
        received.append(as_text(bytes));
        for (const std::uint8_t byte : bytes) {
            const int c = uppercase ? std::toupper(byte) : byte;
            output_.push_back(static_cast<std::uint8_t>(c));
        }
        if (deadline_on_bytes) {
            deadline = *deadline_on_bytes;
        }
        if (clear_deadline_on_bytes) {
            deadline.reset();
        }
        requests_.insert(requests_.end(), requests_on_bytes.begin(), requests_on_bytes.end());
    }
    void on_timeout(TimePoint now) override {
        timeouts.push_back(now);
        if (deadline && now >= *deadline) {
            deadline =
                next_deadlines.empty() ? std::nullopt : std::optional(next_deadlines.front());
            if (!next_deadlines.empty()) {
                next_deadlines.erase(next_deadlines.begin());
            }
            const ByteView line = as_bytes("TIMEOUT\r\n");
            output_.insert(output_.end(), line.begin(), line.end());
        }
    }
    std::optional<TimePoint> next_deadline() const override { return deadline; }
    Bytes take_host_output() override {
        if (!output_.empty()) {
            drained.emplace_back("host");
        }
        return std::exchange(output_, Bytes{});
    }
    std::vector<net::Request> take_network_requests() override {
        if (!requests_.empty()) {
            drained.emplace_back("network");
        }
        return std::exchange(requests_, {});
    }
    bool busy() const override { return busy_always || (busy_until_deadline && deadline); }
    void on_datagram(net::SocketId, ByteView, TimePoint) override {
        ++datagrams;
        output_.insert(output_.end(), output_per_datagram, 'D');
    }
    void on_host_attached(TimePoint) override { ++hosts_attached; }
    void on_socket_opened(net::SocketId, net::OpenResult result, TimePoint) override {
        opened = result == net::OpenResult::Opened;
    }

    bool uppercase = true;
    bool busy_always = false;
    bool busy_until_deadline = false;
    std::optional<TimePoint> deadline;
    std::vector<TimePoint> next_deadlines;        // taken one by one as deadlines pass
    std::optional<TimePoint> deadline_on_bytes;   // the deadline host bytes move to
    bool clear_deadline_on_bytes = false;         // host bytes leave the core without one
    std::vector<net::Request> requests_on_bytes;  // what host bytes ask of the network
    std::vector<std::string> drained;             // "host", "network": outboxes in taken order
    std::string received;
    std::vector<TimePoint> timeouts;
    TimePoint last_now{};
    std::size_t output_per_datagram = 0;  // host output each datagram makes
    std::size_t datagrams = 0;
    int hosts_attached = 0;
    bool opened = false;

  private:
    Bytes output_;
    std::vector<net::Request> requests_;
};

/// The test's end of a port: reads whatever is there without blocking.
class FdReader {
  public:
    explicit FdReader(int fd) : fd_(fd) {
        ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    }
    /// Reads what is available; true when `expected` has arrived.
    bool has(const std::string& expected) {
        poll();
        return text.find(expected) != std::string::npos;
    }
    bool ended() {
        poll();
        return eof;
    }
    void poll() {
        char buffer[512];
        for (;;) {
            const ssize_t got = ::read(fd_, buffer, sizeof(buffer));
            if (got == 0) {
                eof = true;
            }
            if (got <= 0) {
                return;
            }
            text.append(buffer, static_cast<std::size_t>(got));
        }
    }

    std::string text;
    bool eof = false;

  private:
    int fd_;
};

using test::CapturingLogger;

/// Closes an fd when the test ends, pass or fail.
class Fd {
  public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const { return fd_; }
    void reset(int fd = -1) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = fd;
    }

  private:
    int fd_;
};

// The host's side of a stdio port: it writes into `to_modem` and reads `from_modem`.
struct StdioHost {
    StdioHost() {
        int in[2];
        int out[2];
        EXPECT_EQ(::pipe2(in, O_CLOEXEC), 0);
        EXPECT_EQ(::pipe2(out, O_CLOEXEC), 0);
        modem_in.reset(in[0]);
        to_modem.reset(in[1]);
        from_modem.reset(out[0]);
        modem_out.reset(out[1]);
    }
    io::PortOptions options() const {
        io::PortOptions options;
        options.stdin_fd = modem_in.get();
        options.stdout_fd = modem_out.get();
        return options;
    }
    void send(std::string_view text) const {
        ASSERT_EQ(::write(to_modem.get(), text.data(), text.size()),
                  static_cast<ssize_t>(text.size()));
    }

    Fd modem_in, to_modem, from_modem, modem_out;
};

}  // namespace atcoap::io::testing
