#pragma once
// A strict reader of the modem's host output: a test states exactly what may come next, and
// anything else (an extra URC, a duplicate report, a stray byte) fails the run.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace atcoap::integration {

class OutputReader {
  public:
    explicit OutputReader(std::string output) : text_(std::move(output)) {}

    /// Consumes `text` when the output continues with it.
    bool take(std::string_view text);
    bool done() const { return at_ == text_.size(); }
    /// What is left, for failure messages (escaped, at most 200 bytes).
    std::string rest() const;

  private:
    std::string text_;
    std::size_t at_ = 0;
};

/// `\r\n<line>\r\n`: how the modem frames a response line or a URC with echo off.
std::string framed(std::string_view line);

/// How one CON ended, as the host saw it.
struct ConReport {
    int retransmissions = 0;  // +QCOAPIND lines
    int unsent = 0;           // of them, those with result -11: the link was down
    bool acknowledged = false;
};

/// Reads what one CON of client `client` with message ID `message_id` may print after its OK:
/// +QCOAPIND lines counting 1, 2, ... up to `max_retransmissions` (each with result 0, or -11
/// once the link is down and from then on), then +QCOAPACK with result 0 followed by exactly
/// `answer` (the framed +QCOAPRECV and payload), or with the give-up result -11 after exactly
/// `max_retransmissions`. Anything else: nullopt.
std::optional<ConReport> read_con(OutputReader& in, int client, int message_id,
                                  int max_retransmissions, std::string_view answer);

/// The framed +QCOAPRECV line and payload of a response with no options but Content-Format.
std::string recv_block(int client, int message_id, std::string_view code, std::string_view token,
                       std::string_view payload, std::optional<int> content_format = 0);

/// Escaped bytes for failure messages: \r, \n and \xHH for other unprintable bytes.
std::string printable(std::string_view bytes);

}  // namespace atcoap::integration
