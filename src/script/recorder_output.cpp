// The modem's side of the recorder: output cut into lines as the runner cuts it
// (docs/SCRIPTS.md, "Output lines"), each line an expectation, URCs with their time and captures.
#include <fmt/format.h>

#include <array>
#include <charconv>

#include "script/recorder.hpp"

namespace atcoap::script {

using record::Piece;

namespace {

/// The URCs a script waits for in any order (docs/AT_COAP.md "URCs", docs/DIALECT.md §8): the
/// same prefix is a response while the command of that name runs (AT+QCOAPOPEN?).
constexpr std::array<std::string_view, 8> kUrcs = {"+QCOAPRECV", "+QCOAPACK",   "+QCOAPIND",
                                                   "+QCOAPOPEN", "+QCOAPCLOSE", "+QCOAPURC",
                                                   "+QIURC",     "+CEREG"};

std::string upper_hex(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'f') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

}  // namespace

void Recorder::on_output(ByteView bytes, TimePoint now) {
    if (stopped_) {
        return;  // past the bound nothing more is kept, captures included
    }
    for (const std::uint8_t c : bytes) {
        output_byte(c, now);
    }
    // A prompt that ends the output so far is the line `>` (docs/SCRIPTS.md, "Output lines").
    if (partial_ == "> ") {
        partial_.clear();
        output_line(">", false, false, now);
    }
}

void Recorder::output_byte(unsigned char c, TimePoint now) {
    if (recv_lf_pending_) {
        recv_lf_pending_ = false;
        if (c == '\n') {
            return;  // the end of the +QCOAPRECV line, not its payload
        }
    }
    const bool payload = recv_left_ > 0;
    if (payload) {
        --recv_left_;
    }
    if (c == '\r' || c == '\n') {
        end_output_line(c == '\r', now);
        return;
    }
    if (partial_.empty()) {
        partial_payload_ = payload;
    }
    partial_.push_back(static_cast<char>(c));
    if (partial_.size() >= kMaxRecordedLine) {
        end_output_line(false, now);  // the runner cuts such a line too
    } else if (mode_ == Mode::AwaitPrompt && partial_ == "> ") {
        // The prompt, with the payload the host typed ahead echoed right after it.
        partial_.clear();
        output_line(">", false, false, now);
    }
}

void Recorder::end_output_line(bool by_cr, TimePoint now) {
    if (partial_.empty()) {
        return;  // empty lines are skipped, by the runner too
    }
    const std::string line = std::move(partial_);
    partial_.clear();
    output_line(line, by_cr, partial_payload_, now);
}

void Recorder::output_line(std::string line, bool by_cr, bool payload, TimePoint now) {
    if (!host_started_ && (line == "RDY" || line == "APP RDY")) {
        return;  // a script starts with a started module (docs/SCRIPTS.md, "Running scripts")
    }
    flush_payload();
    if (echo_.is_echo(line)) {
        return;
    }
    const std::string time = within(now);
    std::string pattern = record::quote_regex(line);
    if (const auto status = open_status_pattern(line)) {
        pattern = *status;
    }
    if (payload) {
        emit(fmt::format("expect-urc within {} {}", recv_within_, pattern));
    } else if (const auto urc = urc_pattern(line, by_cr, time)) {
        emit(fmt::format("expect-urc within {} {}", time, *urc));
    } else if (time != record::seconds_text(kDefaultTimeout) || pattern.starts_with("within")) {
        emit(fmt::format("expect within {} {}", time, pattern));
    } else {
        emit("expect " + pattern);
    }
    echo_.clear();  // the runner reads this line after what was sent: no echo is due any more
    after_output_line(line, now);
}

/// Twice the delay since the host last wrote, plus one second, in whole seconds and at least
/// the default timeout: room for a real module or server that is slower than this run.
std::string Recorder::within(TimePoint now) const {
    const Duration delay = host_started_ && now > last_host_ ? now - last_host_ : Duration{0};
    const auto seconds =
        std::chrono::ceil<std::chrono::seconds>(2 * delay + std::chrono::seconds(1));
    return record::seconds_text(std::max<Duration>(seconds, kDefaultTimeout));
}

std::optional<std::string> Recorder::urc_pattern(std::string_view line, bool by_cr,
                                                 const std::string& within) {
    if (line == "RDY" || line == "APP RDY") {
        return record::quote_regex(line);  // a reboot
    }
    std::string_view name;
    for (const std::string_view urc : kUrcs) {
        if (line.starts_with(urc) && line.size() > urc.size() && line[urc.size()] == ':') {
            name = urc;
        }
    }
    if (name.empty() || open_names_.contains(std::string(name))) {
        return std::nullopt;
    }
    // The message IDs and tokens the module or the server chose (docs/AT_COAP.md "URCs").
    const std::size_t body =
        name.size() + (line.size() > name.size() + 1 && line[name.size() + 1] == ' ' ? 2 : 1);
    const auto fields = record::split_fields(line.substr(body));
    std::optional<std::size_t> mid;
    std::optional<std::size_t> token;
    if (name == "+QCOAPRECV" && fields.size() >= 7) {
        mid = 1;
        token = 4;
        std::size_t length = 0;
        const std::string_view last = fields.back().text;
        if (std::from_chars(last.data(), last.data() + last.size(), length).ec == std::errc()) {
            recv_left_ = length;
            recv_lf_pending_ = by_cr;
            recv_within_ = within;
        }
    } else if ((name == "+QCOAPACK" || name == "+QCOAPIND") && fields.size() >= 4) {
        mid = 2;
    }
    std::vector<Piece> pieces;
    std::size_t done = 0;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i != mid && i != token) {
            continue;
        }
        const std::size_t at = body + fields[i].offset;
        pieces.push_back(Piece{Piece::Kind::Literal, std::string(line.substr(done, at - done))});
        pieces.push_back(value_piece(fields[i].text, i == token));
        done = at + fields[i].text.size();
    }
    pieces.push_back(Piece{Piece::Kind::Literal, std::string(line.substr(done))});
    return record::pattern_of(pieces);
}

