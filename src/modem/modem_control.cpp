// The faults the network and the test harness cause on demand (docs/CONTROL.md), each as the
// module meets them (docs/DIALECT.md §8), and what the modem reports when its radio or a PDP
// context changes. A refusal is checked before anything changes.

#include <fmt/format.h>

#include "modem/modem.hpp"
#include "modem/registration.hpp"

namespace atcoap::modem {

namespace {
// Past this a URC line is refused: the host's line buffers are sized for the module's own.
constexpr std::size_t kMaxUrcLength = 1024;
}  // namespace

void Modem::set_network_radio(bool on, TimePoint now) {
    now_ = now;
    logger_.log(LogLevel::Info, fmt::format("the network turned the radio {}", on ? "on" : "off"));
    radio_.set_network_radio(on);
}

Status<std::string> Modem::set_context_by_network(int cid, bool active, TimePoint now) {
    now_ = now;
    if (cid < kMinContextId || cid > kMaxContextId) {
        return fail(fmt::format("no PDP context {}: contexts are {} to {}", cid, kMinContextId,
                                kMaxContextId));
    }
    if (radio_.active(cid) == active) {
        return fail(
            fmt::format("PDP context {} is already {}", cid, active ? "active" : "inactive"));
    }
    if (active && !radio_.radio_on()) {
        return fail(fmt::format("PDP context {} cannot be restored: the radio is off", cid));
    }
    logger_.log(LogLevel::Info, fmt::format("the network {} PDP context {}",
                                            active ? "reactivated" : "deactivated", cid));
    radio_.set_active(cid, active);
    if (!active) {
        // What the module prints when the network deactivates a context (Quectel's TCP/IP
        // application note's +QIURC); docs/DIALECT.md §8.
        responder_.urc(fmt::format("+QIURC: \"pdpdeact\",{}", cid));
    }
    return Done{};
}

Status<std::string> Modem::set_signal(int rssi, int ber) {
    if (!((rssi >= 0 && rssi <= 31) || rssi == 99)) {
        return fail(fmt::format("rssi is 0 to 31 or 99: got {}", rssi));
    }
    if (!((ber >= 0 && ber <= 7) || ber == 99)) {
        return fail(fmt::format("ber is 0 to 7 or 99: got {}", ber));
    }
    radio_.rssi = rssi;
    radio_.ber = ber;
    return Done{};
}

Status<std::string> Modem::inject_urc(std::string_view line, TimePoint now) {
    now_ = now;
    if (line.size() > kMaxUrcLength) {
        return fail(
            fmt::format("a URC line is at most {} bytes: got {}", kMaxUrcLength, line.size()));
    }
    if (line.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
        return fail(std::string("a URC line holds no CR, LF or NUL: the modem frames it"));
    }
    responder_.urc(line);
    return Done{};
}

void Modem::reboot(TimePoint now) {
    now_ = now;
    logger_.log(LogLevel::Info, "the module restarts");
    // An open data phase ends with no result; bytes the host sent are lost with the RAM.
    phase_.reset();
    framer_ = at::Framer{};
    responder_.restart();
    lost_lf_reported_ = false;
    coap_.restart();
    radio_.restart();
    ssl_ = SslContexts{};
    on_radio_change();
    responder_.urc("RDY");
    responder_.urc("APP RDY");
}

Status<std::string> Modem::set_latency(Duration fixed, Duration jitter, TimePoint now) {
    now_ = now;
    if (fixed < Duration{0} || fixed > HostLatency::kMaxDelay || jitter < Duration{0} ||
        jitter > HostLatency::kMaxDelay) {
        return fail(
            fmt::format("each part of the latency is 0 to {} ms", HostLatency::kMaxDelay.count()));
    }
    latency_.set(fixed, jitter);
    logger_.log(LogLevel::Info,
                fmt::format("host latency {} ms + up to {} ms", fixed.count(), jitter.count()));
    return Done{};
}

void Modem::on_radio_change() {
    coap_.on_data_path_change();
    if (radio_.radio_on() != radio_reported_) {
        radio_reported_ = radio_.radio_on();
        observers_.state(RadioChange{radio_reported_});
        report_registration();
    }
    for (int cid = kMinContextId; cid <= kMaxContextId; ++cid) {
        const auto index = static_cast<std::size_t>(cid - kMinContextId);
        if (radio_.active(cid) != active_reported_[index]) {
            active_reported_[index] = radio_.active(cid);
            observers_.state(PdpChange{cid, active_reported_[index]});
        }
    }
}

// AT+CEREG=1 or 2 asked for registration URCs (3GPP TS 27.007 §10.1.22); docs/DIALECT.md §6.
void Modem::report_registration() {
    if (radio_.cereg_mode >= 1) {
        responder_.urc(registration_urc(radio_.cereg_mode, radio_.radio_on()));
    }
}

}  // namespace atcoap::modem
