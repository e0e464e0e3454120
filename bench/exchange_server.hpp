#pragma once
// The one request every client of the exchange benchmark sends, and the CoAP server they all
// send it to: libcoap's coap-server-notls on a free loopback port.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "exchange_process.hpp"

namespace atcoap::bench {

/// The resource asked for: coap-server-notls answers GET /time piggybacked, 2.05 with Max-Age
/// and a 15-byte date, small enough to keep the exchange about the exchange.
inline constexpr const char* kResource = "time";

/// The token policy all three clients share: the same 4-byte token on every request (the
/// exchanges are sequential, so one outstanding token suffices; RFC 7252 §5.3.1).
inline constexpr std::uint8_t kToken[4] = {0x5A, 0x1C, 0xE0, 0x07};
inline constexpr const char* kTokenHex = "5A1CE007";

/// CON GET /time with `message_id` and kToken, written byte by byte from RFC 7252 §3.
std::string request_datagram(std::uint16_t message_id);

/// A UDP port on 127.0.0.1 that was free a moment ago, and so was the one after it (libcoap's
/// servers serve DTLS on the port after their plain one).
Result<std::uint16_t, std::string> free_udp_port();

class CoapServer {
  public:
    /// Starts `program` (coap-server-notls) on 127.0.0.1 and a free port, with `extra`
    /// arguments (coap-server-openssl's `-k KEY`, which adds DTLS on the next port), and
    /// returns once it has answered a plain request, or fails after a few seconds.
    static Result<CoapServer, std::string> start(const std::string& program,
                                                 const std::vector<std::string>& extra = {});

    std::uint16_t port() const { return port_; }

    /// SIGTERM, then a bounded wait.
    void stop();

  private:
    CoapServer(Child child, std::uint16_t port) : child_(std::move(child)), port_(port) {}

    std::optional<Child> child_;
    std::uint16_t port_;
};

}  // namespace atcoap::bench
