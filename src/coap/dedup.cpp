#include "coap/dedup.hpp"

#include <algorithm>

namespace atcoap::coap {

DedupHistory::Key DedupHistory::key_of(std::uint16_t message_id, const Token& token) {
    Key key{};
    key[0] = static_cast<std::uint8_t>(message_id >> 8);
    key[1] = static_cast<std::uint8_t>(message_id & 0xFFu);
    key[2] = static_cast<std::uint8_t>(token.size());
    const ByteView bytes = token.view();
    std::copy(bytes.begin(), bytes.end(), key.begin() + 3);
    return key;
}

}  // namespace atcoap::coap
