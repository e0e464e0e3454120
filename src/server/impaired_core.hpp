#pragma once
// Network impairments for the test server (`atcoap server --netem`, docs/FAULTS.md): a
// DatagramCore in front of a listener's core, sans-IO like it, with one netem stage per
// direction. Named as on the modem, from the device's side of the air: up is what the server
// receives, down what it sends. The stages draw from their own generators, seeded from the
// server's --seed, so the core's message IDs stay as they were without impairment.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/log.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "netem/impairment.hpp"
#include "netem/spec.hpp"
#include "server/udp_transport.hpp"

namespace atcoap::server {

struct ServerImpairment {
    std::optional<netem::Spec> up;    // what the server receives
    std::optional<netem::Spec> down;  // what the server sends
    std::uint64_t seed = 0;
};

/// From --netem (both), --netem-up and --netem-down (each wins over --netem); empty text is
/// not given. The error is one line: `--netem: "loss 120%": a percentage is 0 to 100`.
Result<ServerImpairment, std::string> plan_server_impairment(const std::string& both,
                                                             const std::string& up,
                                                             const std::string& down);

class ImpairedCore final : public DatagramCore {
  public:
    /// `label` tells the listeners apart in the log ("", "DTLS ").
    ImpairedCore(DatagramCore& inner, const ServerImpairment& plan, Logger& log,
                 const std::string& label);

    void on_datagram(const Endpoint& peer, ByteView datagram, TimePoint now) override;
    void on_timeout(TimePoint now) override;
    std::optional<TimePoint> next_deadline() const override;
    /// The core's datagrams through the down stage, at the time of the last call in.
    std::vector<Datagram> take_datagrams() override;

  private:
    struct Stage {
        Stage(const netem::Spec& spec, std::uint64_t seed, Logger& log, std::string name)
            : random(seed), impairment(spec, random, log, std::move(name)) {}
        SeededRandom random;
        netem::Impairment impairment;
    };

    /// The peer of each datagram held, by tag, with the copies held; forgotten with the last.
    std::uint64_t remember(const Endpoint& peer);
    void held(std::uint64_t tag, int copies);
    Endpoint recall(std::uint64_t tag);
    void deliver_due(TimePoint now);

    DatagramCore& inner_;
    std::optional<Stage> up_;
    std::optional<Stage> down_;
    std::map<std::uint64_t, std::pair<Endpoint, int>> peers_;  // at most what the stages hold
    std::uint64_t next_tag_ = 0;
    TimePoint now_{};
};

}  // namespace atcoap::server
