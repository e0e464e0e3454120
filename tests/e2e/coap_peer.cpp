#include "coap_peer.hpp"

#include <filesystem>

namespace atcoap::e2e {
namespace {

using test::Millis;
using Readiness = bool (*)(std::uint16_t port, Millis bound);

CoapPeer start_peer(const std::string& program, const std::vector<std::string>& arguments,
                    std::uint16_t port, Readiness ready, std::string& error) {
    CoapPeer peer;
    peer.port = port;
    peer.process = test::ChildProcess::start(program, arguments, error);
    if (peer.process != nullptr && !ready(port, Millis{10'000})) {
        error = program + " did not start serving on port " + std::to_string(port) +
                "; stderr: " + peer.process->err().unread();
        peer.process.reset();
    }
    return peer;
}

}  // namespace

CoapPeer start_libcoap_server(const std::vector<std::string>& arguments, std::string& error,
                              const std::string& flavour) {
    const std::string program = "/usr/bin/coap-server-" + flavour;
    if (!std::filesystem::exists(program)) {
        error = program + " is missing: install libcoap3-bin";
        return {};
    }
    const std::uint16_t port =
        flavour == "notls" ? test::free_udp_port() : test::free_udp_port_pair();
    std::vector<std::string> all{"-A", "127.0.0.1", "-p", std::to_string(port)};
    all.insert(all.end(), arguments.begin(), arguments.end());
    // Its UDP endpoints (plain, then DTLS) are opened before its TCP ones; a ping's RST would
    // count against its `-l` loss list.
    return start_peer(program, all, port, test::accepts_tcp, error);
}

CoapPeer start_atcoap_server(const std::vector<std::string>& arguments, std::string& error) {
    const std::uint16_t port = test::free_udp_port();
    std::vector<std::string> all{"server", "--listen", "127.0.0.1:" + std::to_string(port)};
    all.insert(all.end(), arguments.begin(), arguments.end());
    return start_peer(ATCOAP_BINARY, all, port, test::answers_coap_ping, error);
}

}  // namespace atcoap::e2e
