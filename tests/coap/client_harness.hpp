#pragma once
// Test doubles and a fixture for the client endpoint: a scripted random source, a log that
// keeps its lines, message builders and a driver that runs the endpoint in virtual time.

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "base/log.hpp"
#include "base/random.hpp"
#include "coap/client_endpoint.hpp"
#include "coap/codec.hpp"
#include "coap/message_text.hpp"
#include "coap/options.hpp"
#include "coap/values.hpp"
#include "support/capturing_logger.hpp"
#include "support/scripted_random.hpp"

namespace atcoap::coap {

inline void PrintTo(const Delivered& d, std::ostream* os) {
    *os << "Delivered{" << type_name(d.type) << ", " << d.message_id << ", "
        << (d.ok ? "ok" : "failed") << "}";
}
inline void PrintTo(const Retransmitted& r, std::ostream* os) {
    *os << "Retransmitted{" << r.message_id << ", " << r.retry_times << ", "
        << (r.sent ? "sent" : "not sent") << "}";
}
inline void PrintTo(const Received& r, std::ostream* os) {
    *os << "Received{" << summarize(r.message) << "}";
}

namespace testing_support {

using test::ScriptedRandom;

using test::CapturingLogger;

inline Message make(Type type, Code code, std::uint16_t message_id, Token token = {}) {
    Message m;
    m.type = type;
    m.code = code;
    m.message_id = message_id;
    m.token = token;
    return m;
}

inline Message empty_message(Type type, std::uint16_t message_id) {
    return make(type, codes::kEmpty, message_id);
}

inline Message with_observe(Message m, std::uint32_t value) {
    m.options.push_back(Option{option::kObserve, encode_uint(value)});
    return m;
}

inline Bytes encoded(const Message& m) {
    auto bytes = encode(m);
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? std::move(bytes).value() : Bytes{};
}

inline Bytes empty_bytes(Type type, std::uint16_t message_id) {
    return encoded(empty_message(type, message_id));
}

/// A datagram sent at a virtual time.
struct Sent {
    std::int64_t at_ms;
    Bytes datagram;
    friend bool operator==(const Sent&, const Sent&) = default;
};

class ClientEndpointTest : public ::testing::Test {
  protected:
    ClientEndpointTest() : endpoint(random, logger, "client 0") {
        endpoint.configure(TransmissionSettings{Duration{2000}, 4});
    }

    void send(const Message& m, std::int64_t ms) { ASSERT_TRUE(endpoint.send(m, at_ms(ms)).ok()); }
    void receive(const Message& m, std::int64_t ms) { endpoint.on_datagram(encoded(m), at_ms(ms)); }
    void receive_raw(const Bytes& datagram, std::int64_t ms) {
        endpoint.on_datagram(datagram, at_ms(ms));
    }
    std::vector<Bytes> datagrams() { return endpoint.take_datagrams(); }
    std::vector<ClientEvent> events() { return endpoint.take_events(); }

    /// Fires every deadline up to and including `end_ms`, recording what was sent when.
    std::vector<Sent> run_until(std::int64_t end_ms) {
        std::vector<Sent> sent;
        for (auto deadline = endpoint.next_deadline(); deadline && *deadline <= at_ms(end_ms);
             deadline = endpoint.next_deadline()) {
            endpoint.on_timeout(*deadline);
            for (Bytes& d : endpoint.take_datagrams()) {
                sent.push_back(Sent{deadline->time_since_epoch().count(), std::move(d)});
            }
        }
        return sent;
    }

    ScriptedRandom random;
    CapturingLogger logger;
    ClientEndpoint endpoint;
};

inline const Token kTokenA{0xA1, 0xA2, 0xA3, 0xA4};
inline const Token kTokenB{0xB1, 0xB2};

}  // namespace testing_support
}  // namespace atcoap::coap
