#include "fixtures.hpp"

#include "coap/options.hpp"

namespace atcoap::bench {

namespace {

constexpr std::size_t kPayloadSize = 100;

void append_text(Bytes& out, std::string_view text) {
    const ByteView bytes = as_bytes(text);
    out.insert(out.end(), bytes.begin(), bytes.end());
}

/// 100 bytes of JSON text, the kind of body Content-Format 50 (application/json) announces.
Bytes json_payload() {
    Bytes body =
        to_bytes(R"({"sensor":"temp","unit":"c","readings":[21.5,21.6,21.4,21.7,21.5],"seq":)");
    while (body.size() < kPayloadSize - 1) {
        body.push_back('0');
    }
    body.push_back('}');
    return body;
}

}  // namespace

Fixture make_get_with_path_and_query() {
    coap::Message message;
    message.type = coap::Type::Con;
    message.code = coap::codes::kGet;
    message.message_id = 0x1234;
    message.token = coap::Token{0xDE, 0xAD, 0xBE, 0xEF};
    message.options = {
        {coap::option::kUriPath, to_bytes("sensors")},
        {coap::option::kUriPath, to_bytes("temp")},
        {coap::option::kUriQuery, to_bytes("unit=c")},
    };

    // Ver 1, CON, TKL 4 | 0.01 GET | message ID | token (§3).
    Bytes wire = {0x44, 0x01, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF};
    wire.push_back(0xB7);  // delta 11 (Uri-Path), length 7 (§3.1)
    append_text(wire, "sensors");
    wire.push_back(0x04);  // delta 0 (Uri-Path again), length 4
    append_text(wire, "temp");
    wire.push_back(0x46);  // delta 4 (Uri-Query, 15), length 6
    append_text(wire, "unit=c");
    return {"A: CON GET /sensors/temp?unit=c", std::move(message), std::move(wire)};
}

Fixture make_content_response() {
    coap::Message message;
    message.type = coap::Type::Ack;
    message.code = coap::codes::kContent;
    message.message_id = 0x1234;
    message.token = coap::Token{0xBE, 0xEF};
    message.options = {
        {coap::option::kETag, {0x01, 0x02, 0x03, 0x04}},
        {coap::option::kContentFormat, {50}},
        {coap::option::kMaxAge, {60}},
    };
    message.payload = json_payload();

    // Ver 1, ACK, TKL 2 | 2.05 Content | message ID | token (§3).
    Bytes wire = {0x62, 0x45, 0x12, 0x34, 0xBE, 0xEF};
    wire.insert(wire.end(), {0x44, 0x01, 0x02, 0x03, 0x04});  // delta 4 (ETag), length 4
    wire.insert(wire.end(), {0x81, 50});  // delta 8 (Content-Format, 12), length 1 (§3.2 uint)
    wire.insert(wire.end(), {0x21, 60});  // delta 2 (Max-Age, 14), length 1
    wire.push_back(0xFF);                 // payload marker
    wire.insert(wire.end(), message.payload.begin(), message.payload.end());
    return {"B: ACK 2.05 Content, 100-byte payload", std::move(message), std::move(wire)};
}

}  // namespace atcoap::bench
