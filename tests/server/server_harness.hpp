#pragma once
// Drives a ServerCore in virtual time: requests in as messages or raw bytes, the datagrams the
// core sends decoded back, with the peer they went to checked.

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.hpp"
#include "coap/codec.hpp"
#include "coap/options.hpp"
#include "coap/values.hpp"
#include "server/server_core.hpp"
#include "support/capturing_logger.hpp"

namespace atcoap::server::testing {

using test::CapturingLogger;

inline Endpoint client() {
    return Endpoint{"127.0.0.1", 40000};
}

inline Endpoint other_client() {
    return Endpoint{"127.0.0.1", 40001};
}

/// A request with the given path segments; options are added by the caller when needed.
inline coap::Message request(coap::Type type, coap::Code code, std::uint16_t message_id,
                             std::initializer_list<std::string_view> path,
                             coap::Token token = {0xA1, 0xB2}) {
    coap::Message m{type, code, message_id, token, {}, {}};
    for (const std::string_view segment : path) {
        m.options.push_back(coap::Option{coap::option::kUriPath, to_bytes(segment)});
    }
    return m;
}

inline void add_uint(coap::Message& m, std::uint16_t number, std::uint32_t value) {
    m.options.push_back(coap::Option{number, coap::encode_uint(value)});
}

/// The value of the first option `number` in `m`, or nullopt.
inline std::optional<Bytes> option_value(const coap::Message& m, std::uint16_t number) {
    for (const coap::Option& o : m.options) {
        if (o.number == number) {
            return Bytes(o.value.begin(), o.value.end());
        }
    }
    return std::nullopt;
}

inline std::optional<std::uint32_t> uint_of(const coap::Message& m, std::uint16_t number) {
    const auto value = option_value(m, number);
    return value ? coap::decode_uint(*value) : std::nullopt;
}

inline std::string text_of(const coap::Message& m) {
    return std::string(as_text(m.payload));
}

class Harness {
  public:
    explicit Harness(double loss = 0, std::uint64_t seed = 7)
        : random_(seed), core_(random_, log_, CoreOptions{loss}) {}

    std::vector<coap::Message> send(const coap::Message& m, TimePoint now,
                                    const Endpoint& from = client()) {
        const auto bytes = coap::encode(m);
        EXPECT_TRUE(bytes.ok());
        return bytes ? send_bytes(*bytes, now, from) : std::vector<coap::Message>{};
    }

    std::vector<coap::Message> send_bytes(ByteView bytes, TimePoint now,
                                          const Endpoint& from = client()) {
        core_.on_datagram(from, bytes, now);
        return take(from);
    }

    /// Calls on_timeout at `now` and returns what went to `to`.
    std::vector<coap::Message> advance(TimePoint now, const Endpoint& to = client()) {
        core_.on_timeout(now);
        return take(to);
    }

    std::vector<Datagram> take_raw() { return core_.take_datagrams(); }

    ServerCore& core() { return core_; }
    const std::vector<std::string>& log_lines() const { return log_.lines; }

  private:
    std::vector<coap::Message> take(const Endpoint& to) {
        std::vector<coap::Message> out;
        for (const Datagram& d : core_.take_datagrams()) {
            EXPECT_EQ(d.peer, to);
            auto decoded = coap::decode(d.bytes);
            EXPECT_TRUE(decoded.ok());
            if (decoded) {
                out.push_back(std::move(decoded).value());
            }
        }
        return out;
    }

    SeededRandom random_;
    CapturingLogger log_{LogLevel::Info};  // the lines the server's stderr would show
    ServerCore core_;
};

}  // namespace atcoap::server::testing
