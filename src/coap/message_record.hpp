#pragma once
// What a ClientEndpoint tells a watcher about each message it sends or receives: the fields of
// the per-message log line and of the modem's MessageTrace (docs/TRACES.md), taken from what the
// endpoint already holds, so no datagram is decoded twice. The endpoint builds a record only
// while its watcher says someone reads it: unwatched, a message costs one check.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "base/time.hpp"
#include "coap/message.hpp"

namespace atcoap::coap {

enum class Flow { Sent, Received };

struct MessageRecord {
    Flow flow = Flow::Sent;
    Type type = Type::Con;
    Code code{};
    std::uint16_t message_id = 0;
    Token token;
    std::string path;      // the Uri-Path options joined with '/', empty when there are none
    std::size_t size = 0;  // bytes of the encoded CoAP message
    /// For an answer (ACK, RST, or the first response matched by token): the time since its
    /// request was first sent.
    std::optional<Duration> round_trip;
    /// For a retransmission: which one (1 for the first), and the time since the first
    /// transmission. For a give-up: the retransmissions made, and the time since the first
    /// transmission. 0 and empty otherwise.
    unsigned retransmission = 0;
    std::optional<Duration> since_first;
};

class MessageWatcher {
  public:
    virtual ~MessageWatcher() = default;
    /// Whether records are read now; the endpoint builds none otherwise.
    virtual bool watching() const = 0;
    virtual void on_message(const MessageRecord& record) = 0;
    /// A CON whose retransmissions are exhausted (RFC 7252 §4.2): reported whether watched or
    /// not, since it is rare and the watcher logs it at Warn.
    virtual void on_give_up(const MessageRecord& record) = 0;
};

/// The Uri-Path options of `message` joined with '/', with a leading '/'; empty without any.
std::string uri_path(const Message& message);

}  // namespace atcoap::coap
