#include "modem/modem.hpp"

#include <fmt/format.h>

namespace atcoap::modem {

Modem::Modem(ModemOptions options, ufs::Storage& storage, Random& random, Logger& logger)
    : options_(std::move(options)),
      random_(random),
      logger_(logger),
      latency_(logger),
      netem_(options_.impairment_seed, logger),
      files_(storage),
      coap_(random, logger, responder_, radio_, observers_, options_.key_log),
      parts_{responder_, framer_, radio_, options_.identity, files_, coap_, ssl_, logger_},
      dispatcher_(modem_command_table(), parts_) {
    // docs/DIALECT.md §6: the clients hear of radio and PDP changes as they happen.
    radio_.on_change([this] { on_radio_change(); });
    active_reported_[0] = true;
    responder_.on_urc([this](std::string_view line) { observers_.urc(line); });
}

void Modem::start(TimePoint now) {
    now_ = now;
    responder_.urc("RDY");
    responder_.urc("APP RDY");
}

void Modem::on_host_bytes(ByteView bytes, TimePoint now) {
    now_ = now;
    framer_.feed(bytes, now);
    pump(now);
}

void Modem::on_exit(TimePoint now) {
    now_ = now;
    coap_.say_goodbye(now);
}

void Modem::on_host_attached(TimePoint) {
    if (phase_) {
        logger_.log(LogLevel::Warn,
                    "a new host is on the AT port: the previous host's data phase is dropped");
        phase_.reset();
    }
    framer_.drop_input();
    responder_.drop_output();
}

void Modem::on_timeout(TimePoint now) {
    now_ = now;
    for (const Arrival& arrival : netem_.on_timeout(now)) {
        deliver(arrival.socket, arrival.bytes, now);
    }
    coap_.on_timeout(now);
    pump(now);
}

std::optional<TimePoint> Modem::next_deadline() const {
    std::optional<TimePoint> earliest;
    for (const auto deadline : {framer_.next_deadline(), coap_.next_deadline(),
                                latency_.next_deadline(), netem_.next_deadline()}) {
        if (deadline && (!earliest || *deadline < *earliest)) {
            earliest = deadline;
        }
    }
    return earliest;
}

Bytes Modem::take_host_output() {
    Bytes written = responder_.take_output();
    if (!latency_.engaged()) {
        return written;
    }
    return latency_.pass(std::move(written), now_, random_);
}

std::vector<net::Request> Modem::take_network_requests() {
    // The observers see what went on the air: after the impairment, each copy when it leaves.
    std::vector<net::Request> requests = netem_.send(coap_.take_requests(), now_);
    if (observers_.watched()) {
        for (const net::Request& request : requests) {
            if (const auto* send = std::get_if<net::SendDatagram>(&request)) {
                observers_.wire(Direction::Sent, send->id, send->bytes);
            }
        }
    }
    return requests;
}

void Modem::on_socket_opened(net::SocketId socket, net::OpenResult result, TimePoint now) {
    now_ = now;
    coap_.on_socket_opened(socket, result, now);
}

void Modem::on_datagram(net::SocketId socket, ByteView datagram, TimePoint now) {
    now_ = now;
    if (!netem_.impairs_down(socket.client)) {
        deliver(socket, datagram, now);
        return;
    }
    for (const Arrival& arrival : netem_.receive(socket, datagram, now)) {
        deliver(arrival.socket, arrival.bytes, now);
    }
}

// A datagram that came through the air (and the down impairment): observers see it as it
// reaches the client.
void Modem::deliver(net::SocketId socket, ByteView datagram, TimePoint now) {
    observers_.wire(Direction::Received, socket, datagram);
    coap_.on_datagram(socket, datagram, now);
}

bool Modem::busy() const {
    // Datagrams held by an impairment are still on their way: the end of input waits for them.
    return framer_.mode() != at::Framer::Mode::Command || coap_.busy() || latency_.holding() ||
           netem_.next_deadline().has_value();
}

void Modem::pump(TimePoint now) {
    while (true) {
        std::optional<at::FramerEvent> event = framer_.next(now);
        responder_.echo(framer_.take_echo());
        if (!event) {
            return;
        }
        handle(*event, now);
        warn_of_lost_lf();
    }
}

void Modem::warn_of_lost_lf() {
    // docs/DIALECT.md §7: with bare-CR line ends, an LF that starts a data phase is taken as the
    // end of the command's line; the host probably meant it as data. Said once.
    const at::TerminatorStats& stats = framer_.terminator_stats();
    if (!lost_lf_reported_ && stats.bare_cr_lines > 0 && stats.data_lf_swallowed > 0) {
        lost_lf_reported_ = true;
        logger_.log(LogLevel::Warn,
                    "the host ends lines with a bare CR and a data phase began with LF: that LF "
                    "was taken as the line's end, not as data");
    }
}

void Modem::handle(const at::FramerEvent& event, TimePoint now) {
    if (const auto* line = std::get_if<at::CommandLine>(&event)) {
        run_command_line(line->text, now);
        return;
    }
    if (std::holds_alternative<at::LineTooLong>(event)) {
        logger_.log(LogLevel::Warn, fmt::format("ERROR: command line longer than {} characters",
                                                at::Framer::kMaxLineLength));
        responder_.begin_response();
        responder_.error();
        return;
    }
    if (!phase_) {
        logger_.log(LogLevel::Error, "data-phase input with no command waiting for it");
        return;
    }
    if (const auto* data = std::get_if<at::UploadData>(&event)) {
        phase_->on_upload_data(data->chunk);
        return;
    }
    end_phase(event, now);
}

void Modem::run_command_line(const std::string& line, TimePoint now) {
    // One reused buffer: every host line is logged, at Debug.
    if (logger_.enabled(LogLevel::Debug)) {
        log_line_.assign("host: ");
        log_line_ += line;
        logger_.log(LogLevel::Debug, log_line_);
    }
    phase_ = dispatcher_.run_line(line, now);
    open_phase(now);
}

void Modem::open_phase(TimePoint now) {
    if (!phase_) {
        return;
    }
    const at::PhaseInput input = phase_->input();
    if (const auto* exact = std::get_if<at::PromptExact>(&input)) {
        responder_.prompt();
        framer_.expect_prompt_data(exact->length);
    } else if (const auto* until = std::get_if<at::PromptUntilCtrlZ>(&input)) {
        responder_.prompt();
        framer_.expect_prompt_until_ctrl_z(until->max_length);
    } else if (const auto* upload = std::get_if<at::UploadBytes>(&input)) {
        // docs/DIALECT.md §5: the inactivity timeout runs from the CONNECT.
        responder_.connect();
        framer_.expect_upload(upload->size, upload->inactivity_timeout, now);
    }
}

// The phase is over before the line goes on: a later command of it may open another one.
void Modem::end_phase(const at::FramerEvent& end, TimePoint now) {
    const std::unique_ptr<at::DataPhase> phase = std::move(phase_);
    const at::Outcome result = phase->finish(end, now);
    phase_ = dispatcher_.finish_phase(result, now);
    open_phase(now);
}

}  // namespace atcoap::modem
