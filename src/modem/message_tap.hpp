#pragma once
// Where a client's message records (coap/message_record.hpp) become the modem's MessageTrace for
// its observers and the per-message log line (docs/TRACES.md, "The per-message log line"):
//
//   client 0 -> CON GET /time mid=1234 token=0A0B size=15
//   client 0 -> CON GET /time mid=1234 token=0A0B size=15 retransmission=1 after=2000ms
//   client 0 <- ACK 2.05 mid=1234 token=0A0B size=40 rtt=12ms
//   client 0 gave up CON GET /time mid=1234 token=0A0B size=15 retransmissions=4 after=93000ms
//
// Messages are logged at Info, a give-up at Warn, each with the same facts as fields.

#include <fmt/format.h>

#include "base/log.hpp"
#include "coap/message_record.hpp"
#include "modem/observer.hpp"

namespace atcoap::modem {

/// The text of a message's line ("client 0 -> CON GET ..."), appended to `out`.
void append_message_line(fmt::memory_buffer& out, const MessageTrace& message);
/// The text of a give-up's line ("client 0 gave up CON GET ..."), appended to `out`.
void append_give_up_line(fmt::memory_buffer& out, const MessageTrace& message);

/// A CoAP client's watcher: watched while the log keeps Info lines or an observer listens.
class MessageTap final : public coap::MessageWatcher {
  public:
    MessageTap(int client, Logger& logger, const Observers& observers)
        : client_(client), logger_(logger), observers_(observers) {}

    bool watching() const override {
        return observers_.watched() || logger_.enabled(LogLevel::Info);
    }
    void on_message(const coap::MessageRecord& record) override;
    void on_give_up(const coap::MessageRecord& record) override;

  private:
    void fill(const coap::MessageRecord& record);
    void log(LogLevel level, bool give_up);

    int client_;
    Logger& logger_;
    const Observers& observers_;
    MessageTrace trace_;       // reused: its path keeps its capacity
    fmt::memory_buffer line_;  // reused for every line
    std::string token_;
};

}  // namespace atcoap::modem
