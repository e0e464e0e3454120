#pragma once
// Fills a FleetStats from one modem's reports (modem/observer.hpp): its CoAP messages, its URCs
// and its state changes, stamped with the time `now` gives (virtual or real).

#include <functional>

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
    // Implementation: see stats_observer.cpp (per-client open times for handshakes, bounded).
    FleetStats& stats_;
    std::function<TimePoint()> now_;
};

}  // namespace atcoap::fleet
