#pragma once
// Encoding and decoding of CoAP messages over UDP (RFC 7252 §3).

#include <cstddef>
#include <string_view>

#include "base/result.hpp"
#include "coap/message.hpp"

namespace atcoap::coap {

/// Every message format error of RFC 7252 §3 that decode can meet, one reason each.
enum class DecodeError : std::uint8_t {
    HeaderTruncated,        // fewer than the 4 header bytes
    UnsupportedVersion,     // Ver is not 1 (§3: "MUST be silently ignored")
    TokenLengthReserved,    // TKL 9 to 15 (§3: "MUST be processed as a message format error")
    TokenTruncated,         // the datagram ends inside the token
    ReservedCodeClass,      // code class 1, 6 or 7 (§3, §12.1)
    EmptyMessageNotEmpty,   // code 0.00 with a token or bytes after the message ID (§4.1)
    OptionDeltaReserved,    // delta nibble 15 in a byte that is not the 0xFF marker (§3.1)
    OptionLengthReserved,   // length nibble 15 (§3.1)
    OptionDeltaTruncated,   // the extended delta bytes are missing
    OptionLengthTruncated,  // the extended length bytes are missing
    OptionValueTruncated,   // the option value runs past the end of the datagram
    OptionNumberOverflow,   // the running option number passes 65535
    PayloadMarkerWithoutPayload,  // 0xFF followed by nothing (§3: format error)
};

/// Why decode failed, where, and the header fields when they could be read: a receiver
/// answers a malformed CON with RST, which needs its message ID (RFC 7252 §4.2).
struct DecodeFailure {
    DecodeError reason;
    std::size_t offset = 0;
    bool header_readable = false;
    Type type = Type::Con;
    std::uint16_t message_id = 0;
};

/// A one-line English description of a decode error, for logs.
std::string_view describe(DecodeError reason);

Result<Message, DecodeFailure> decode(ByteView datagram);

/// Decodes into `message`, reusing its storage (a receive loop keeps one Message); on failure
/// `message` holds a partial decode and must not be used.
Status<DecodeFailure> decode_into(ByteView datagram, Message& message);

/// What RFC 7252 forbids a sender to write.
enum class EncodeError : std::uint8_t {
    ReservedCodeClass,     // code class 1, 6 or 7
    EmptyMessageNotEmpty,  // code 0.00 with a token, options or payload (§4.1)
    OptionValueTooLong,    // longer than the 65535 + 269 bytes the length field can express
};

std::string_view describe(EncodeError reason);

/// Appends the encoded message to `out`; on failure `out` is left as it was.
Status<EncodeError> encode_into(const Message& message, Bytes& out);
Result<Bytes, EncodeError> encode(const Message& message);

}  // namespace atcoap::coap
