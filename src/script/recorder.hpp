#pragma once
// `atcoap --record`: an AT session as a script (docs/SCRIPTS.md, "Recording a session"). Pure:
// the host's bytes and the modem's output come in with the time they were seen, the script's
// text comes out. What the host sent becomes `send`, `write`, `ctrl-z` and `esc` steps; each
// output line but the echo the runner skips an `expect` (URCs `expect-urc within T`), with
// captures in place of the message IDs and tokens the module or the server chose, `${NAME}`
// where the host sent one back, and the server of the first open as `${HOST}` and `${PORT}`.

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "script/echo.hpp"
#include "script/record_text.hpp"
#include "script/script.hpp"

namespace atcoap::script {

/// The recorded script's bound: past it, recording stops (one log line) and the script ends
/// with a comment saying so.
inline constexpr std::size_t kMaxRecordedScript = 16 * 1024 * 1024;
/// A command line and an output line are each kept up to this (the runner's line bound); a
/// longer command line loses its rest (one log line).
inline constexpr std::size_t kMaxRecordedLine = 64 * 1024;
/// Bytes the host typed ahead of the modem (before the answer to its last line) are kept up to
/// this; past it they are not recorded (one log line).
inline constexpr std::size_t kMaxTypedAhead = 16 * 1024 * 1024;
/// Payload bytes per `write` step.
inline constexpr std::size_t kRecordedWriteChunk = 1024;
/// Message IDs and tokens the host chose, remembered to keep them literal; past this many,
/// later ones are captured like the module's (which still matches).
inline constexpr std::size_t kMaxHostFields = 10'000;

class Recorder {
  public:
    explicit Recorder(Logger& logger, std::size_t max_script = kMaxRecordedScript);

    void on_host_bytes(ByteView bytes, TimePoint now);
    void on_output(ByteView bytes, TimePoint now);
    /// A new host on the line: the modem drops the half-typed line and an open data phase.
    void on_host_attached(TimePoint now);

    /// The script so far: what the host typed ahead is written as if answered, a half-typed
    /// payload is written, a half-typed command line is not.
    std::string script();
    bool stopped() const { return stopped_; }

  private:
    enum class Mode { Command, AwaitPrompt, AwaitConnect, Payload, Upload };
    struct Entry {
        std::string text;
        bool send = false;
        std::optional<LineEnd> line_end;  // a send's, known once the next host byte came
    };
    static constexpr std::size_t kUntilCtrlZ = static_cast<std::size_t>(-1);

    // Host side (recorder.cpp).
    void drain(TimePoint now);
    bool ready() const;
    void host_byte(unsigned char c);
    void command_byte(unsigned char c);
    void end_command_line();
    void open_phase(std::string_view upper_line);
    void payload_byte(unsigned char c);
    void end_phase();
    void flush_payload();
    void learn_host_fields(std::string_view upper_line);
    void learn_server(std::string_view upper_line);
    std::vector<record::Piece> substitute(const std::string& line) const;
    std::optional<std::string> open_status_pattern(std::string_view line) const;
    void emit(std::string text, bool send = false);
    void overflow_once(std::string_view what, std::size_t limit);

    // Output side (recorder_output.cpp).
    void output_byte(unsigned char c, TimePoint now);
    void end_output_line(bool by_cr, TimePoint now);
    void output_line(std::string line, bool by_cr, bool payload, TimePoint now);
    std::optional<std::string> urc_pattern(std::string_view line, bool by_cr,
                                           const std::string& within);
    record::Piece value_piece(std::string_view value, bool token);
    std::string within(TimePoint now) const;
    void after_output_line(const std::string& line, TimePoint now);

    Logger& logger_;
    std::size_t max_script_;
    std::size_t size_ = 0;
    bool stopped_ = false;
    bool overflowed_ = false;
    std::vector<Entry> entries_;
    std::optional<std::size_t> unresolved_send_;

    // The host's side.
    Mode mode_ = Mode::Command;
    bool host_started_ = false;
    bool after_cr_ = false;
    std::string line_;
    // What the host typed ahead: the modem reads a command line once the one before it has
    // its final result, and the script sends it then (docs/DIALECT.md §1).
    std::string queue_;
    std::size_t queue_at_ = 0;
    bool awaiting_final_ = false;
    std::string payload_;  // payload not yet written as a step
    std::size_t phase_left_ = 0;
    std::set<std::string> host_fields_;  // uppercase
    std::map<int, long> next_mid_;       // per client, from AT+QCOAPHEADER
    std::set<std::string> open_names_;   // "+QCOAPOPEN" while its command runs
    TimePoint last_host_{};
    // What was sent, whose echo the runner skips (docs/SCRIPTS.md, "Output lines"): the script
    // expects exactly what the runner will not skip.
    EchoFilter echo_;
    // The server of the first AT+QCOAPOPEN: ${HOST}, and ${PORT} (${DTLS_PORT} for a client
    // with DTLS on), in uppercase.
    std::string host_;
    std::string port_;
    std::string dtls_port_;
    std::set<int> dtls_clients_;

    // The modem's side.
    std::string partial_;
    bool partial_payload_ = false;
    std::size_t recv_left_ = 0;  // payload bytes of the last +QCOAPRECV still to come
    bool recv_lf_pending_ = false;
    std::string recv_within_;
    /// The latest capture of each value: (is a token, value in uppercase) to its name.
    std::map<std::pair<bool, std::string>, std::string> captures_;
    int mids_ = 0;
    int tokens_ = 0;
};

}  // namespace atcoap::script
