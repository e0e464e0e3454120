#pragma once
// What the control socket drives (docs/CONTROL.md): the modem, through ModemControl, or a test
// double. The protocol checks every argument against its command's schema before it calls in,
// so a Target sees only well-formed values; it may still refuse what its state does not allow
// (a context that is already down), with a reason, and must then change nothing.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/time.hpp"
#include "netem/spec.hpp"

namespace atcoap::control {

/// Which of the modem's netem stages a `netem` command sets: up (what it sends), down (what it
/// receives), or both at once.
enum class NetemDirections { Up, Down, Both };

class Target {
  public:
    virtual ~Target() = default;
    /// The network takes the radio away (false) or gives it back.
    virtual Status<std::string> radio(bool on) = 0;
    /// The network deactivates PDP context `cid` (false) or activates it again.
    virtual Status<std::string> pdp(int cid, bool active) = 0;
    /// What AT+CSQ reports: rssi 0-31 or 99, ber 0-7 or 99.
    virtual Status<std::string> signal(int rssi, int ber) = 0;
    /// Writes `line` to the host as a URC.
    virtual Status<std::string> urc(std::string_view line) = 0;
    /// The module restarts.
    virtual Status<std::string> reboot() = 0;
    /// Answers to the host come `fixed` plus up to `jitter` late; 0 and 0 turn it off.
    virtual Status<std::string> latency(Duration fixed, Duration jitter) = 0;
    /// Sets the network impairment of `directions` for `client` (nullopt: every client without
    /// its own), or clears it (`spec` nullopt). The client is 0-5 and the spec parsed.
    virtual Status<std::string> netem(NetemDirections directions, std::optional<int> client,
                                      std::optional<netem::Spec> spec) = 0;
    /// Clients, counters, radio, PDP, latency and netem state, as a JSON object.
    virtual nlohmann::json status() = 0;
    /// The program ends (exit code 0) once the reply has gone out.
    virtual void quit() = 0;
};

}  // namespace atcoap::control
