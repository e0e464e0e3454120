// The host's side of the recorder: command lines, data phases, and the script's text
// (docs/SCRIPTS.md, "Recording a session"; the AT framing of docs/DIALECT.md §1).
#include "script/recorder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace atcoap::script {

using record::arguments_of;
using record::number;
using record::Piece;
using record::upper;

Recorder::Recorder(Logger& logger, std::size_t max_script)
    : logger_(logger), max_script_(max_script) {}

void Recorder::on_host_bytes(ByteView bytes, TimePoint now) {
    if (bytes.empty() || stopped_) {
        return;
    }
    host_started_ = true;
    if (queue_.size() - queue_at_ + bytes.size() > kMaxTypedAhead) {
        overflow_once("input the modem had not read yet", kMaxTypedAhead);
        return;
    }
    queue_.append(as_text(bytes));
    drain(now);
}

/// Whether the modem reads the host's next byte now: in a data phase, or in command mode once
/// the last command line has its final result.
bool Recorder::ready() const {
    return mode_ == Mode::Payload || mode_ == Mode::Upload ||
           (mode_ == Mode::Command && !awaiting_final_);
}

void Recorder::drain(TimePoint now) {
    while (queue_at_ < queue_.size() && ready()) {
        last_host_ = now;
        host_byte(static_cast<unsigned char>(queue_[queue_at_++]));
    }
    if (queue_at_ == queue_.size() || queue_at_ > kMaxRecordedLine) {
        queue_.erase(0, queue_at_);
        queue_at_ = 0;
    }
}

void Recorder::on_host_attached(TimePoint) {
    line_.clear();
    queue_.clear();
    queue_at_ = 0;
    awaiting_final_ = false;
    payload_.clear();
    after_cr_ = false;
    mode_ = Mode::Command;
    if (host_started_) {
        emit("# a new host attached here");
    }
}

void Recorder::host_byte(unsigned char c) {
    if (after_cr_) {
        // The byte after a command line's CR tells CR LF from a bare CR (docs/DIALECT.md §1).
        after_cr_ = false;
        if (unresolved_send_ && *unresolved_send_ < entries_.size()) {
            entries_[*unresolved_send_].line_end = c == '\n' ? LineEnd::CrLf : LineEnd::Cr;
        }
        unresolved_send_.reset();
        if (c == '\n') {
            return;
        }
    }
    if (mode_ == Mode::Payload || mode_ == Mode::Upload) {
        payload_byte(c);
    } else {
        command_byte(c);  // drain() calls this only in command mode
    }
}

void Recorder::command_byte(unsigned char c) {
    if (c == '\r') {
        end_command_line();
    } else if (c == '\n') {
        // The modem ignores LF in command mode (docs/DIALECT.md §1), and so does the script.
    } else if (line_.size() < kMaxRecordedLine) {
        line_.push_back(static_cast<char>(c));
    } else {
        overflow_once("a command line", kMaxRecordedLine);
    }
}

void Recorder::end_command_line() {
    after_cr_ = true;
    if (line_.empty()) {
        return;  // a stray CR (after Ctrl+Z, say): the modem answers nothing
    }
    const std::string line = upper(line_);
    learn_server(line);
    emit("send " + record::text_argument(substitute(line_)), true);
    echo_.sent(line_, EchoFilter::Kind::Command, kMaxRecordedLine);
    line_.clear();
    if (!stopped_) {
        unresolved_send_ = entries_.size() - 1;
    }
    // A line with an `AT` prefix gets a final result; one without is noise, answered by nothing.
    awaiting_final_ = line.find("AT") != std::string::npos;
    open_names_.clear();
    for (std::size_t at = line.find('+'); at != std::string::npos; at = line.find('+', at + 1)) {
        std::size_t end = at + 1;
        while (end < line.size() && std::isalnum(static_cast<unsigned char>(line[end])) != 0) {
            ++end;
        }
        open_names_.insert(line.substr(at, end - at));
    }
    learn_host_fields(line);
    open_phase(line);
}

