#pragma once
// Fills a FleetStats from one modem's reports (modem/observer.hpp): its CoAP messages, its URCs
// and its state changes, stamped with the time `now` gives (virtual or real). What each figure
// counts is docs/FLEET.md, "What it reports".

#include <array>
#include <functional>
#include <optional>

#include "base/time.hpp"
#include "fleet/stats.hpp"
#include "modem/observer.hpp"

namespace atcoap::fleet {

class StatsObserver final : public modem::Observer {
  public:
    StatsObserver(FleetStats& stats, std::function<TimePoint()> now);

    void on_message(const modem::MessageTrace& message) override;
    void on_urc(std::string_view line) override;
    void on_state(const modem::StateChange& change) override;

  private:
    void on_open_result(int result);
    void on_ack_result(int type, int result);

    /// Per client (the modem has kClientCount, 6): when its AT+QCOAPOPEN began and whether a
    /// DTLS handshake runs; a fixed array, so the memory is bounded whatever the modem reports.
    struct Opening {
        std::optional<TimePoint> since;
        bool handshaking = false;
    };
    static constexpr int kClients = 6;

    FleetStats& stats_;
    std::function<TimePoint()> now_;
    std::array<Opening, kClients> opening_{};
};

}  // namespace atcoap::fleet
