#pragma once
// The control socket's Target over the modem core (docs/CONTROL.md): each command becomes one
// call of the modem's fault API with the injected clock's now, and the modem's observer reports
// become event lines and the counters `status` shows. Pure: the clock, the wall clock of the
// events' timestamps, where events go and what `quit` does are handed in.

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "control/protocol.hpp"
#include "control/target.hpp"
#include "modem/modem.hpp"
#include "modem/observer.hpp"

namespace atcoap::control {

/// What the control side counts per client, from the modem's observer reports.
struct ClientCounters {
    std::uint64_t messages_sent = 0;  // first transmissions of CoAP messages
    std::uint64_t messages_received = 0;
    std::uint64_t retransmissions = 0;
    std::uint64_t datagrams_sent = 0;  // as they crossed the air (DTLS records included)
    std::uint64_t datagrams_received = 0;
};

struct ControlHooks {
    std::function<TimePoint()> now;   // the core's clock
    std::function<Timestamp()> wall;  // the events' timestamps
    /// Whether anyone reads events now: none are built when not (empty: always).
    std::function<bool()> listening;
    std::function<void(std::string)> event;  // one event line, '\n' included
    /// After a command changed the modem: the shell drains its outboxes and re-arms its timer.
    std::function<void()> changed;
    std::function<void()> quit;
};

class ModemControl final : public Target, public modem::Observer {
  public:
    /// Watches `modem` until destroyed.
    ModemControl(modem::Modem& modem, ControlHooks hooks);
    ~ModemControl() override;
    ModemControl(const ModemControl&) = delete;
    ModemControl& operator=(const ModemControl&) = delete;

    /// False when the modem already had as many observers as it takes.
    bool watching() const { return watching_; }

    Status<std::string> radio(bool on) override;
    Status<std::string> pdp(int cid, bool active) override;
    Status<std::string> signal(int rssi, int ber) override;
    Status<std::string> urc(std::string_view line) override;
    Status<std::string> reboot() override;
    Status<std::string> latency(Duration fixed, Duration jitter) override;
    Status<std::string> netem(NetemDirections directions, std::optional<int> client,
                              std::optional<netem::Spec> spec) override;
    nlohmann::json status() override;
    void quit() override;

    void on_message(const modem::MessageTrace& message) override;
    void on_urc(std::string_view line) override;
    void on_state(const modem::StateChange& change) override;
    void on_wire(modem::Direction direction, net::SocketId socket, ByteView datagram) override;

    const ClientCounters& counters(int client) const;

  private:
    Status<std::string> changed(Status<std::string> result);
    void emit(std::string_view name, nlohmann::json data);
    ClientCounters* counters_of(int client);

    modem::Modem& modem_;
    ControlHooks hooks_;
    bool watching_ = false;
    std::array<ClientCounters, modem::kClientCount> counters_{};
};

/// The JSON of an observer report (modem_events.cpp): a MESSAGE event's data, a state change's
/// event name and data.
nlohmann::json message_data(const modem::MessageTrace& message);
std::pair<std::string_view, nlohmann::json> state_event(const modem::StateChange& change);
std::string_view status_name(modem::ClientStatus status);
/// `status`'s "netem" member: per direction, each stage ever set ("all", "0" ... "5") with the
/// spec in force (null once cleared) and its counters.
nlohmann::json netem_status(const modem::NetworkImpairment& netem);

}  // namespace atcoap::control
