#pragma once
// Everything the modem writes to the host goes through here: the one place where `\r\n`
// framing is written (docs/DIALECT.md §1). It also holds URCs back while a command's response or a
// data phase is open, and flushes them in order once the final result code is out.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"

namespace atcoap::at {

/// AT+CMEE: how a +CME error is reported (docs/DIALECT.md §2).
enum class CmeeMode { Plain = 0, Numeric = 1, Verbose = 2 };

class Responder {
  public:
    /// Marks the start of a command's response: URCs wait from now on.
    void begin_response();

    /// An information line of the response: `\r\n` opens the block, each line ends in `\r\n`.
    void info(std::string_view line);

    /// Bytes written as they are (a file's content after CONNECT).
    void raw(ByteView bytes);

    /// Intermediate results that open a data phase; the response stays open.
    void connect();
    void prompt();

    void ok();
    void error();
    /// `+CME ERROR: <code>` or the verbose text, as AT+CMEE says; plain ERROR with CMEE 0.
    void cme_error(int code, std::string_view text);

    /// Queues a URC; written at once when no response is open.
    void urc(std::string_view line);
    /// The same with a payload after the line, verbatim and closed by `\r\n` even when it is
    /// empty (+QCOAPRECV, docs/DIALECT.md §3).
    void urc_with_payload(std::string_view line, ByteView payload);

    /// Echo of command-line input: written at once, whatever is open.
    void echo(ByteView bytes);

    /// Called with every URC line (without its framing) as it is queued, whether it is written
    /// at once or held back: the modem reports it to its observers. One listener.
    void on_urc(std::function<void(std::string_view)> listener) {
        urc_listener_ = std::move(listener);
    }

    /// A restart of the module: an open response and the URCs it held back are dropped, and
    /// AT+CMEE is back to its default. What was already written stays in the output.
    void restart();

    void set_cmee(CmeeMode mode) { cmee_ = mode; }
    CmeeMode cmee() const { return cmee_; }
    bool response_open() const { return open_; }

    Bytes take_output();
    /// A new host is on the line: output not taken yet, URCs held back and an open response
    /// are dropped, as a UART with nobody listening loses them.
    void drop_output();

  private:
    void queue_urc(std::string_view line, std::optional<ByteView> payload);
    void finish(std::string_view result_line);
    void append(std::string_view text);
    void append(ByteView bytes);
    void flush_urcs();

    Bytes out_;
    // URCs held back while a response is open, framed and in order, one after the other.
    Bytes pending_urcs_;
    std::function<void(std::string_view)> urc_listener_;
    CmeeMode cmee_ = CmeeMode::Numeric;
    bool open_ = false;
    bool info_started_ = false;
};

}  // namespace atcoap::at
