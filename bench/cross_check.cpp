#include "cross_check.hpp"

#include <coap3/coap.h>

#include <algorithm>

#include "coap/codec.hpp"
#include "libcoap_build.hpp"

namespace atcoap::bench {

namespace {

/// Compares what libcoap holds in `pdu` with the message value, field by field.
void compare_pdu(const coap_pdu_t* pdu, const coap::Message& message, const std::string& what,
                 std::vector<std::string>& problems) {
    if (static_cast<unsigned>(coap_pdu_get_type(pdu)) != static_cast<unsigned>(message.type) ||
        static_cast<unsigned>(coap_pdu_get_code(pdu)) != message.code.value ||
        coap_pdu_get_mid(pdu) != message.message_id) {
        problems.push_back(what + ": header differs");
    }
    const coap_bin_const_t token = coap_pdu_get_token(pdu);
    const ByteView expected_token = message.token.view();
    if (!std::equal(token.s, token.s + token.length, expected_token.begin(),
                    expected_token.end())) {
        problems.push_back(what + ": token differs");
    }
    coap_opt_iterator_t it;
    coap_option_iterator_init(pdu, &it, COAP_OPT_ALL);
    std::size_t index = 0;
    while (const coap_opt_t* opt = coap_option_next(&it)) {
        const uint8_t* value = coap_opt_value(opt);
        const Bytes got(value, value + coap_opt_length(opt));
        if (index >= message.options.size() || message.options[index].number != it.number ||
            message.options[index].value != got) {
            problems.push_back(what + ": option " + std::to_string(index) + " differs");
        }
        ++index;
    }
    if (index != message.options.size()) {
        problems.push_back(what + ": option count differs");
    }
    std::size_t length = 0;
    const uint8_t* data = nullptr;
    const Bytes payload = coap_get_data(pdu, &length, &data) ? Bytes(data, data + length) : Bytes{};
    if (payload != message.payload) {
        problems.push_back(what + ": payload differs");
    }
}

void check_atcoap(const Fixture& fixture, std::vector<std::string>& problems) {
    auto decoded = coap::decode(fixture.wire);
    if (!decoded || *decoded != fixture.message) {
        problems.push_back("atcoap decode does not give the message");
    }
    auto encoded = coap::encode(fixture.message);
    if (!encoded || *encoded != fixture.wire) {
        problems.push_back("atcoap encode does not give the wire bytes");
    }
}

void check_libcoap(const Fixture& fixture, std::vector<std::string>& problems) {
    coap_pdu_t* parsed = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, fixture.wire.size());
    if (parsed == nullptr ||
        !coap_pdu_parse(COAP_PROTO_UDP, fixture.wire.data(), fixture.wire.size(), parsed)) {
        problems.push_back("libcoap does not parse the wire bytes");
    } else {
        compare_pdu(parsed, fixture.message, "libcoap parse", problems);
    }
    coap_delete_pdu(parsed);

    coap_pdu_t* built = build_libcoap_pdu(fixture.message);
    if (built == nullptr) {
        problems.push_back("libcoap does not build the message");
    } else {
        compare_pdu(built, fixture.message, "libcoap build", problems);
    }
    coap_delete_pdu(built);
}

}  // namespace

std::vector<std::string> cross_check(const Fixture& fixture) {
    std::vector<std::string> problems;
    check_atcoap(fixture, problems);
    check_libcoap(fixture, problems);
    for (std::string& problem : problems) {
        problem = std::string(fixture.label) + ": " + problem;
    }
    return problems;
}

}  // namespace atcoap::bench
