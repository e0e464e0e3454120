#pragma once
// The modem's network impairments (docs/FAULTS.md "Network impairments"): a netem stage per
// direction between the CoAP clients and the sockets. Up is what the modem sends (the
// net::SendDatagram requests), down what it receives (Modem::on_datagram). Each direction has
// one stage for all clients, the shared radio link, and may have one per client ID, which
// takes that client's datagrams instead. With nothing set, datagrams pass untouched.
//
// Each stage draws from its own generator, seeded from the modem's impairment seed, the
// direction and the client slot, never from the modem's Random: turning an impairment on (or
// setting one for another client) leaves the tokens, message IDs and DTLS randoms of a run as
// they were, and a stage's drops depend only on its own traffic.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/network.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/time.hpp"
#include "modem/coap_clients.hpp"
#include "netem/impairment.hpp"
#include "netem/spec.hpp"

namespace atcoap::modem {

enum class NetemDirection { Up, Down };

/// A spec and whom it is for: `client 2 loss 30%` is client 2's, `loss 30%` every client's.
struct NetemTarget {
    std::optional<int> client;
    netem::Spec spec;
};

/// Reads `[client N] SPEC`; the error is one line, as netem::parse_spec's.
Result<NetemTarget, std::string> parse_netem_target(std::string_view text);

/// A datagram that came through the down stage, for the client it belongs to.
struct Arrival {
    net::SocketId socket;
    Bytes bytes;
};

class NetworkImpairment {
  public:
    NetworkImpairment(std::uint64_t seed, Logger& log);
    NetworkImpairment(const NetworkImpairment&) = delete;
    NetworkImpairment& operator=(const NetworkImpairment&) = delete;

    /// Sets (or with nullopt clears) the spec of one direction for `client`, or for all clients
    /// without one. Datagrams already held keep their times. Refused: a client outside 0-5.
    Status<std::string> set(NetemDirection direction, std::optional<int> client,
                            std::optional<netem::Spec> spec);
    /// The spec in force there, if any.
    std::optional<netem::Spec> spec(NetemDirection direction, std::optional<int> client) const;
    /// What that stage did since it was first set; nullopt if it never was.
    std::optional<netem::Counters> counters(NetemDirection direction,
                                            std::optional<int> client) const;

    /// The requests as they leave: a datagram of an impaired client goes through its stage and
    /// out when due; the others, and every open and close, keep their order.
    std::vector<net::Request> send(std::vector<net::Request> requests, TimePoint now);
    /// Whether a datagram for `client` goes through a stage (else: deliver it as it is).
    bool impairs_down(int client) const;
    /// A received datagram into its stage; what is due at `now` comes back.
    std::vector<Arrival> receive(net::SocketId socket, ByteView datagram, TimePoint now);
    /// What became due by `now`: received datagrams come back; sent ones wait for send().
    std::vector<Arrival> on_timeout(TimePoint now);
    std::optional<TimePoint> next_deadline() const;

  private:
    static constexpr int kSlots = kClientCount + 1;  // the clients, then "all"
    static constexpr int kAll = kClientCount;

    /// A stage and its generator, made when a spec is first set there: on the heap, so that a
    /// modem without impairments (a fleet's many) holds a null pointer per slot, not a stage.
    struct Stage {
        Stage(std::uint64_t seed, netem::Spec spec, Logger& log, const std::string& name)
            : random(seed), impairment(std::move(spec), random, log, name) {}
        SeededRandom random;  // the impairment holds a reference: a Stage never moves
        netem::Impairment impairment;
    };
    struct Slot {
        std::unique_ptr<Stage> stage;
        bool active = false;  // a spec is set; a cleared stage still lets out what it holds
    };
    using Slots = std::array<Slot, kSlots>;

    Slots& slots(NetemDirection direction) { return direction == NetemDirection::Up ? up_ : down_; }
    const Slots& slots(NetemDirection direction) const {
        return direction == NetemDirection::Up ? up_ : down_;
    }
    /// The stage a client's datagrams go through in `direction`, if any.
    netem::Impairment* stage_for(NetemDirection direction, int client);
    const netem::Impairment* stage_for(NetemDirection direction, int client) const;
    void release_up(TimePoint now, std::vector<net::Request>& out);
    void discard(const net::SocketId& socket);
    bool any_stage() const;

    Logger& log_;
    std::uint64_t seed_;
    Slots up_;
    Slots down_;
    std::vector<net::Request> ready_;  // sent datagrams due at a timeout, for the next send()
};

}  // namespace atcoap::modem
