#pragma once
// Option values as the CoAP commands read them (AT+QCOAPOPTION) and print them (+QCOAPRECV),
// by the option's registered format (the note's Table 3, docs/DIALECT.md §3 and §7).

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "coap/message.hpp"

namespace atcoap::modem {

/// One <opt_value> as written on the command line: its text and whether it was quoted.
struct OptionValueText {
    std::string_view text;
    bool quoted = false;
    bool present = false;
};

/// The bytes of option `number` from its AT form: string options as quoted text, unsigned
/// ones as decimal (quoted or not), opaque ones as hex, empty ones as nothing or "". Lengths
/// are checked against the registry (unregistered numbers: opaque, 0-1034 bytes). The error
/// names the rule broken, for the log.
Result<Bytes, std::string> parse_option_value(std::uint16_t number, OptionValueText value);

/// The `"<value>"` text of an option in +QCOAPRECV: strings with `\HH` escapes for bytes that
/// are not printable ASCII or are `"` or `\`, unsigned options in decimal, opaque ones (and
/// unregistered numbers) in uppercase hex, Block options as their integer.
std::string format_option_value(const coap::Option& option);

/// `+QCOAPRECV: <id>,<msgID>,<c.dd>,<TKL>,<token>,<opt_count>[,<number>,"<value>"]...,<len>`
std::string format_recv_line(int client, const coap::Message& message);
/// The same line appended to `out`, so that a caller can reuse one buffer for every URC.
void append_recv_line(fmt::memory_buffer& out, int client, const coap::Message& message);

}  // namespace atcoap::modem
