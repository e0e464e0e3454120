#include "exchange_hosts.hpp"

#include <charconv>

#include "exchange_server.hpp"

namespace atcoap::bench {

namespace {

Clock::time_point answer_deadline() {
    return Clock::now() + kAnswerBound;
}

std::string send_line(int id) {
    return "AT+QCOAPSEND=" + std::to_string(id) + ",0,1,1,0\r\n";
}

// The <length> that ends a +QCOAPRECV line (docs/AT_COAP.md): the payload's byte count.
std::optional<std::size_t> payload_length(std::string_view line) {
    const std::size_t comma = line.rfind(',');
    if (comma == std::string_view::npos) {
        return std::nullopt;
    }
    std::size_t length = 0;
    const char* first = line.data() + comma + 1;
    const char* last = line.data() + line.size();
    const auto parsed = std::from_chars(first, last, length);
    if (parsed.ec != std::errc() || parsed.ptr != last) {
        return std::nullopt;
    }
    return length;
}

std::string unexpected(std::string_view what, std::string_view line) {
    return std::string(what) + ": unexpected line '" + std::string(line) + "'";
}

}  // namespace

bool LineReader::fill(Clock::time_point deadline) {
    if (read_ == buffer_.size()) {
        buffer_.clear();
        read_ = 0;
    }
    return child_.read_some(buffer_, deadline);
}

std::optional<std::string_view> LineReader::next_line(Clock::time_point deadline) {
    for (;;) {
        const std::size_t end = buffer_.find("\r\n", read_);
        if (end == std::string::npos) {
            if (!fill(deadline)) {
                return std::nullopt;
            }
            continue;
        }
        std::string_view line(buffer_.data() + read_, end - read_);
        read_ = end + 2;
        // An echoed command line ends in its own CR before the response's CR LF (V.250).
        while (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (!line.empty()) {
            return line;
        }
    }
}

bool LineReader::skip_payload(std::size_t count, Clock::time_point deadline) {
    while (buffer_.size() - read_ < count + 2) {
        if (!fill(deadline)) {
            return false;
        }
    }
    const bool framed = buffer_.compare(read_ + count, 2, "\r\n") == 0;
    read_ += count + 2;
    return framed;
}

Status<std::string> AtHost::start() {
    const auto deadline = answer_deadline();
    while (auto line = lines_.next_line(deadline)) {
        if (*line == "APP RDY") {
            return command("ATE0");
        }
    }
    return fail(std::string("no APP RDY from atcoap"));
}

Status<std::string> AtHost::command(std::string_view command) {
    if (!modem_.write_all(std::string(command) + "\r\n")) {
        return fail("atcoap's input is closed at " + std::string(command));
    }
    const auto deadline = answer_deadline();
    while (auto line = lines_.next_line(deadline)) {
        if (*line == "OK") {
            return Done{};
        }
        // ATE0's own line is still echoed (echo ends after it); anything else is an error.
        if (*line != command) {
            return fail(unexpected(command, *line));
        }
    }
    return fail("no answer to " + std::string(command));
}

Status<std::string> AtHost::expect_urc(std::string_view urc, std::string_view command) {
    auto line = lines_.next_line(answer_deadline());
    if (!line) {
        return fail("no URC after " + std::string(command));
    }
    if (*line != urc) {
        return fail(unexpected(command, *line));
    }
    return Done{};
}

Status<std::string> AtHost::open_client(int id, std::uint16_t port) {
    const std::string open =
        "AT+QCOAPOPEN=" + std::to_string(id) + ",\"127.0.0.1\"," + std::to_string(port);
    if (auto done = command(open); !done) {
        return done;
    }
    return expect_urc("+QCOAPOPEN: " + std::to_string(id) + ",0", open);
}

Status<std::string> AtHost::close_client(int id) {
    const std::string close = "AT+QCOAPCLOSE=" + std::to_string(id);
    if (auto done = command(close); !done) {
        return done;
    }
    return expect_urc("+QCOAPCLOSE: " + std::to_string(id) + ",0", close);
}

Status<std::string> AtHost::prepare_client(int id, std::uint16_t first_id) {
    const std::string client = std::to_string(id);
    if (auto header = command("AT+QCOAPHEADER=" + client + "," + std::to_string(first_id) +
                              ",0,4," + kTokenHex);
        !header) {
        return header;
    }
    return command("AT+QCOAPOPTION=" + client + ",0,0,11,\"" + kResource + "\"");
}

Status<std::string> AtHost::exchange(int id) {
    // Client 0 carries the timed loop: its line is a constant, built by nobody per exchange.
    const std::string other_line = id == 0 ? std::string() : send_line(id);
    if (!modem_.write_all(id == 0 ? kSendLine : std::string_view(other_line))) {
        return fail(std::string("atcoap's input is closed"));
    }
    const std::string recv_prefix = "+QCOAPRECV: " + std::to_string(id) + ",";
    const auto deadline = answer_deadline();
    bool ok = false;
    bool acked = false;
    while (auto line = lines_.next_line(deadline)) {
        if (*line == "OK") {
            ok = true;
        } else if (line->starts_with("+QCOAPACK: ") && line->ends_with(",0")) {
            acked = true;
        } else if (line->starts_with(recv_prefix) &&
                   line->find(",2.05,") != std::string_view::npos) {
            const auto length = payload_length(*line);
            if (!length || !lines_.skip_payload(*length, deadline)) {
                return fail(unexpected("payload", *line));
            }
            if (ok && acked) {
                return Done{};
            }
            return fail(std::string("+QCOAPRECV before OK and +QCOAPACK"));
        } else {
            return fail(unexpected("AT+QCOAPSEND", *line));
        }
    }
    return fail(std::string("no +QCOAPRECV within the bound"));
}

Status<std::string> RelayHost::exchange() {
    if (!relay_.write_all(kSendLine)) {
        return fail(std::string("the relay's input is closed"));
    }
    if (!lines_.next_line(answer_deadline())) {
        return fail(std::string("no answer line from the relay"));
    }
    return Done{};
}

}  // namespace atcoap::bench
