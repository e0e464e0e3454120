#include "server/impaired_core.hpp"

namespace atcoap::server {

namespace {

Status<std::string> parse_into(const std::string& text, const char* option,
                               std::optional<netem::Spec>& into) {
    if (text.empty()) {
        return Done{};
    }
    auto spec = netem::parse_spec(text);
    if (!spec) {
        return fail(std::string(option) + ": " + spec.error());
    }
    into = std::move(*spec);
    return Done{};
}

}  // namespace

Result<ServerImpairment, std::string> plan_server_impairment(const std::string& both,
                                                             const std::string& up,
                                                             const std::string& down) {
    ServerImpairment plan;
    auto status = parse_into(both, "--netem", plan.up);
    if (status) {
        plan.down = plan.up;
        status = parse_into(up, "--netem-up", plan.up);
    }
    if (status) {
        status = parse_into(down, "--netem-down", plan.down);
    }
    if (!status) {
        return fail(status.error());
    }
    return plan;
}

ImpairedCore::ImpairedCore(DatagramCore& inner, const ServerImpairment& plan, Logger& log,
                           const std::string& label)
    : inner_(inner) {
    // Distinct streams per direction: the odd and even successors of the seed, mixed by
    // SeededRandom's own seeding.
    if (plan.up) {
        up_.emplace(*plan.up, plan.seed * 2 + 1, log, label + "netem up");
        log.log(LogLevel::Info, label + "netem up (received): " + netem::to_string(*plan.up));
    }
    if (plan.down) {
        down_.emplace(*plan.down, plan.seed * 2 + 2, log, label + "netem down");
        log.log(LogLevel::Info, label + "netem down (sent): " + netem::to_string(*plan.down));
    }
}

std::uint64_t ImpairedCore::remember(const Endpoint& peer) {
    const std::uint64_t tag = next_tag_++;
    peers_.emplace(tag, std::pair{peer, 0});
    return tag;
}

void ImpairedCore::held(std::uint64_t tag, int copies) {
    if (copies == 0) {
        peers_.erase(tag);
    } else {
        peers_[tag].second = copies;
    }
}

Endpoint ImpairedCore::recall(std::uint64_t tag) {
    const auto entry = peers_.find(tag);
    Endpoint peer = entry->second.first;
    if (--entry->second.second == 0) {
        peers_.erase(entry);
    }
    return peer;
}

void ImpairedCore::on_datagram(const Endpoint& peer, ByteView datagram, TimePoint now) {
    now_ = now;
    if (!up_) {
        inner_.on_datagram(peer, datagram, now);
        return;
    }
    const std::uint64_t tag = remember(peer);
    held(tag,
         up_->impairment.push(netem::Packet{Bytes(datagram.begin(), datagram.end()), tag}, now));
    deliver_due(now);
}

void ImpairedCore::deliver_due(TimePoint now) {
    for (netem::Packet& packet : up_->impairment.take_due(now)) {
        inner_.on_datagram(recall(packet.tag), packet.bytes, now);
    }
}

void ImpairedCore::on_timeout(TimePoint now) {
    now_ = now;
    if (up_) {
        deliver_due(now);
    }
    // The timer fires for the stages too: the core hears only of its own deadlines.
    if (const auto due = inner_.next_deadline(); due && *due <= now) {
        inner_.on_timeout(now);
    }
}

std::optional<TimePoint> ImpairedCore::next_deadline() const {
    std::optional<TimePoint> earliest = inner_.next_deadline();
    for (const std::optional<Stage>* stage : {&up_, &down_}) {
        const auto due = *stage ? (*stage)->impairment.next_deadline() : std::nullopt;
        if (due && (!earliest || *due < *earliest)) {
            earliest = due;
        }
    }
    return earliest;
}

std::vector<Datagram> ImpairedCore::take_datagrams() {
    std::vector<Datagram> out = inner_.take_datagrams();
    if (!down_) {
        return out;
    }
    for (Datagram& datagram : out) {
        const std::uint64_t tag = remember(datagram.peer);
        held(tag, down_->impairment.push(netem::Packet{std::move(datagram.bytes), tag}, now_));
    }
    out.clear();
    for (netem::Packet& packet : down_->impairment.take_due(now_)) {
        out.push_back(Datagram{recall(packet.tag), std::move(packet.bytes)});
    }
    return out;
}

}  // namespace atcoap::server
