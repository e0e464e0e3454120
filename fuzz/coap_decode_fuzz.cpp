// Decodes arbitrary datagrams. Whatever decodes must re-encode, decode back to itself, and
// give back the very bytes it came from: RFC 7252 §3.1 allows one encoding per message (each
// delta and length range has exactly one nibble form, and the payload marker is only written
// before a non-empty payload), so any difference is a codec bug.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "coap/codec.hpp"

namespace {

using atcoap::ByteView;
using atcoap::coap::Message;
using atcoap::coap::Option;

void require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

void check_failure(const atcoap::coap::DecodeFailure& failure, std::size_t size) {
    require(failure.offset <= size);
    require(!atcoap::coap::describe(failure.reason).empty());
    // Only the first four bytes can make the header readable.
    require(!failure.header_readable || size >= 4);
}

/// Encoding sorts options stably, so moving the options out of order (keeping repeats in
/// their order) must not change the bytes.
void check_order_independence(const Message& message, ByteView expected) {
    Message shuffled = message;
    std::stable_partition(shuffled.options.begin(), shuffled.options.end(),
                          [](const Option& o) { return (o.number & 1u) != 0; });
    std::reverse(shuffled.options.begin(), shuffled.options.end());
    std::stable_sort(shuffled.options.begin(), shuffled.options.end(),
                     [](const Option& a, const Option& b) { return a.number > b.number; });
    // Reversed twice within each number: repeats are back in their original order.
    for (auto first = shuffled.options.begin(); first != shuffled.options.end();) {
        auto last = std::find_if(first, shuffled.options.end(),
                                 [&](const Option& o) { return o.number != first->number; });
        std::reverse(first, last);
        first = last;
    }
    const auto bytes = atcoap::coap::encode(shuffled);
    require(bytes.ok());
    require(std::equal(bytes->begin(), bytes->end(), expected.begin(), expected.end()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);
    const auto decoded = atcoap::coap::decode(input);
    if (!decoded.ok()) {
        check_failure(decoded.error(), size);
        return 0;
    }
    const auto encoded = atcoap::coap::encode(*decoded);
    require(encoded.ok());
    require(std::equal(encoded->begin(), encoded->end(), input.begin(), input.end()));

    const auto again = atcoap::coap::decode(*encoded);
    require(again.ok());
    require(*again == *decoded);
    const auto reencoded = atcoap::coap::encode(*again);
    require(reencoded.ok());
    require(*reencoded == *encoded);

    if (decoded->options.size() > 1) {
        check_order_independence(*decoded, *encoded);
    }
    return 0;
}
