#pragma once
// A control::Target that runs a function before every command and then hands the command on:
// the builtin target uses it to deliver the host bytes a script queued before a control step,
// so that the modem meets `send` and `radio off` in the order the script wrote them.

#include <functional>
#include <optional>
#include <string_view>
#include <utility>

#include "control/target.hpp"

namespace atcoap::script {

class FlushFirst final : public control::Target {
  public:
    FlushFirst(control::Target& target, std::function<void()> before)
        : target_(target), before_(std::move(before)) {}

    Status<std::string> radio(bool on) override { return first().radio(on); }
    Status<std::string> pdp(int cid, bool active) override { return first().pdp(cid, active); }
    Status<std::string> signal(int rssi, int ber) override { return first().signal(rssi, ber); }
    Status<std::string> urc(std::string_view line) override { return first().urc(line); }
    Status<std::string> reboot() override { return first().reboot(); }
    Status<std::string> latency(Duration fixed, Duration jitter) override {
        return first().latency(fixed, jitter);
    }
    Status<std::string> netem(control::NetemDirections directions, std::optional<int> client,
                              std::optional<netem::Spec> spec) override {
        return first().netem(directions, client, std::move(spec));
    }
    nlohmann::json status() override { return first().status(); }
    void quit() override { first().quit(); }

  private:
    control::Target& first() {
        before_();
        return target_;
    }

    control::Target& target_;
    std::function<void()> before_;
};

}  // namespace atcoap::script
