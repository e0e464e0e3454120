#pragma once
// Block-wise GET of a body (RFC 7959 §2.4): the server's block size is 1024 bytes (SZX 6), the
// largest that keeps a message within the 1152 bytes RFC 7252 §4.6 recommends; a client's
// Block2 with a smaller SZX is honoured. Size2 tells the total on the first block (§4).

#include "base/bytes.hpp"
#include "coap/message.hpp"
#include "server/resources.hpp"

namespace atcoap::server {

inline constexpr std::uint8_t kServerSzx = 6;

/// The 2000-byte text of /large: 40 numbered lines of 50 bytes each.
const Bytes& large_body();

/// The block of `body` that the request's Block2 asks for (block 0 of SZX 6 without one),
/// as text/plain. A reserved SZX gives 4.00; a block past the end gives 4.02.
Reply serve_block2(const coap::Message& request, ByteView body);

}  // namespace atcoap::server
