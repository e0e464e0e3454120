#pragma once
// `atcoap --with-server`: the built-in CoAP test server in the modem's own process and event
// loop, so that one command gives a modem and a server to try it against (README, Quick start).

#include <asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/log.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "server/server_core.hpp"
#include "server/udp_server.hpp"

namespace atcoap::cli {

class SideServer {
  public:
    /// Binds `listen` ("HOST:PORT") on `context`; the error is one line for the user. `seed`
    /// (the modem's --seed, or the one drawn) makes the server's draws repeat with the modem's.
    static Result<std::unique_ptr<SideServer>, std::string> start(asio::io_context& context,
                                                                  std::string_view listen,
                                                                  Logger& log, std::uint64_t seed);
    server::Endpoint endpoint() const { return udp_.local_endpoint(); }

  private:
    SideServer(asio::io_context& context, Logger& log, std::uint64_t seed);

    SeededRandom random_;
    server::ServerCore core_;
    server::UdpServer udp_;
};

/// The lines a user types to replay the note's example §5.1 against `server`.
std::string replay_guide(const server::Endpoint& server);

}  // namespace atcoap::cli
