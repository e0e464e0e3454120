#pragma once
// The fixture of the control socket's end-to-end tests (docs/CONTROL.md): atcoap on stdio with
// echo off and `--control` on a socket in a directory of its own, `atcoap ctl` run as a child,
// and raw connections to the socket. Every wait is bounded.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "coap_fixture.hpp"

namespace atcoap::e2e {

/// What `atcoap ctl` printed and how it ended.
struct CtlRun {
    int code = -1;
    std::string out;
    std::string err;
};

/// A stream connection to the Unix socket at `path`; a closed channel when it fails.
inline Channel connect_unix(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        if (fd >= 0) {
            ::close(fd);
        }
        return Channel();
    }
    return Channel(fd);
}

class ControlModemTest : public CoapModemTest {
  public:
    void SetUp() override {
        std::string error;
        modem_ = start_quiet_modem(dir_.path(), {"--control", socket_path()}, error);
        ASSERT_NE(modem_, nullptr) << error;
    }

    std::string socket_path() const { return (socket_dir_.path() / "control.sock").string(); }

    /// Runs `atcoap ctl --socket <socket> words...` to its end.
    CtlRun ctl(const std::vector<std::string>& words) {
        std::vector<std::string> arguments{"ctl", "--socket", socket_path()};
        arguments.insert(arguments.end(), words.begin(), words.end());
        std::string error;
        auto child = test::ChildProcess::start(ATCOAP_BINARY, arguments, error);
        CtlRun run;
        if (child == nullptr) {
            run.err = error;
            return run;
        }
        const auto status = child->wait_exit(kAnswerBound);
        run.out = child->out().unread();
        run.err = child->err().unread();
        if (status && status->code) {
            run.code = *status->code;
        }
        return run;
    }

    /// A raw client that has read its greeting.
    Channel greeted_client() {
        Channel client = connect_unix(socket_path());
        EXPECT_TRUE(client.wait_for("\n", kAnswerBound));
        const std::string greeting = client.take_through("\n");
        EXPECT_TRUE(greeting.starts_with("{\"atcoap\":{\"version\":")) << greeting;
        return client;
    }

    /// Sends one request line on `client`; returns the next line that is not an event.
    std::string request(Channel& client, std::string_view line) {
        EXPECT_TRUE(client.write_all(std::string(line) + "\n", kAnswerBound));
        while (client.wait_for("\n", kAnswerBound)) {
            std::string reply = client.take_through("\n");
            if (!reply.starts_with("{\"event\"")) {
                return reply;
            }
        }
        return "";
    }

    /// AT answers OK at once, whatever the control clients do.
    void expect_at_answers() { expect("AT", "\r\nOK\r\n"); }

    TempDir socket_dir_;
};

}  // namespace atcoap::e2e
