#pragma once
// Short descriptions of messages for log lines.

#include <string>
#include <string_view>

#include "coap/message.hpp"

namespace atcoap::coap {

/// "CON", "NON", "ACK" or "RST".
std::string_view type_name(Type type);

/// "CON 2.05 MID 4660 token 0A0B"; "token (none)" when the token is empty.
std::string summarize(const Message& message);

}  // namespace atcoap::coap
