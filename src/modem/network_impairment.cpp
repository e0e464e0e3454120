#include "modem/network_impairment.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace atcoap::modem {

namespace {

std::uint64_t tag_of(const net::SocketId& socket) {
    return (static_cast<std::uint64_t>(socket.client) << 32) | socket.generation;
}

net::SocketId socket_of(std::uint64_t tag) {
    return net::SocketId{static_cast<int>(tag >> 32), static_cast<std::uint32_t>(tag)};
}

/// A distinct, well-mixed seed per direction and slot (splitmix64's finalizer).
std::uint64_t stage_seed(std::uint64_t seed, NetemDirection direction, int slot) {
    std::uint64_t z =
        seed + 0x9E3779B97F4A7C15ull * (1u + (direction == NetemDirection::Up ? 0u : 8u) +
                                        static_cast<std::uint64_t>(slot));
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::string stage_name(NetemDirection direction, std::optional<int> client) {
    std::string name = direction == NetemDirection::Up ? "netem up" : "netem down";
    if (client) {
        name += " client " + std::to_string(*client);
    }
    return name;
}

// The spaces netem::parse_spec splits on.
constexpr std::string_view kSpaces = " \t\n\r\f\v";

std::string_view trim_front(std::string_view text) {
    const std::size_t start = text.find_first_not_of(kSpaces);
    return start == std::string_view::npos ? std::string_view{} : text.substr(start);
}

/// The next word of `text` and what follows it.
std::pair<std::string_view, std::string_view> next_word(std::string_view text) {
    text = trim_front(text);
    const std::size_t end = std::min(text.find_first_of(kSpaces), text.size());
    return {text.substr(0, end), text.substr(end)};
}

}  // namespace

Result<NetemTarget, std::string> parse_netem_target(std::string_view text) {
    NetemTarget target;
    auto [first, rest] = next_word(text);
    if (first == "client") {
        auto [id, after] = next_word(rest);
        int client = -1;
        const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), client);
        if (id.empty() || error != std::errc() || end != id.data() + id.size() || client < 0 ||
            client >= kClientCount) {
            return fail("\"client" + (id.empty() ? std::string() : " " + std::string(id)) +
                        "\": a client ID is 0 to " + std::to_string(kClientCount - 1));
        }
        target.client = client;
        text = after;
    }
    auto spec = netem::parse_spec(text);
    if (!spec) {
        return fail(spec.error());
    }
    target.spec = std::move(*spec);
    return target;
}

NetworkImpairment::NetworkImpairment(std::uint64_t seed, Logger& log) : log_(log), seed_(seed) {}

Status<std::string> NetworkImpairment::set(NetemDirection direction, std::optional<int> client,
                                           std::optional<netem::Spec> spec) {
    if (client && (*client < 0 || *client >= kClientCount)) {
        return fail("a client ID is 0 to " + std::to_string(kClientCount - 1));
    }
    const int index = client ? *client : kAll;
    Slot& slot = slots(direction)[static_cast<std::size_t>(index)];
    const std::string name = stage_name(direction, client);
    log_.log(LogLevel::Info, name + ": " + (spec ? netem::to_string(*spec) : "cleared"));
    slot.active = spec.has_value();
    if (slot.stage) {
        slot.stage->impairment.set_spec(spec ? std::move(*spec) : netem::Spec{});
    } else if (spec) {
        slot.stage = std::make_unique<Stage>(stage_seed(seed_, direction, index), std::move(*spec),
                                             log_, name);
    }
    return Done{};
}

std::optional<netem::Spec> NetworkImpairment::spec(NetemDirection direction,
                                                   std::optional<int> client) const {
    if (client && (*client < 0 || *client >= kClientCount)) {
        return std::nullopt;
    }
    const Slot& slot = slots(direction)[static_cast<std::size_t>(client ? *client : kAll)];
    return slot.active ? std::optional<netem::Spec>(slot.stage->impairment.spec()) : std::nullopt;
}

std::optional<netem::Counters> NetworkImpairment::counters(NetemDirection direction,
                                                           std::optional<int> client) const {
    if (client && (*client < 0 || *client >= kClientCount)) {
        return std::nullopt;
    }
    const Slot& slot = slots(direction)[static_cast<std::size_t>(client ? *client : kAll)];
    return slot.stage ? std::optional<netem::Counters>(slot.stage->impairment.counters())
                      : std::nullopt;
}

