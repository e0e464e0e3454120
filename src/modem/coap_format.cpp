#include "modem/coap_format.hpp"

#include <fmt/format.h>

#include "at/params.hpp"
#include "base/hex.hpp"
#include "coap/options.hpp"
#include "coap/values.hpp"

namespace atcoap::modem {

namespace {

using coap::OptionFormat;

// docs/DIALECT.md §7: an unregistered number is opaque, 0-1034 bytes.
constexpr std::size_t kUnregisteredMaxLength = 1034;

struct LengthRange {
    std::size_t min;
    std::size_t max;
};

LengthRange length_range(std::uint16_t number) {
    const coap::OptionInfo* info = coap::find_option(number);
    if (info == nullptr) {
        return {0, kUnregisteredMaxLength};
    }
    return {info->min_length, info->max_length};
}

Result<Bytes, std::string> parse_uint_value(OptionValueText value, LengthRange range) {
    const auto number = at::parse_decimal(value.text);
    if (!number || *number > 0xFFFFFFFF) {
        return fail(fmt::format("'{}' is not an unsigned integer", value.text));
    }
    Bytes bytes = coap::encode_uint(static_cast<std::uint32_t>(*number));
    if (bytes.size() > range.max) {
        return fail(
            fmt::format("{} needs {} bytes, at most {} allowed", *number, bytes.size(), range.max));
    }
    while (bytes.size() < range.min) {
        bytes.insert(bytes.begin(), 0);  // Hop-Limit takes one byte even for 0 (RFC 8768)
    }
    return bytes;
}

Result<Bytes, std::string> parse_by_format(OptionFormat format, OptionValueText value,
                                           LengthRange range) {
    switch (format) {
        case OptionFormat::Empty:
            if (value.present && !value.text.empty()) {
                return fail(std::string("an empty option takes no value"));
            }
            return Bytes{};
        case OptionFormat::Uint:
            return parse_uint_value(value, range);
        case OptionFormat::String:
            if (!value.quoted) {
                return fail(std::string("a string option takes a quoted value"));
            }
            return to_bytes(value.text);
        case OptionFormat::Opaque: {
            auto bytes = parse_hex(value.text);
            if (!bytes) {
                return fail(fmt::format("'{}' is not an even number of hex digits", value.text));
            }
            return std::move(*bytes);
        }
    }
    return fail(std::string("unknown option format"));
}

std::string escape_string(ByteView bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (std::uint8_t b : bytes) {
        if (b < 0x20 || b >= 0x7F || b == '"' || b == '\\') {
            out.push_back('\\');  // 3GPP TS 27.007 escape: \HH
            out += to_hex_upper(ByteView(&b, 1));
        } else {
            out.push_back(static_cast<char>(b));
        }
    }
    return out;
}

}  // namespace

Result<Bytes, std::string> parse_option_value(std::uint16_t number, OptionValueText value) {
    if (number == 0) {
        return fail(std::string("option number 0 is reserved"));
    }
    const LengthRange range = length_range(number);
    auto bytes = parse_by_format(coap::format_of(number), value, range);
    if (!bytes) {
        return bytes;
    }
    if (bytes->size() < range.min || bytes->size() > range.max) {
        return fail(fmt::format("option {} takes {}-{} bytes, got {}", number, range.min, range.max,
                                bytes->size()));
    }
    return bytes;
}

std::string format_option_value(const coap::Option& option) {
    switch (coap::format_of(option.number)) {
        case OptionFormat::Empty:
            return {};
        case OptionFormat::Uint: {
            const auto value = coap::decode_uint(option.value);
            if (value) {
                return std::to_string(*value);
            }
            return to_hex_upper(option.value);  // longer than 4 bytes: show what came
        }
        case OptionFormat::String:
            return escape_string(option.value);
        case OptionFormat::Opaque:
            return to_hex_upper(option.value);
    }
    return to_hex_upper(option.value);
}

std::string format_recv_line(int client, const coap::Message& message) {
    fmt::memory_buffer line;
    append_recv_line(line, client, message);
    return fmt::to_string(line);
}

void append_recv_line(fmt::memory_buffer& out, int client, const coap::Message& message) {
    const auto to = fmt::appender(out);
    fmt::format_to(to, "+QCOAPRECV: {},{},{},{},{},{}", client, message.message_id,
                   coap::to_string(message.code), message.token.size(),
                   to_hex_upper(message.token.view()), message.options.size());
    for (const coap::Option& option : message.options) {
        fmt::format_to(to, ",{},\"{}\"", option.number, format_option_value(option));
    }
    fmt::format_to(to, ",{}", message.payload.size());
}

}  // namespace atcoap::modem
