#include "modem/modem.hpp"

#include <fmt/format.h>

#include "modem/coap_commands.hpp"
#include "modem/file_commands.hpp"
#include "modem/general_commands.hpp"
#include "modem/ssl_commands.hpp"

namespace atcoap::modem {

Modem::Modem(ModemOptions options, ufs::Storage& storage, Random& random, Logger& logger)
    : options_(std::move(options)),
      logger_(logger),
      dispatcher_(responder_, logger),
      files_(storage),
      coap_(random, logger, responder_, radio_, options_.key_log),
      context_{responder_,        dispatcher_, framer_, logger_, radio_,
               options_.identity, files_,      coap_,   ssl_} {
    add_general_commands(context_);
    add_file_commands(context_);
    add_coap_commands(context_);
    add_ssl_commands(context_);
}

void Modem::start(TimePoint now) {
    context_.now = now;
    responder_.urc("RDY");
    responder_.urc("APP RDY");
}

void Modem::on_host_bytes(ByteView bytes, TimePoint now) {
    framer_.feed(bytes, now);
    pump(now);
}

void Modem::on_timeout(TimePoint now) {
    coap_.refresh_links();
    coap_.on_timeout(now);
    pump(now);
}

std::optional<TimePoint> Modem::next_deadline() const {
    const auto framer = framer_.next_deadline();
    const auto coap = coap_.next_deadline();
    if (framer && coap) {
        return std::min(*framer, *coap);
    }
    return framer ? framer : coap;
}

Bytes Modem::take_host_output() {
    return responder_.take_output();
}

std::vector<net::Request> Modem::take_network_requests() {
    return coap_.take_requests();
}

void Modem::on_socket_opened(net::SocketId socket, net::OpenResult result, TimePoint now) {
    context_.now = now;
    coap_.on_socket_opened(socket, result, now);
}

void Modem::on_datagram(net::SocketId socket, ByteView datagram, TimePoint now) {
    context_.now = now;
    coap_.refresh_links();
    coap_.on_datagram(socket, datagram, now);
}

bool Modem::busy() const {
    return framer_.mode() != at::Framer::Mode::Command || coap_.busy();
}

void Modem::pump(TimePoint now) {
    context_.now = now;
    while (true) {
        std::optional<at::FramerEvent> event = framer_.next(now);
        responder_.echo(framer_.take_echo());
        if (!event) {
            return;
        }
        handle(std::move(*event));
        warn_of_lost_lf();
    }
}

void Modem::warn_of_lost_lf() {
    // DIALECT.md §7: with bare-CR line ends, an LF that starts a data phase is taken as the end
    // of the command's line; the host probably meant it as data. Said once.
    const at::TerminatorStats& stats = framer_.terminator_stats();
    if (!lost_lf_reported_ && stats.bare_cr_lines > 0 && stats.data_lf_swallowed > 0) {
        lost_lf_reported_ = true;
        logger_.log(LogLevel::Warn,
                    "the host ends lines with a bare CR and a data phase began with LF: that LF "
                    "was taken as the line's end, not as data");
    }
}

void Modem::handle(at::FramerEvent event) {
    if (const auto* line = std::get_if<at::CommandLine>(&event)) {
        run_command_line(line->text);
        return;
    }
    if (std::holds_alternative<at::LineTooLong>(event)) {
        logger_.log(LogLevel::Warn, "ERROR: command line longer than 4096 characters");
        responder_.begin_response();
        responder_.error();
        return;
    }
    if (!context_.data_sink) {
        logger_.log(LogLevel::Error, "data-phase input with no command waiting for it");
        return;
    }
    // A copy keeps the phase's session alive while it ends itself and clears the sink.
    const DataSink sink = context_.data_sink;
    sink(event);
}

void Modem::run_command_line(const std::string& line) {
    // One reused buffer: every host line is logged, at Debug.
    if (logger_.enabled(LogLevel::Debug)) {
        log_line_.assign("host: ");
        log_line_ += line;
        logger_.log(LogLevel::Debug, log_line_);
    }
    dispatcher_.run_line(line);
}

}  // namespace atcoap::modem
