#include "coap/message.hpp"

namespace atcoap::coap {

std::string to_string(Code code) {
    const unsigned detail = code.detail();
    std::string text;
    text.reserve(4);
    text.push_back(static_cast<char>('0' + code.code_class()));
    text.push_back('.');
    text.push_back(static_cast<char>('0' + detail / 10));
    text.push_back(static_cast<char>('0' + detail % 10));
    return text;
}

}  // namespace atcoap::coap
