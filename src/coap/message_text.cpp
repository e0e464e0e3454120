#include "coap/message_text.hpp"

#include "base/hex.hpp"
#include "coap/message_record.hpp"
#include "coap/options.hpp"

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

std::string uri_path(const Message& message) {
    std::string path;
    for (const Option& option : message.options) {
        if (option.number == option::kUriPath) {
            path += '/';
            path.append(option.value.begin(), option.value.end());
        }
    }
    return path;
}

}  // namespace atcoap::coap
