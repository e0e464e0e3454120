// Feeds arbitrary datagrams to a DTLS client session. The input is a list of records
// [2-byte big-endian length][bytes]; the first byte chooses the target: even, a client that
// has just finished a handshake with an in-memory server; odd, a client that has only sent
// its ClientHello. Whatever arrives, the session must not crash, and afterwards it is either
// still running or it has a one-line reason for having stopped.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "dtls/session.hpp"

namespace {

using atcoap::Bytes;
using atcoap::ByteView;
using atcoap::dtls::Session;
using atcoap::dtls::State;

void require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

atcoap::dtls::ClientSettings client_settings() {
    atcoap::dtls::ClientSettings settings;
    settings.identity = atcoap::to_bytes("Client_identity");
    settings.key = atcoap::to_bytes("secretPSK");
    settings.handshake_limit = std::chrono::milliseconds{10'000};
    return settings;
}

atcoap::dtls::ServerSettings server_settings() {
    atcoap::dtls::ServerSettings settings;
    settings.key_for_identity = [](ByteView) -> std::optional<Bytes> {
        return atcoap::to_bytes("secretPSK");
    };
    settings.identity_hint = "CoAP";
    return settings;
}

/// Moves datagrams between the two sessions until both are quiet.
void pump(Session& client, Session& server) {
    for (int round = 0; round < 50; ++round) {
        const auto to_server = client.take_datagrams();
        const auto to_client = server.take_datagrams();
        if (to_server.empty() && to_client.empty()) {
            return;
        }
        for (const Bytes& datagram : to_server) {
            server.on_datagram(datagram, atcoap::at_ms(0));
        }
        for (const Bytes& datagram : to_client) {
            client.on_datagram(datagram, atcoap::at_ms(0));
        }
    }
}

void feed(Session& client, ByteView input) {
    std::int64_t ms = 0;
    while (input.size() >= 2) {
        const std::size_t length = std::size_t{input[0]} << 8 | input[1];
        input = input.subspan(2);
        const ByteView datagram = input.first(std::min(length, input.size()));
        input = input.subspan(datagram.size());
        client.on_datagram(datagram, atcoap::at_ms(ms));
        client.take_datagrams();
        client.take_plaintext();
        ms += 10;
    }
    if (const auto deadline = client.next_deadline()) {
        client.on_timeout(*deadline);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const bool handshaking = (data[0] & 1) != 0;
    atcoap::SeededRandom client_random(1);
    atcoap::SeededRandom server_random(2);
    atcoap::NullLogger logger;
    atcoap::dtls::CookieKeeper cookies(server_random);
    auto client = Session::client(client_settings(), client_random, logger);
    auto server = Session::server(server_settings(), cookies, atcoap::as_bytes("peer"),
                                  server_random, logger);
    client->start(atcoap::at_ms(0));
    if (!handshaking) {
        pump(*client, *server);
        require(client->state() == State::Established);
    }
    feed(*client, ByteView(data + 1, size - 1));
    const State state = client->state();
    if (handshaking) {
        require(state != State::Closed || !client->failure().empty());
        require(state != State::Failed || !client->failure().empty());
    } else {
        require(state == State::Established || !client->failure().empty());
    }
    return 0;
}
