#include "server/resources.hpp"

#include <array>
#include <string_view>

#include "base/hex.hpp"
#include "coap/message_text.hpp"
#include "coap/options.hpp"
#include "coap/values.hpp"
#include "server/block2.hpp"

namespace atcoap::server {

namespace {

using coap::Code;
using coap::Message;
namespace codes = coap::codes;
namespace option = coap::option;

constexpr std::uint32_t kTextPlain = 0;    // RFC 7252 §12.3
constexpr std::uint32_t kLinkFormat = 40;  // RFC 6690

constexpr std::string_view kWellKnownCore =
    "</>;title=\"atcoap test server\",</test>;rt=\"test\",</separate>,"
    "</obs>;obs,</large>;sz=2000,</echo>";

Reply text_reply(Code code, std::string_view text, std::uint32_t format = kTextPlain) {
    return Reply{code, {uint_option(option::kContentFormat, format)}, to_bytes(text)};
}

Reply method_not_allowed() {
    return error_reply(codes::kMethodNotAllowed, "Method Not Allowed");
}

bool has_option(const Message& m, std::uint16_t number) {
    return first_option(m, number) != nullptr;
}

/// The value of the first occurrence of an unsigned option, if present and valid.
std::optional<std::uint32_t> uint_value(const Message& m, std::uint16_t number) {
    const coap::Option* o = first_option(m, number);
    return o ? coap::decode_uint(o->value) : std::nullopt;
}

/// One option as "Name: value", its value printed in its registered format.
std::string describe_option(const coap::Option& o) {
    const coap::OptionInfo* info = coap::find_option(o.number);
    std::string line = info ? std::string(info->name) : "Option " + std::to_string(o.number);
    line += ": ";
    switch (coap::format_of(o.number)) {
        case coap::OptionFormat::Uint: {
            const auto value = coap::decode_uint(o.value);
            line += value ? std::to_string(*value) : "0x" + to_hex_upper(o.value);
            break;
        }
        case coap::OptionFormat::String:
            line += as_text(o.value);
            break;
        case coap::OptionFormat::Opaque:
        case coap::OptionFormat::Empty:
            line += to_hex_upper(o.value);
            break;
    }
    return line;
}

/// ETSI plugtest style: GET describes the request it got.
Reply test_resource(const Message& m) {
    if (m.code == codes::kGet) {
        std::string text = "Type: " + std::string(coap::type_name(m.type)) +
                           "\nCode: GET\nMID: " + std::to_string(m.message_id) +
                           "\nToken: " + to_hex_upper(m.token.view());
        return text_reply(codes::kContent, text);
    }
    if (m.code == codes::kPost) {
        Reply reply{codes::kCreated, {}, {}};
        reply.options.push_back(coap::Option{option::kLocationPath, to_bytes("test")});
        reply.options.push_back(coap::Option{option::kLocationPath, to_bytes("created")});
        return reply;
    }
    if (m.code == codes::kPut) {
        return Reply{codes::kChanged, {}, {}};
    }
    if (m.code == codes::kDelete) {
        return Reply{codes::kDeleted, {}, {}};
    }
    return method_not_allowed();
}

Reply echo_resource(const Message& m) {
    if (!m.payload.empty()) {
        Reply reply{codes::kContent, {}, m.payload};
        if (const auto format = uint_value(m, option::kContentFormat)) {
            reply.options.push_back(uint_option(option::kContentFormat, *format));
        }
        return reply;
    }
    std::string text = method_name(m.code);
    for (const coap::Option& o : m.options) {
        // Appending in two steps, not `"\n" + describe_option(o)`: g++ 12 at -O3 inlines that
        // temporary's insert at the front and reports a false-positive -Wrestrict (GCC bug 105329).
        text += '\n';
        text += describe_option(o);
    }
    return text_reply(codes::kContent, text);
}

Reply observable_resource(const Message& m) {
    if (m.code != codes::kGet) {
        return method_not_allowed();
    }
    Reply reply = observe_state(0);
    // RFC 7641 §2: 0 registers, 1 deregisters; any other value is ignored like no option.
    const auto observe = uint_value(m, option::kObserve);
    if (observe == 0u) {
        reply.observe = ObserveAction::Register;
    } else if (observe == 1u) {
        reply.observe = ObserveAction::Deregister;
    }
    return reply;
}

Reply get_only(const Message& m, Reply reply) {
    return m.code == codes::kGet ? reply : method_not_allowed();
}

}  // namespace

Reply error_reply(Code code, std::string_view phrase) {
    return Reply{code, {}, to_bytes(phrase)};
}

const coap::Option* first_option(const Message& m, std::uint16_t number) {
    for (const coap::Option& o : m.options) {
        if (o.number == number) {
            return &o;
        }
    }
    return nullptr;
}

coap::Option uint_option(std::uint16_t number, std::uint32_t value) {
    return coap::Option{number, coap::encode_uint(value)};
}

std::string path_of(const Message& request) {
    std::string path;
    for (const coap::Option& o : request.options) {
        if (o.number == option::kUriPath) {
            path += "/";
            path += as_text(o.value);
        }
    }
    return path.empty() ? "/" : path;
}

std::string method_name(Code code) {
    static constexpr std::array<std::string_view, 8> names{"",       "GET",   "POST",  "PUT",
                                                           "DELETE", "FETCH", "PATCH", "iPATCH"};
    if (code.code_class() == 0 && code.detail() > 0 && code.detail() < names.size()) {
        return std::string(names[code.detail()]);
    }
    return coap::to_string(code);
}

Reply handle_request(const Message& m) {
    // RFC 7252 §5.7.2: a server that is no proxy answers 5.05.
    if (has_option(m, option::kProxyUri) || has_option(m, option::kProxyScheme)) {
        return error_reply(Code::of(5, 5), "Proxying Not Supported");
    }
    const std::string path = path_of(m);
    if (path == "/") {
        return get_only(m, text_reply(codes::kContent, "atcoap test server"));
    }
    if (path == "/.well-known/core") {
        return get_only(m, text_reply(codes::kContent, kWellKnownCore, kLinkFormat));
    }
    if (path == "/test") {
        return test_resource(m);
    }
    if (path == "/separate") {
        Reply reply = text_reply(codes::kContent, "separate response");
        reply.delivery = Delivery::Separate;
        return get_only(m, std::move(reply));
    }
    if (path == "/obs") {
        return observable_resource(m);
    }
    if (path == "/large") {
        return m.code == codes::kGet ? serve_block2(m, large_body()) : method_not_allowed();
    }
    if (path == "/echo") {
        return echo_resource(m);
    }
    return error_reply(codes::kNotFound, "Not Found");
}

Reply observe_state(std::uint32_t sequence) {
    return text_reply(codes::kContent, "tick " + std::to_string(sequence));
}

}  // namespace atcoap::server
