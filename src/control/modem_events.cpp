// The modem's observer reports as the control socket's event data (docs/CONTROL.md, "Events").

#include <fmt/format.h>

#include "base/hex.hpp"
#include "control/modem_control.hpp"

namespace atcoap::control {

namespace {

std::string_view type_name(coap::Type type) {
    switch (type) {
        case coap::Type::Con:
            return "CON";
        case coap::Type::Non:
            return "NON";
        case coap::Type::Ack:
            return "ACK";
        case coap::Type::Rst:
            return "RST";
    }
    return "?";
}

}  // namespace

std::string_view status_name(modem::ClientStatus status) {
    switch (status) {
        case modem::ClientStatus::Idle:
            return "idle";
        case modem::ClientStatus::Opening:
            return "opening";
        case modem::ClientStatus::Connecting:
            return "connecting";
        case modem::ClientStatus::Connected:
            return "connected";
        case modem::ClientStatus::Disconnecting:
            return "disconnecting";
    }
    return "?";
}

nlohmann::json message_data(const modem::MessageTrace& message) {
    nlohmann::json data = {
        {"client", message.client},
        {"direction", message.direction == modem::Direction::Sent ? "sent" : "received"},
        {"type", type_name(message.type)},
        {"code", fmt::format("{}.{:02}", message.code.code_class(), message.code.detail())},
        {"path", message.path},
        {"message_id", message.message_id},
        {"token", to_hex_upper(message.token.view())},
        {"size", message.size},
        {"retransmission", message.retransmission},
    };
    if (message.round_trip) {
        data["round_trip_ms"] = message.round_trip->count();
    }
    return data;
}

std::pair<std::string_view, nlohmann::json> state_event(const modem::StateChange& change) {
    if (const auto* client = std::get_if<modem::ClientStatusChange>(&change)) {
        return {"CLIENT_STATUS",
                {{"client", client->client},
                 {"from", status_name(client->from)},
                 {"to", status_name(client->to)}}};
    }
    if (const auto* radio = std::get_if<modem::RadioChange>(&change)) {
        return {"RADIO", {{"on", radio->on}}};
    }
    const auto& pdp = std::get<modem::PdpChange>(change);
    return {"PDP", {{"cid", pdp.context}, {"active", pdp.active}}};
}

}  // namespace atcoap::control