netem::Impairment* NetworkImpairment::stage_for(NetemDirection direction, int client) {
    return const_cast<netem::Impairment*>(std::as_const(*this).stage_for(direction, client));
}

const netem::Impairment* NetworkImpairment::stage_for(NetemDirection direction, int client) const {
    const Slots& all = slots(direction);
    if (client >= 0 && client < kClientCount && all[static_cast<std::size_t>(client)].active) {
        return &all[static_cast<std::size_t>(client)].stage->impairment;
    }
    return all[kAll].active ? &all[kAll].stage->impairment : nullptr;
}

bool NetworkImpairment::any_stage() const {
    const auto engaged = [](const Slot& slot) { return slot.stage != nullptr; };
    return std::any_of(up_.begin(), up_.end(), engaged) ||
           std::any_of(down_.begin(), down_.end(), engaged);
}

std::vector<net::Request> NetworkImpairment::send(std::vector<net::Request> requests,
                                                  TimePoint now) {
    if (ready_.empty() && !any_stage()) {
        return requests;
    }
    std::vector<net::Request> out = std::exchange(ready_, {});
    for (net::Request& request : requests) {
        if (auto* datagram = std::get_if<net::SendDatagram>(&request)) {
            if (netem::Impairment* stage = stage_for(NetemDirection::Up, datagram->id.client)) {
                stage->push(netem::Packet{std::move(datagram->bytes), tag_of(datagram->id)}, now);
                release_up(now, out);
                continue;
            }
        } else if (const auto* close = std::get_if<net::CloseSocket>(&request)) {
            discard(close->id);
        }
        out.push_back(std::move(request));
    }
    return out;
}

void NetworkImpairment::release_up(TimePoint now, std::vector<net::Request>& out) {
    for (Slot& slot : up_) {
        if (!slot.stage) {
            continue;
        }
        for (netem::Packet& packet : slot.stage->impairment.take_due(now)) {
            out.emplace_back(net::SendDatagram{socket_of(packet.tag), std::move(packet.bytes)});
        }
    }
}

// A closed socket's datagrams still held would reach nobody (the shell has no socket left to
// send them on, the client no exchange to give them to): they are dropped and counted.
void NetworkImpairment::discard(const net::SocketId& socket) {
    std::size_t count = 0;
    for (Slots* all : {&up_, &down_}) {
        for (Slot& slot : *all) {
            count += slot.stage ? slot.stage->impairment.discard(tag_of(socket)) : 0;
        }
    }
    if (count > 0) {
        log_.log(LogLevel::Debug, "netem: client " + std::to_string(socket.client) + " closed; " +
                                      std::to_string(count) + " held datagrams dropped");
    }
}

bool NetworkImpairment::impairs_down(int client) const {
    return stage_for(NetemDirection::Down, client) != nullptr;
}

std::vector<Arrival> NetworkImpairment::receive(net::SocketId socket, ByteView datagram,
                                                TimePoint now) {
    if (netem::Impairment* stage = stage_for(NetemDirection::Down, socket.client)) {
        stage->push(netem::Packet{Bytes(datagram.begin(), datagram.end()), tag_of(socket)}, now);
        return on_timeout(now);
    }
    return {Arrival{socket, Bytes(datagram.begin(), datagram.end())}};
}

std::vector<Arrival> NetworkImpairment::on_timeout(TimePoint now) {
    release_up(now, ready_);
    std::vector<Arrival> arrivals;
    for (Slot& slot : down_) {
        if (!slot.stage) {
            continue;
        }
        for (netem::Packet& packet : slot.stage->impairment.take_due(now)) {
            arrivals.push_back(Arrival{socket_of(packet.tag), std::move(packet.bytes)});
        }
    }
    return arrivals;
}

std::optional<TimePoint> NetworkImpairment::next_deadline() const {
    std::optional<TimePoint> earliest;
    for (const Slots* all : {&up_, &down_}) {
        for (const Slot& slot : *all) {
            const auto due = slot.stage ? slot.stage->impairment.next_deadline() : std::nullopt;
            if (due && (!earliest || *due < *earliest)) {
                earliest = due;
            }
        }
    }
    return earliest;
}

}  // namespace atcoap::modem