/// A value in a URC: a variable when an earlier capture holds it, itself when the host chose it
/// (or it is empty), else a new capture MIDn or TOKENn.
Piece Recorder::value_piece(std::string_view value, bool token) {
    const std::string key = upper_hex(value);
    if (const auto it = captures_.find({token, key}); it != captures_.end()) {
        return Piece{Piece::Kind::Variable, it->second};
    }
    if (value.empty() || host_fields_.contains(key)) {
        return Piece{Piece::Kind::Literal, std::string(value)};
    }
    const std::string name =
        token ? fmt::format("TOKEN{}", ++tokens_) : fmt::format("MID{}", ++mids_);
    captures_[{token, key}] = name;
    return Piece{Piece::Kind::Regex, fmt::format("(?P<{}>{})", name, token ? "[0-9A-F]*" : "\\d+")};
}

/// What an output line tells of the host's side: a prompt or CONNECT opens the data phase the
/// last command asked for, a final result without one leaves it unopened (the bytes typed ahead
/// are commands then), a reboot ends everything (docs/DIALECT.md §1, §8).
void Recorder::after_output_line(const std::string& line, TimePoint now) {
    const bool final = is_final_result(line);
    if (final) {
        open_names_.clear();
        awaiting_final_ = false;
    }
    if (line == "RDY") {
        mode_ = Mode::Command;
        awaiting_final_ = false;
        payload_.clear();
        open_names_.clear();
    }
    switch (mode_) {
        case Mode::AwaitPrompt:
            mode_ = line == ">" ? Mode::Payload : final ? Mode::Command : mode_;
            break;
        case Mode::AwaitConnect:
            mode_ = line == "CONNECT" ? Mode::Upload : final ? Mode::Command : mode_;
            break;
        case Mode::Upload:
            if (final || line.starts_with("+QFUPL:")) {
                end_phase();  // by its timeout or `+++`, with fewer bytes than announced
            }
            break;
        case Mode::Command:
        case Mode::Payload:
            break;
    }
    drain(now);
}

}  // namespace atcoap::script
