#pragma once
// The two messages every codec benchmark works on, each as a message value and as the datagram
// bytes written out by hand from RFC 7252 §3, so that neither implementation supplies the other's
// input.

#include <string_view>

#include "base/bytes.hpp"
#include "coap/message.hpp"

namespace atcoap::bench {

struct Fixture {
    std::string_view label;
    coap::Message message;
    Bytes wire;
};

/// Message A: CON GET, 4-byte token, Uri-Path "sensors", Uri-Path "temp", Uri-Query "unit=c".
Fixture make_get_with_path_and_query();

/// Message B: ACK 2.05 Content, 2-byte token, ETag of 4 bytes, Content-Format 50, Max-Age 60,
/// and a 100-byte payload.
Fixture make_content_response();

}  // namespace atcoap::bench
