#include "at/responder.hpp"

#include <fmt/format.h>

namespace atcoap::at {

namespace {
constexpr std::string_view kCrLf = "\r\n";
// Room for a typical burst (a result code and a +QCOAPRECV with its payload) in one
// allocation, rather than growing from nothing after every take_output().
constexpr std::size_t kOutputReserve = 512;

void append_to(Bytes& out, ByteView bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}
}  // namespace

void Responder::append(std::string_view text) {
    append(as_bytes(text));
}

void Responder::append(ByteView bytes) {
    if (bytes.empty()) {
        return;
    }
    if (out_.capacity() == 0) {
        out_.reserve(kOutputReserve);
    }
    append_to(out_, bytes);
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
    append(bytes);
    // Information lines after raw data open a fresh block (`\r\n+QFDWL: ...`).
    info_started_ = false;
}

void Responder::connect() {
    append("\r\nCONNECT\r\n");
    info_started_ = false;
}

void Responder::prompt() {
    // docs/DIALECT.md §3: the prompt is `\r\n> `, with no line end after it.
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
    if (urc_listener_) {
        urc_listener_(line);
    }
    // With no response open nothing waits (queued URCs were flushed when it closed), so the
    // URC goes straight to the output.
    Bytes& to = open_ ? pending_urcs_ : out_;
    if (to.capacity() == 0) {
        to.reserve(kOutputReserve);
    }
    append_to(to, as_bytes(kCrLf));
    append_to(to, as_bytes(line));
    append_to(to, as_bytes(kCrLf));
    // docs/DIALECT.md §3: the payload and its CR LF follow the line whatever the length, so a host
    // reads <length> bytes and then CR LF, also for an empty payload.
    if (payload) {
        append_to(to, *payload);
        append_to(to, as_bytes(kCrLf));
    }
}

void Responder::flush_urcs() {
    append(pending_urcs_);
    pending_urcs_.clear();
}

void Responder::restart() {
    pending_urcs_.clear();
    open_ = false;
    info_started_ = false;
    cmee_ = CmeeMode::Numeric;
}

void Responder::echo(ByteView bytes) {
    append(bytes);
}

void Responder::drop_output() {
    out_.clear();
    pending_urcs_.clear();
    open_ = false;
}

Bytes Responder::take_output() {
    Bytes taken;
    taken.swap(out_);
    return taken;
}

}  // namespace atcoap::at
