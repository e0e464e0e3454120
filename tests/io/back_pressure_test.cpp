// A host that stops reading (a firmware stopped in a debugger): the shell's output queue stays
// bounded (kHostOutputLimit) because it stops reading host input and datagrams, and when the
// host reads again everything arrives whole and in order (docs/RUNNING.md, "Limits").

#include <gtest/gtest.h>
#include <poll.h>

#include <algorithm>
#include <asio/ip/udp.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "fake_host_core.hpp"
#include "io/shell.hpp"

namespace atcoap::io {
namespace {

using namespace std::chrono_literals;
using testing::CapturingLogger;
using testing::FakeCore;
using testing::FdReader;
using testing::StdioHost;

constexpr auto kBound = 10s;
// Long enough for thousands of loop turns: a shell that kept reading would show it here.
constexpr auto kQuietWindow = 300ms;
constexpr const char* kStallLine = "the host is not reading";

std::string uppercase(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

TEST(ShellBackPressure, StopsReadingHostInputWhileItsOutputWaitsAndResumesInOrder) {
    StdioHost host;
    FakeCore core;  // echoes every host byte in uppercase
    CapturingLogger log;
    Shell shell(core, host.options(), log);
    ASSERT_TRUE(shell.open());

    std::string input;
    for (int i = 0; input.size() < 1024 * 1024; ++i) {
        input += "at+line" + std::to_string(i) + "\r\n";
    }
    // A host that writes all of it, waiting whenever the pipe is full; the thread ends when
    // the test does, passed or failed.
    std::jthread writer([&](const std::stop_token& stop) {
        std::string_view rest = input;
        while (!rest.empty() && !stop.stop_requested()) {
            pollfd writable{host.to_modem.get(), POLLOUT, 0};
            if (::poll(&writable, 1, 50) <= 0) {
                continue;
            }
            // At most PIPE_BUF: with POLLOUT reported, such a write does not block.
            const ssize_t written =
                ::write(host.to_modem.get(), rest.data(), std::min<std::size_t>(rest.size(), 4096));
            if (written <= 0) {
                return;
            }
            rest.remove_prefix(static_cast<std::size_t>(written));
        }
    });

    ASSERT_TRUE(shell.run_until([&] { return log.count(kStallLine) > 0; }, kBound));
    const std::size_t at_stall = core.received.size();
    EXPECT_FALSE(shell.run_until([&] { return core.received.size() > at_stall; }, kQuietWindow));
    // What the core took: what fills the pipe to the host, the queue's limit, and one read.
    EXPECT_LE(at_stall, 2 * kHostOutputLimit + 4096 + 65536);

    FdReader reader(host.from_modem.get());
    const std::string expected = uppercase(input);
    EXPECT_TRUE(shell.run_until(
        [&] {
            reader.poll();
            return reader.text.size() >= expected.size();
        },
        kBound));
    EXPECT_TRUE(reader.text == expected) << "output differs from the echo of the input";
    EXPECT_EQ(core.received, input);
    EXPECT_GE(log.count("the host read its output"), 1U);
}

TEST(ShellBackPressure, LeavesDatagramsInTheKernelWhileTheHostDoesNotRead) {
    StdioHost host;
    FakeCore core;
    core.output_per_datagram = 2000;  // as an Observe notification's +QCOAPRECV
    CapturingLogger log;
    asio::io_context peer_context;
    asio::ip::udp::socket peer(peer_context,
                               asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    core.requests_on_bytes = {
        net::OpenSocket{net::SocketId{0, 1}, "127.0.0.1", peer.local_endpoint().port()}};
    Shell shell(core, host.options(), log);
    ASSERT_TRUE(shell.open());
    host.send("o");
    ASSERT_TRUE(shell.run_until([&] { return core.opened; }, kBound));

    // The modem's socket is the one that sends to the peer; learn its port from a datagram.
    core.requests_on_bytes = {net::SendDatagram{net::SocketId{0, 1}, Bytes{1}}};
    host.send("s");
    asio::ip::udp::endpoint modem;
    std::uint8_t first = 0;
    ASSERT_TRUE(shell.run_until([&] { return peer.available() > 0; }, kBound));
    peer.receive_from(asio::buffer(&first, 1), modem);

    // 200 kB of output: past the limit and the pipe, while the datagrams themselves fit in the
    // socket's receive buffer, so that none is lost while they wait.
    constexpr int kDatagrams = 100;
    for (int i = 0; i < kDatagrams; ++i) {
        peer.send_to(asio::buffer("notification", 12), modem);
    }
    ASSERT_TRUE(shell.run_until([&] { return log.count(kStallLine) > 0; }, kBound));
    const std::size_t at_stall = core.datagrams;
    EXPECT_LT(at_stall, static_cast<std::size_t>(kDatagrams));
    EXPECT_FALSE(shell.run_until([&] { return core.datagrams > at_stall; }, kQuietWindow));

    FdReader reader(host.from_modem.get());
    EXPECT_TRUE(shell.run_until(
        [&] {
            reader.poll();
            return reader.text.size() == 2 + kDatagrams * core.output_per_datagram;
        },
        kBound));
    EXPECT_EQ(core.datagrams, static_cast<std::size_t>(kDatagrams));  // none lost: they waited
}

}  // namespace
}  // namespace atcoap::io
