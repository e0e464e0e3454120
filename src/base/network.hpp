#pragma once
// What the core asks of the network, and what the shell tells it back. The core never opens a
// socket or resolves a name itself: it queues requests, the shell carries them out (name
// resolution never blocks the AT port) and calls back with the results.

#include <cstdint>
#include <string>
#include <variant>

#include "base/bytes.hpp"

namespace atcoap::net {

/// Identifies one socket of the core (a CoAP client's), across its open/close cycles:
/// `generation` tells a late result of a socket that was closed meanwhile from the current one.
struct SocketId {
    int client = 0;
    std::uint32_t generation = 0;
    friend bool operator==(const SocketId&, const SocketId&) = default;
};

/// Resolve `host` (a name, or an IPv4 or IPv6 literal) and open a UDP socket connected to it,
/// so that only that peer's datagrams come back.
struct OpenSocket {
    SocketId id;
    std::string host;
    std::uint16_t port = 0;
};

struct SendDatagram {
    SocketId id;
    Bytes bytes;
};

struct CloseSocket {
    SocketId id;
};

using Request = std::variant<OpenSocket, SendDatagram, CloseSocket>;

enum class OpenResult {
    Opened,
    NameNotResolved,  // the note's -5, DNS error
    SocketError,      // the note's -7, socket connection failure
};

}  // namespace atcoap::net