/// AT+QCOAPSEND with a length N > 0 reads N bytes after `> `, without one up to Ctrl+Z or ESC;
/// AT+QFUPL reads `<size>` bytes (default 10240) after CONNECT (docs/DIALECT.md §3, §5).
void Recorder::open_phase(std::string_view line) {
    if (const auto args = arguments_of(line, "+QCOAPSEND=")) {
        const auto fields = record::split_fields(*args);
        if (fields.size() == 4) {
            phase_left_ = kUntilCtrlZ;
            mode_ = Mode::AwaitPrompt;
        } else if (fields.size() == 5) {
            const auto length = number(fields[4].text);
            if (length && *length > 0) {
                phase_left_ = static_cast<std::size_t>(*length);
                mode_ = Mode::AwaitPrompt;
            }
        }
    } else if (const auto upload = arguments_of(line, "+QFUPL=")) {
        const auto fields = record::split_fields(*upload);
        const auto size = fields.size() > 1 ? number(fields[1].text) : std::optional<long>(10240);
        if (size && *size > 0) {
            phase_left_ = static_cast<std::size_t>(*size);
            mode_ = Mode::AwaitConnect;
        }
    }
}

void Recorder::payload_byte(unsigned char c) {
    if (mode_ == Mode::Payload && phase_left_ == kUntilCtrlZ && (c == 0x1A || c == 0x1B)) {
        flush_payload();
        emit(c == 0x1A ? "ctrl-z" : "esc");
        mode_ = Mode::Command;
        return;
    }
    payload_.push_back(static_cast<char>(c));
    if (phase_left_ != kUntilCtrlZ && --phase_left_ == 0) {
        end_phase();
    } else if (payload_.size() >= kRecordedWriteChunk) {
        flush_payload();
    }
}

void Recorder::end_phase() {
    flush_payload();
    mode_ = Mode::Command;
}

void Recorder::flush_payload() {
    if (payload_.empty()) {
        return;
    }
    if (record::is_text(payload_)) {
        emit("write " + record::text_argument({Piece{Piece::Kind::Literal, payload_}}, true));
    } else {
        emit("write hex " + record::hex_argument(payload_));
    }
    echo_.sent(payload_, EchoFilter::Kind::Payload, kMaxRecordedLine);
    payload_.clear();
}

void Recorder::emit(std::string text, bool send) {
    if (stopped_) {
        return;
    }
    const std::size_t cost = text.size() + 1 + (send ? 16 : 0);  // room for a line-end step
    if (size_ + cost > max_script_) {
        stopped_ = true;
        logger_.log(LogLevel::Warn, fmt::format("--record: the script reached its bound of {} "
                                                "bytes; recording stops here",
                                                max_script_));
        return;
    }
    size_ += cost;
    entries_.push_back(Entry{std::move(text), send, std::nullopt});
}

void Recorder::overflow_once(std::string_view what, std::size_t limit) {
    if (!overflowed_) {
        overflowed_ = true;
        logger_.log(LogLevel::Warn,
                    fmt::format("--record: {} longer than {} bytes; the rest is not recorded", what,
                                limit));
    }
}

std::string Recorder::script() {
    // What the modem never answered: its lines as they came.
    awaiting_final_ = false;
    if (mode_ == Mode::AwaitPrompt || mode_ == Mode::AwaitConnect) {
        mode_ = Mode::Command;
    }
    drain(last_host_);
    flush_payload();
    std::string out = "# Recorded by atcoap --record (docs/SCRIPTS.md, \"Recording a session\").\n";
    LineEnd current = LineEnd::CrLf;
    for (const Entry& entry : entries_) {
        if (entry.send) {
            const LineEnd end = entry.line_end.value_or(current);
            if (end != current) {
                out += end == LineEnd::Cr ? "line-end cr\n" : "line-end crlf\n";
                current = end;
            }
        }
        out += entry.text;
        out.push_back('\n');
    }
    if (stopped_) {
        out += fmt::format("# Recording stopped here: the script reached its bound of {} bytes.\n",
                           max_script_);
    }
    return out;
}

}  // namespace atcoap::script
