#pragma once
// What the modem tells whoever watches it besides the host: every CoAP message a client sends
// or receives, every line written to the host as a URC, and every change of state. The log's
// per-message line, the control socket's events and the traces are all built from these.
// Watching is optional and changes nothing the host or the network sees. Reports carry no
// time: the observer stamps them with its own clock (virtual in tests and simulations).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/bytes.hpp"
#include "base/network.hpp"
#include "base/time.hpp"
#include "coap/message.hpp"

namespace atcoap::modem {

enum class ClientStatus;

enum class Direction { Sent, Received };

/// One CoAP message of a client, as it went to or came from the network (before DTLS
/// protection when sent, after it when received).
struct MessageTrace {
    int client = 0;
    Direction direction = Direction::Sent;
    coap::Type type = coap::Type::Con;
    coap::Code code{};
    std::string path;  // the Uri-Path options joined with '/', empty when there are none
    std::uint16_t message_id = 0;
    coap::Token token;
    std::size_t size = 0;  // bytes of the CoAP message
    /// For an answer (ACK, RST or a response matched by token): the time since its request.
    std::optional<Duration> round_trip;
    /// For a retransmission: which one (1 for the first); 0 for a first transmission.
    unsigned retransmission = 0;
    /// For a retransmission: the time since the first transmission.
    std::optional<Duration> since_first;
};

struct ClientStatusChange {
    int client = 0;
    ClientStatus from;
    ClientStatus to;
};
struct RadioChange {
    bool on = true;
};
struct PdpChange {
    int context = 1;
    bool active = true;
};
using StateChange = std::variant<ClientStatusChange, RadioChange, PdpChange>;

class Observer {
  public:
    virtual ~Observer() = default;
    virtual void on_message(const MessageTrace& /*message*/) {}
    /// One URC line as the host receives it, without its CR LF framing.
    virtual void on_urc(std::string_view /*line*/) {}
    virtual void on_state(const StateChange& /*change*/) {}
    /// A datagram as it crossed the air: sent when it leaves the modem for its socket, received
    /// when it reaches the client (after DTLS protection, before removing it).
    virtual void on_wire(Direction /*direction*/, net::SocketId /*socket*/, ByteView /*datagram*/) {
    }
};

/// The modem's observers: parts of the modem hold a reference to this and report through it;
/// with nobody watching, a report costs a check of an empty list. At most kMaxObservers watch
/// at once (the log, the control socket, a trace): add() refuses more.
class Observers {
  public:
    static constexpr std::size_t kMaxObservers = 8;

    bool add(Observer* observer) {
        if (count_ == kMaxObservers) {
            return false;
        }
        list_[count_++] = observer;
        return true;
    }
    void remove(Observer* observer) {
        for (std::size_t i = 0; i < count_; ++i) {
            if (list_[i] == observer) {
                list_[i] = list_[--count_];
                return;
            }
        }
    }
    bool watched() const { return count_ != 0; }

    void message(const MessageTrace& message) const {
        each([&](Observer& o) { o.on_message(message); });
    }
    void urc(std::string_view line) const {
        each([&](Observer& o) { o.on_urc(line); });
    }
    void state(const StateChange& change) const {
        each([&](Observer& o) { o.on_state(change); });
    }
    void wire(Direction direction, net::SocketId socket, ByteView datagram) const {
        each([&](Observer& o) { o.on_wire(direction, socket, datagram); });
    }

  private:
    template <class Call>
    void each(Call call) const {
        for (std::size_t i = 0; i < count_; ++i) {
            call(*list_[i]);
        }
    }

    std::array<Observer*, kMaxObservers> list_{};
    std::size_t count_ = 0;
};

}  // namespace atcoap::modem
