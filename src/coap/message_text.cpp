#include "coap/message_text.hpp"

#include "base/hex.hpp"

namespace atcoap::coap {

std::string_view type_name(Type type) {
    switch (type) {
        case Type::Con:
            return "CON";
        case Type::Non:
            return "NON";
        case Type::Ack:
            return "ACK";
        case Type::Rst:
            return "RST";
    }
    return "?";
}

std::string summarize(const Message& message) {
    std::string text{type_name(message.type)};
    text += ' ';
    text += to_string(message.code);
    text += " MID ";
    text += std::to_string(message.message_id);
    text += " token ";
    text += message.token.empty() ? std::string{"(none)"} : to_hex_upper(message.token.view());
    return text;
}

}  // namespace atcoap::coap
