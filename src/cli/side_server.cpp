#include "cli/side_server.hpp"

#include "io/clock.hpp"

namespace atcoap::cli {

SideServer::SideServer(asio::io_context& context, Logger& log, std::uint64_t seed)
    : random_(~seed),  // a stream apart from the modem's
      core_(random_, log, server::CoreOptions{}),
      udp_(context, core_, log) {}

Result<std::unique_ptr<SideServer>, std::string> SideServer::start(asio::io_context& context,
                                                                   std::string_view listen,
                                                                   Logger& log,
                                                                   std::uint64_t seed) {
    const auto where = parse_host_port(listen);
    if (!where) {
        return fail("--with-server: " + where.error());
    }
    std::unique_ptr<SideServer> side(new SideServer(context, log, seed));
    if (const auto opened = side->udp_.open(*where); !opened) {
        return fail("--with-server: " + opened.error());
    }
    return side;
}

std::string replay_guide(const server::Endpoint& server) {
    const std::string port = std::to_string(server.port);
    return "atcoap: CoAP test server on " + server.address + ":" + port +
           ". To replay the note's example 5.1 against it, type:\n"
           "  AT+QCOAPCFG=\"pdpcid\",0,1\n"
           "  AT+QCOAPCFG=\"trans\",0,4,5\n"
           "  AT+QCOAPOPEN=0,\"" +
           server.address + "\"," + port +
           "\n"
           "  AT+QCOAPOPEN?\n"
           "  AT+QCOAPHEADER=0,1234,1\n"
           "  AT+QCOAPOPTION=0,0,0,11,\"19\"\n"
           "  AT+QCOAPOPTION=0,0,1,12,40\n"
           "  AT+QCOAPSEND=0,1,2,1,20       and at the \"> \" prompt: Hello, CoAP Message!\n"
           "  AT+QCOAPCLOSE=0\n";
}

}  // namespace atcoap::cli
