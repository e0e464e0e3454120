#include "fleet/engine/device.hpp"

#include "io/clock.hpp"

namespace atcoap::fleet {
namespace {

modem::ModemOptions modem_options(const DeviceSetup& setup) {
    modem::ModemOptions options;
    options.identity.imei = setup.imei;
    options.impairment_seed = setup.seed;
    return options;
}

io::UdpNetwork::Options network_options(const DeviceShared& shared, const DeviceSetup& setup) {
    return {.buffer = shared.receive_buffer, .source = setup.source};
}

}  // namespace

Device::Device(const DeviceShared& shared, std::size_t slot, DeviceSetup setup)
    : shared_(shared),
      slot_(slot),
      setup_(std::move(setup)),
      random_(setup_.seed),
      modem_(modem_options(setup_), storage_, random_, shared.log),
      network_(shared.context, *this, shared.log, network_options(shared, setup_)) {
    if (setup_.netem) {
        for (const DeviceNetem& netem : *setup_.netem) {
            // Checked when the command line was read: a refusal here cannot happen.
            (void)modem_.set_netem(netem.direction, netem.client, netem.spec);
        }
    }
}

Device::~Device() = default;

void Device::boot(TimePoint now) {
    booted_ = true;
    modem_.start(now);
    (void)modem_.take_host_output();  // RDY, APP RDY: the script finds a modem that has started
    shared_.host.deadline_changed(slot_);
}

void Device::begin(TimePoint now) {
    if (stopped_) {
        return;
    }
    (void)modem_.take_host_output();  // what came between iterations, nobody's
    // The device's own variables are looked up where they are, not copied into each run: what
    // the script sets or captures is the run's and comes first (docs/SCRIPTS.md, "Variables").
    // The lambda holds one pointer: std::function keeps it without allocating.
    script::Variables variables{{}, [this](std::string_view name) -> std::optional<std::string> {
                                    const auto it = setup_.variables.find(name);
                                    if (it == setup_.variables.end()) {
                                        return std::nullopt;
                                    }
                                    return it->second;
                                }};
    // The script is shared (it outlives the loop); a fleet counts verdicts, keeps no reports.
    runner_ = std::make_unique<script::Runner>(shared_.script, std::move(variables), nullptr,
                                               script::Keep::Verdict);
    runner_->start(now);
    pump(now);
}

void Device::cut(TimePoint) {
    runner_.reset();
    shared_.host.deadline_changed(slot_);
}

void Device::reboot(TimePoint now) {
    modem_.reboot(now);
    drain_network();
    network_.close_all();  // a restart drops every client and its socket
    (void)modem_.take_host_output();
    shared_.host.deadline_changed(slot_);
}

void Device::stop(TimePoint now) {
    if (stopped_) {
        return;
    }
    runner_.reset();
    stopped_ = true;
    modem_.on_exit(now);
    drain_network();  // a DTLS close_notify leaves before the sockets close
    network_.close_all();
    shared_.host.deadline_changed(slot_);
}

void Device::on_timer(TimePoint now) {
    if (stopped_) {
        return;
    }
    if (const auto at = modem_.next_deadline(); at && *at <= now) {
        modem_.on_timeout(now);
    }
    if (runner_) {
        if (const auto at = runner_->next_deadline(); at && *at <= now) {
            runner_->on_timeout(now);
        }
    }
    pump(now);
}

std::optional<TimePoint> Device::next_deadline() const {
    if (stopped_) {
        return std::nullopt;
    }
    std::optional<TimePoint> next = modem_.next_deadline();
    if (runner_) {
        if (const auto at = runner_->next_deadline(); at && (!next || *at < *next)) {
            next = at;
        }
    }
    if (pump_again_) {
        // Due at once: the loop takes it on its next turn, after the other devices' events.
        next = next ? std::min(*next, pump_at_) : pump_at_;
    }
    return next;
}

void Device::on_socket_opened(net::SocketId socket, net::OpenResult result) {
    if (stopped_) {
        return;
    }
    const TimePoint now = io::monotonic_now();
    modem_.on_socket_opened(socket, result, now);
    pump(now);
}

void Device::on_datagram(net::SocketId socket, ByteView datagram) {
    if (stopped_) {
        return;
    }
    const TimePoint now = io::monotonic_now();
    modem_.on_datagram(socket, datagram, now);
    pump(now);
}

// Network requests first, so a datagram leaves before the runner reads the OK that follows it
// (as io::Shell does); then the bytes each side wrote go to the other, until neither writes.
void Device::pump(TimePoint now) {
    pump_again_ = false;
    for (int round = 0;; ++round) {
        drain_network();
        Bytes output = modem_.take_host_output();
        if (runner_ && !output.empty()) {
            runner_->on_output(output, now);
        }
        Bytes input = runner_ ? runner_->take_input() : Bytes{};
        if (runner_) {
            (void)runner_->take_reports();  // a failed step's, which a fleet does not keep
        }
        if (!input.empty()) {
            modem_.on_host_bytes(input, now);
        }
        if (runner_ && runner_->verdict() != script::Verdict::Running) {
            drain_network();
            check_verdict(now);
            return;
        }
        if (input.empty() && output.empty()) {
            break;
        }
        if (round + 1 == kMaxPumpRounds) {
            pump_again_ = true;
            pump_at_ = now;
            break;
        }
    }
    shared_.host.deadline_changed(slot_);
}

void Device::drain_network() {
    for (net::Request& request : modem_.take_network_requests()) {
        network_.handle(std::move(request));
    }
}

void Device::check_verdict(TimePoint now) {
    const script::Verdict verdict = runner_->verdict();
    runner_.reset();
    shared_.host.iteration_ended(slot_, verdict, now);
    shared_.host.deadline_changed(slot_);
}

}  // namespace atcoap::fleet
