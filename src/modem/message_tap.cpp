#include "modem/message_tap.hpp"

#include <array>
#include <string>
#include <string_view>

#include "base/hex.hpp"
#include "coap/message_text.hpp"

namespace atcoap::modem {

namespace {

/// A request's method by name (RFC 7252 §12.1.1, RFC 8132); any other code as "c.dd".
std::string code_text(coap::Code code) {
    if (code.is_request()) {
        static constexpr std::array<std::string_view, 7> kMethods{
            "GET", "POST", "PUT", "DELETE", "FETCH", "PATCH", "iPATCH"};
        const unsigned index = code.value - 1U;
        if (index < kMethods.size()) {
            return std::string(kMethods[index]);
        }
    }
    return coap::to_string(code);
}

std::string_view direction_text(Direction direction) {
    return direction == Direction::Sent ? "sent" : "received";
}

void append_facts(fmt::memory_buffer& out, const MessageTrace& m) {
    const auto to = fmt::appender(out);
    fmt::format_to(to, "{} {}", coap::type_name(m.type), code_text(m.code));
    if (!m.path.empty()) {
        fmt::format_to(to, " {}", m.path);
    }
    fmt::format_to(to, " mid={}", m.message_id);
    if (!m.token.empty()) {
        fmt::format_to(to, " token={}", to_hex_upper(m.token.view()));
    }
    fmt::format_to(to, " size={}", m.size);
}

}  // namespace

void append_message_line(fmt::memory_buffer& out, const MessageTrace& m) {
    fmt::format_to(fmt::appender(out), "client {} {} ", m.client,
                   m.direction == Direction::Sent ? "->" : "<-");
    append_facts(out, m);
    if (m.retransmission > 0) {
        fmt::format_to(fmt::appender(out), " retransmission={}", m.retransmission);
    }
    if (m.since_first) {
        fmt::format_to(fmt::appender(out), " after={}ms", m.since_first->count());
    }
    if (m.round_trip) {
        fmt::format_to(fmt::appender(out), " rtt={}ms", m.round_trip->count());
    }
}

void append_give_up_line(fmt::memory_buffer& out, const MessageTrace& m) {
    fmt::format_to(fmt::appender(out), "client {} gave up ", m.client);
    append_facts(out, m);
    fmt::format_to(fmt::appender(out), " retransmissions={}", m.retransmission);
    if (m.since_first) {
        fmt::format_to(fmt::appender(out), " after={}ms", m.since_first->count());
    }
}

void MessageTap::on_message(const coap::MessageRecord& record) {
    fill(record);
    if (logger_.enabled(LogLevel::Info)) {
        log(LogLevel::Info, false);
    }
    observers_.message(trace_);
}

void MessageTap::on_give_up(const coap::MessageRecord& record) {
    fill(record);
    if (logger_.enabled(LogLevel::Warn)) {
        log(LogLevel::Warn, true);
    }
}

void MessageTap::fill(const coap::MessageRecord& r) {
    trace_.client = client_;
    trace_.direction = r.flow == coap::Flow::Sent ? Direction::Sent : Direction::Received;
    trace_.type = r.type;
    trace_.code = r.code;
    trace_.path = r.path;
    trace_.message_id = r.message_id;
    trace_.token = r.token;
    trace_.size = r.size;
    trace_.round_trip = r.round_trip;
    trace_.retransmission = r.retransmission;
    trace_.since_first = r.since_first;
}

// The fields of docs/TRACES.md, "--log-format json": the same facts as the line.
void MessageTap::log(LogLevel level, bool give_up) {
    line_.clear();
    if (give_up) {
        append_give_up_line(line_, trace_);
    } else {
        append_message_line(line_, trace_);
    }
    token_ = to_hex_upper(trace_.token.view());
    const std::string code = code_text(trace_.code);
    const auto ms = [](const std::optional<Duration>& d) -> std::int64_t {
        return d ? d->count() : -1;
    };
    std::array<LogField, 12> fields{{
        {"event", give_up ? std::string_view("give_up") : std::string_view("message")},
        {"client", std::int64_t{trace_.client}},
        {"direction", direction_text(trace_.direction)},
        {"type", coap::type_name(trace_.type)},
        {"code", std::string_view(code)},
        {"path", std::string_view(trace_.path)},
        {"mid", std::int64_t{trace_.message_id}},
        {"token", std::string_view(token_)},
        {"size", static_cast<std::int64_t>(trace_.size)},
        {"retransmission", std::int64_t{trace_.retransmission}},
    }};
    // after_ms and rtt_ms only when they apply, in the two last slots.
    std::size_t count = 10;
    if (trace_.since_first) {
        fields[count++] = LogField{"after_ms", ms(trace_.since_first)};
    }
    if (trace_.round_trip) {
        fields[count++] = LogField{"rtt_ms", ms(trace_.round_trip)};
    }
    logger_.log_fields(level, std::string_view(line_.data(), line_.size()),
                       std::span<const LogField>(fields.data(), count));
}

}  // namespace atcoap::modem
