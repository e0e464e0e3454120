#pragma once
// The host side of the exchange benchmark: what firmware on a microcontroller does with the
// module's UART. AtHost drives atcoap with the note's commands; RelayHost drives the relay (the
// floor) with the same lines. Both read through one LineReader, so the host's own cost is the
// same on both sides.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "exchange_process.hpp"

namespace atcoap::bench {

/// The longest any one answer may take before the run is declared stuck.
inline constexpr std::chrono::milliseconds kAnswerBound{5000};

/// The exchange line: CON (0), GET (1), the slots of bitmask 1 (Uri-Path), no payload (0).
inline constexpr std::string_view kSendLine = "AT+QCOAPSEND=0,0,1,1,0\r\n";

/// Lines (without their CR LF) from a child's output, read as they are needed.
class LineReader {
  public:
    explicit LineReader(Child& child) : child_(child) {}

    /// The next line that is not empty, valid until the next call; nullopt past the deadline.
    std::optional<std::string_view> next_line(Clock::time_point deadline);

    /// Skips exactly `count` bytes (a payload) and the CR LF after them.
    bool skip_payload(std::size_t count, Clock::time_point deadline);

  private:
    bool fill(Clock::time_point deadline);

    Child& child_;
    std::string buffer_;
    std::size_t read_ = 0;  // bytes of buffer_ already handed out
};

class AtHost {
  public:
    explicit AtHost(Child& modem) : modem_(modem), lines_(modem) {}

    /// Waits for the start-up lines (RDY, APP RDY), then turns echo off (ATE0), as a host does.
    Status<std::string> start();

    /// Writes `command` and CR LF; success on the final OK, failure on anything else.
    Status<std::string> command(std::string_view command);

    /// AT+QCOAPOPEN on 127.0.0.1:`port`, through to its +QCOAPOPEN URC.
    Status<std::string> open_client(int id, std::uint16_t port);

    /// AT+QCOAPCLOSE, through to its +QCOAPCLOSE URC.
    Status<std::string> close_client(int id);

    /// The header (message ID `first_id`, then +1 per message; the shared fixed token) and the
    /// Uri-Path option in slot 0, set once per client.
    Status<std::string> prepare_client(int id, std::uint16_t first_id);

    /// One exchange on client `id`: the SEND line, then OK, +QCOAPACK (acknowledged) and a
    /// +QCOAPRECV of 2.05 with its payload.
    Status<std::string> exchange(int id);

    /// The next line is exactly `urc` (the answer to `command`, named in the error).
    Status<std::string> expect_urc(std::string_view urc, std::string_view command);

  private:
    Child& modem_;
    LineReader lines_;
};

class RelayHost {
  public:
    explicit RelayHost(Child& relay) : relay_(relay), lines_(relay) {}

    /// The same SEND line as AtHost writes; the relay answers with one line.
    Status<std::string> exchange();

  private:
    Child& relay_;
    LineReader lines_;
};

}  // namespace atcoap::bench
