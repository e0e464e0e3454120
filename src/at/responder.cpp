#include "at/responder.hpp"

#include <fmt/format.h>

namespace atcoap::at {

namespace {
constexpr std::string_view kCrLf = "\r\n";
}

void Responder::append(std::string_view text) {
    const ByteView bytes = as_bytes(text);
    out_.insert(out_.end(), bytes.begin(), bytes.end());
}

void Responder::begin_response() {
    open_ = true;
    info_started_ = false;
}

void Responder::info(std::string_view line) {
    if (!info_started_) {
        append(kCrLf);
        info_started_ = true;
    }
    append(line);
    append(kCrLf);
}

void Responder::raw(ByteView bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    // Information lines after raw data open a fresh block (`\r\n+QFDWL: ...`).
    info_started_ = false;
}

void Responder::connect() {
    append("\r\nCONNECT\r\n");
    info_started_ = false;
}

void Responder::prompt() {
    // DIALECT.md §3: the prompt is `\r\n> `, with no line end after it.
    append("\r\n> ");
    info_started_ = false;
}

void Responder::finish(std::string_view result_line) {
    append(kCrLf);
    append(result_line);
    append(kCrLf);
    open_ = false;
    info_started_ = false;
    flush_urcs();
}

void Responder::ok() {
    finish("OK");
}

void Responder::error() {
    finish("ERROR");
}

void Responder::cme_error(int code, std::string_view text) {
    switch (cmee_) {
        case CmeeMode::Plain:
            finish("ERROR");
            break;
        case CmeeMode::Numeric:
            finish(fmt::format("+CME ERROR: {}", code));
            break;
        case CmeeMode::Verbose:
            finish(fmt::format("+CME ERROR: {}", text));
            break;
    }
}

void Responder::urc(std::string_view line) {
    queue_urc(line, std::nullopt);
}

void Responder::urc_with_payload(std::string_view line, ByteView payload) {
    queue_urc(line, payload);
}

void Responder::queue_urc(std::string_view line, std::optional<ByteView> payload) {
    Bytes framed;
    framed.reserve(line.size() + (payload ? payload->size() : 0) + 6);
    auto add = [&framed](ByteView bytes) {
        framed.insert(framed.end(), bytes.begin(), bytes.end());
    };
    add(as_bytes(kCrLf));
    add(as_bytes(line));
    add(as_bytes(kCrLf));
    // DIALECT.md §3: the payload and its CR LF follow the line whatever the length, so a host
    // reads <length> bytes and then CR LF, also for an empty payload.
    if (payload) {
        add(*payload);
        add(as_bytes(kCrLf));
    }
    pending_urcs_.push_back(std::move(framed));
    if (!open_) {
        flush_urcs();
    }
}

void Responder::flush_urcs() {
    for (const Bytes& urc : pending_urcs_) {
        out_.insert(out_.end(), urc.begin(), urc.end());
    }
    pending_urcs_.clear();
}

void Responder::echo(ByteView bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
}

Bytes Responder::take_output() {
    Bytes taken;
    taken.swap(out_);
    return taken;
}

}  // namespace atcoap::at
