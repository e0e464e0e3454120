#include "control/modem_control.hpp"

#include <string>

namespace atcoap::control {

namespace {

nlohmann::json netem_stage(const std::optional<netem::Spec>& spec, const netem::Counters& n) {
    return {{"spec", spec ? nlohmann::json(netem::to_string(*spec)) : nlohmann::json()},
            {"received", n.received},
            {"passed", n.passed},
            {"lost", n.lost},
            {"blackholed", n.blackholed},
            {"overflowed", n.overflowed},
            {"discarded", n.discarded},
            {"duplicated", n.duplicated},
            {"corrupted", n.corrupted},
            {"reordered", n.reordered}};
}

nlohmann::json netem_direction(const modem::NetworkImpairment& netem,
                               modem::NetemDirection direction) {
    nlohmann::json stages = nlohmann::json::object();
    for (int slot = -1; slot < modem::kClientCount; ++slot) {
        const auto client = slot < 0 ? std::nullopt : std::optional<int>(slot);
        if (const auto counters = netem.counters(direction, client)) {
            stages[client ? std::to_string(*client) : "all"] =
                netem_stage(netem.spec(direction, client), *counters);
        }
    }
    return stages;
}

}  // namespace

nlohmann::json netem_status(const modem::NetworkImpairment& netem) {
    return {{"up", netem_direction(netem, modem::NetemDirection::Up)},
            {"down", netem_direction(netem, modem::NetemDirection::Down)}};
}

ModemControl::ModemControl(modem::Modem& modem, ControlHooks hooks)
    : modem_(modem), hooks_(std::move(hooks)) {
    watching_ = modem_.add_observer(this);
}

ModemControl::~ModemControl() {
    modem_.remove_observer(this);
}

Status<std::string> ModemControl::changed(Status<std::string> result) {
    if (hooks_.changed) {
        hooks_.changed();
    }
    return result;
}

Status<std::string> ModemControl::radio(bool on) {
    modem_.set_network_radio(on, hooks_.now());
    return changed(Done{});
}

Status<std::string> ModemControl::pdp(int cid, bool active) {
    return changed(modem_.set_context_by_network(cid, active, hooks_.now()));
}

Status<std::string> ModemControl::signal(int rssi, int ber) {
    return changed(modem_.set_signal(rssi, ber));
}

Status<std::string> ModemControl::urc(std::string_view line) {
    return changed(modem_.inject_urc(line, hooks_.now()));
}

Status<std::string> ModemControl::reboot() {
    modem_.reboot(hooks_.now());
    return changed(Done{});
}

Status<std::string> ModemControl::latency(Duration fixed, Duration jitter) {
    return changed(modem_.set_latency(fixed, jitter, hooks_.now()));
}

Status<std::string> ModemControl::netem(NetemDirections directions, std::optional<int> client,
                                        std::optional<netem::Spec> spec) {
    // The client is checked before the call, so that "both" changes both or neither.
    if (client && (*client < 0 || *client >= modem::kClientCount)) {
        return fail("a client ID is 0 to " + std::to_string(modem::kClientCount - 1));
    }
    if (directions != NetemDirections::Down) {
        if (auto set = modem_.set_netem(modem::NetemDirection::Up, client, spec); !set) {
            return changed(std::move(set));
        }
    }
    if (directions != NetemDirections::Up) {
        if (auto set = modem_.set_netem(modem::NetemDirection::Down, client, std::move(spec));
            !set) {
            return changed(std::move(set));
        }
    }
    return changed(Done{});
}

nlohmann::json ModemControl::status() {
    const modem::RadioState& radio = modem_.radio();
    nlohmann::json active = nlohmann::json::array();
    for (int cid = modem::kMinContextId; cid <= modem::kMaxContextId; ++cid) {
        if (radio.active(cid)) {
            active.push_back(cid);
        }
    }
    nlohmann::json clients = nlohmann::json::array();
    for (int id = 0; id < modem::kClientCount; ++id) {
        const modem::CoapClient& c = modem_.clients().client(id);
        const ClientCounters& n = counters(id);
        clients.push_back({{"id", id},
                           {"status", status_name(c.status)},
                           {"server", c.server},
                           {"port", c.port},
                           {"dtls", c.dtls},
                           {"messages_sent", n.messages_sent},
                           {"messages_received", n.messages_received},
                           {"retransmissions", n.retransmissions},
                           {"datagrams_sent", n.datagrams_sent},
                           {"datagrams_received", n.datagrams_received}});
    }
    return {{"radio",
             {{"on", radio.radio_on()},
              {"network", radio.network_radio()},
              {"cfun", radio.functionality()}}},
            {"signal", {{"rssi", radio.rssi}, {"ber", radio.ber}}},
            {"pdp", {{"active", active}}},
            {"latency",
             {{"fixed_ms", modem_.latency().fixed().count()},
              {"jitter_ms", modem_.latency().jitter().count()}}},
            {"netem", netem_status(modem_.netem())},
            {"clients", clients}};
}

void ModemControl::quit() {
    if (hooks_.quit) {
        hooks_.quit();
    }
}

void ModemControl::emit(std::string_view name, nlohmann::json data) {
    if (hooks_.event && (!hooks_.listening || hooks_.listening())) {
        hooks_.event(event_line(name, std::move(data), hooks_.wall ? hooks_.wall() : Timestamp{}));
    }
}

ClientCounters* ModemControl::counters_of(int client) {
    if (client < 0 || client >= modem::kClientCount) {
        return nullptr;
    }
    return &counters_[static_cast<std::size_t>(client)];
}

const ClientCounters& ModemControl::counters(int client) const {
    return counters_.at(static_cast<std::size_t>(client));
}

void ModemControl::on_message(const modem::MessageTrace& message) {
    if (ClientCounters* n = counters_of(message.client)) {
        if (message.direction == modem::Direction::Received) {
            ++n->messages_received;
        } else if (message.retransmission > 0) {
            ++n->retransmissions;
        } else {
            ++n->messages_sent;
        }
    }
    emit("MESSAGE", message_data(message));
}

void ModemControl::on_urc(std::string_view line) {
    emit("URC", {{"line", line}});
}

void ModemControl::on_state(const modem::StateChange& change) {
    auto [name, data] = state_event(change);
    emit(name, std::move(data));
}

void ModemControl::on_wire(modem::Direction direction, net::SocketId socket, ByteView) {
    if (ClientCounters* n = counters_of(socket.client)) {
        ++(direction == modem::Direction::Sent ? n->datagrams_sent : n->datagrams_received);
    }
}

}  // namespace atcoap::control
