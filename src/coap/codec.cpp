#include "coap/codec.hpp"

#include <algorithm>
#include <string>

#include "base/hex.hpp"

namespace atcoap::coap {

namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kPayloadMarker = 0xFF;
constexpr std::size_t kHeaderSize = 4;
// RFC 7252 §3.1: nibble 13 adds one byte (value - 13), nibble 14 two bytes (value - 269).
constexpr std::uint32_t kOneByteBase = 13;
constexpr std::uint32_t kTwoByteBase = 269;
constexpr std::size_t kMaxOptionLength = 0xFFFF + kTwoByteBase;
constexpr std::uint32_t kReservedNibble = 15;  // §3.1: reserved for the payload marker
constexpr std::uint32_t kMaxOptionNumber = 0xFFFF;

/// Reads the datagram front to back; every read is bounds-checked against its end.
class Reader {
  public:
    explicit Reader(ByteView bytes) : bytes_(bytes) {}

    std::size_t offset() const { return pos_; }
    std::size_t remaining() const { return bytes_.size() - pos_; }
    std::uint8_t peek() const { return bytes_[pos_]; }
    std::uint8_t take() { return bytes_[pos_++]; }
    ByteView take(std::size_t n) {
        const ByteView out = bytes_.subspan(pos_, n);
        pos_ += n;
        return out;
    }

    /// The value an option nibble stands for, reading its extension bytes (§3.1).
    /// Returns false when the extension bytes are missing.
    bool extended(std::uint32_t nibble, std::uint32_t& value) {
        if (nibble < kOneByteBase) {
            value = nibble;
            return true;
        }
        if (nibble == kOneByteBase) {
            if (remaining() < 1) {
                return false;
            }
            value = take() + kOneByteBase;
            return true;
        }
        if (remaining() < 2) {
            return false;
        }
        const std::uint32_t high = take();
        value = (high << 8 | take()) + kTwoByteBase;
        return true;
    }

  private:
    ByteView bytes_;
    std::size_t pos_ = 0;
};

/// Decodes the options and payload that follow the token (RFC 7252 §3.1).
Status<DecodeFailure> decode_body(Reader& in, Message& out, DecodeFailure failure) {
    auto fail_at = [&](DecodeError reason, std::size_t offset) {
        failure.reason = reason;
        failure.offset = offset;
        return fail(failure);
    };
    std::uint32_t number = 0;
    while (in.remaining() > 0) {
        const std::size_t start = in.offset();
        const std::uint8_t first = in.take();
        if (first == kPayloadMarker) {
            if (in.remaining() == 0) {
                return fail_at(DecodeError::PayloadMarkerWithoutPayload, start);
            }
            const ByteView rest = in.take(in.remaining());
            out.payload.assign(rest.begin(), rest.end());
            break;
        }
        const std::uint32_t delta_nibble = first >> 4;
        const std::uint32_t length_nibble = first & 0x0Fu;
        if (delta_nibble == kReservedNibble) {
            return fail_at(DecodeError::OptionDeltaReserved, start);
        }
        if (length_nibble == kReservedNibble) {
            return fail_at(DecodeError::OptionLengthReserved, start);
        }
        std::uint32_t delta = 0;
        std::uint32_t length = 0;
        if (!in.extended(delta_nibble, delta)) {
            return fail_at(DecodeError::OptionDeltaTruncated, start);
        }
        if (!in.extended(length_nibble, length)) {
            return fail_at(DecodeError::OptionLengthTruncated, start);
        }
        number += delta;
        if (number > kMaxOptionNumber) {
            return fail_at(DecodeError::OptionNumberOverflow, start);
        }
        if (length > in.remaining()) {
            return fail_at(DecodeError::OptionValueTruncated, start);
        }
        Option& option = out.options.emplace_back();
        option.number = static_cast<std::uint16_t>(number);
        option.value.assign_from(in.take(length));
    }
    return Done{};
}

}  // namespace

Status<DecodeFailure> decode_into(ByteView datagram, Message& message) {
    DecodeFailure failure{DecodeError::HeaderTruncated};
    if (datagram.size() < kHeaderSize) {
        return fail(failure);
    }
    const std::uint8_t first = datagram[0];
    if ((first >> 6) != kVersion) {
        // §3: a message with an unknown version is silently ignored, so no header is offered
        // for a reply.
        failure.reason = DecodeError::UnsupportedVersion;
        return fail(failure);
    }
    message.type = static_cast<Type>((first >> 4) & 0x03u);
    message.code = Code{datagram[1]};
    message.message_id = static_cast<std::uint16_t>(datagram[2] << 8 | datagram[3]);
    message.token = Token{};
    message.options.clear();
    message.payload.clear();
    failure.header_readable = true;
    failure.type = message.type;
    failure.message_id = message.message_id;

    const std::size_t token_length = first & 0x0Fu;
    auto fail_at = [&](DecodeError reason, std::size_t offset) {
        failure.reason = reason;
        failure.offset = offset;
        return fail(failure);
    };
    if (token_length > Token::kMaxSize) {
        return fail_at(DecodeError::TokenLengthReserved, 0);
    }
    if (message.code.is_reserved_class()) {
        return fail_at(DecodeError::ReservedCodeClass, 1);
    }
    if (message.code.is_empty()) {
        if (token_length != 0 || datagram.size() != kHeaderSize) {
            return fail_at(DecodeError::EmptyMessageNotEmpty, kHeaderSize);
        }
        return Done{};
    }
    if (datagram.size() < kHeaderSize + token_length) {
        return fail_at(DecodeError::TokenTruncated, kHeaderSize);
    }
    message.token = Token(datagram.subspan(kHeaderSize, token_length));

    Reader in(datagram);
    in.take(kHeaderSize + token_length);
    return decode_body(in, message, failure);
}

Result<Message, DecodeFailure> decode(ByteView datagram) {
    // One named result on every path lets the compiler build the message in place (NRVO).
    Result<Message, DecodeFailure> result{Message{}};
    auto status = decode_into(datagram, *result);
    if (!status) {
        result = Result<Message, DecodeFailure>(fail(status.error()));
    }
    return result;
}

namespace {

std::uint8_t nibble_for(std::size_t value) {
    if (value < kOneByteBase) {
        return static_cast<std::uint8_t>(value);
    }
    return value < kTwoByteBase ? 13 : 14;
}

void append_extension(Bytes& out, std::size_t value) {
    if (value >= kTwoByteBase) {
        const std::size_t rest = value - kTwoByteBase;
        out.push_back(static_cast<std::uint8_t>(rest >> 8));
        out.push_back(static_cast<std::uint8_t>(rest & 0xFF));
    } else if (value >= kOneByteBase) {
        out.push_back(static_cast<std::uint8_t>(value - kOneByteBase));
    }
}

void append_option(Bytes& out, std::uint16_t previous, const Option& option) {
    const std::size_t delta = option.number - previous;
    const std::size_t length = option.value.size();
    out.push_back(static_cast<std::uint8_t>(nibble_for(delta) << 4 | nibble_for(length)));
    append_extension(out, delta);
    append_extension(out, length);
    out.insert(out.end(), option.value.begin(), option.value.end());
}

bool by_number(const Option* a, const Option* b) {
    return a->number < b->number;
}

/// Options in ascending number; repeated numbers keep their order (§3.1, §5.4.5).
void append_options(Bytes& out, const OptionList& options) {
    std::uint16_t previous = 0;
    const bool sorted =
        std::is_sorted(options.begin(), options.end(),
                       [](const Option& a, const Option& b) { return a.number < b.number; });
    if (sorted) {
        for (const Option& option : options) {
            append_option(out, previous, option);
            previous = option.number;
        }
        return;
    }
    std::vector<const Option*> order;
    order.reserve(options.size());
    for (const Option& option : options) {
        order.push_back(&option);
    }
    std::stable_sort(order.begin(), order.end(), by_number);
    for (const Option* option : order) {
        append_option(out, previous, *option);
        previous = option->number;
    }
}

}  // namespace

Status<EncodeError> encode_into(const Message& message, Bytes& out) {
    if (message.code.is_reserved_class()) {
        return fail(EncodeError::ReservedCodeClass);
    }
    if (message.code.is_empty() &&
        (!message.token.empty() || !message.options.empty() || !message.payload.empty())) {
        return fail(EncodeError::EmptyMessageNotEmpty);
    }
    for (const Option& option : message.options) {
        if (option.value.size() > kMaxOptionLength) {
            return fail(EncodeError::OptionValueTooLong);
        }
    }
    out.push_back(static_cast<std::uint8_t>(
        kVersion << 6 | static_cast<unsigned>(message.type) << 4 | message.token.size()));
    out.push_back(message.code.value);
    out.push_back(static_cast<std::uint8_t>(message.message_id >> 8));
    out.push_back(static_cast<std::uint8_t>(message.message_id & 0xFF));
    const ByteView token = message.token.view();
    out.insert(out.end(), token.begin(), token.end());
    append_options(out, message.options);
    if (!message.payload.empty()) {
        out.push_back(kPayloadMarker);
        out.insert(out.end(), message.payload.begin(), message.payload.end());
    }
    return Done{};
}

/// An upper bound of the encoded size (each option header at most 5 bytes), so that encode()
/// allocates once.
std::size_t encoded_size_bound(const Message& message) {
    std::size_t size = kHeaderSize + message.token.size() + 1 + message.payload.size();
    for (const Option& option : message.options) {
        size += 5 + option.value.size();
    }
    return size;
}

Result<Bytes, EncodeError> encode(const Message& message) {
    Bytes out;
    out.reserve(encoded_size_bound(message));
    auto status = encode_into(message, out);
    if (!status) {
        return fail(status.error());
    }
    return out;
}

namespace {

// The reasons that quote a limit, formed once from the constants so they never disagree.
struct LimitTexts {
    std::string header = "shorter than the " + std::to_string(kHeaderSize) + "-byte header";
    std::string version = "version is not " + std::to_string(kVersion);
    std::string token_length = "token length " + std::to_string(Token::kMaxSize + 1) + " to " +
                               std::to_string(kReservedNibble) + " is reserved";
    std::string delta_nibble =
        "option delta nibble " + std::to_string(kReservedNibble) + " is reserved";
    std::string length_nibble =
        "option length nibble " + std::to_string(kReservedNibble) + " is reserved";
    std::string option_number = "option number exceeds " + std::to_string(kMaxOptionNumber);
    std::string option_length =
        "option value longer than " + std::to_string(kMaxOptionLength) + " bytes";
    std::string marker_alone = "payload marker 0x" +
                               format_hex_number(kPayloadMarker, HexCase::Upper) +
                               " with no payload after it";
};

const LimitTexts& limit_texts() {
    static const LimitTexts texts;
    return texts;
}

}  // namespace

std::string_view describe(DecodeError reason) {
    switch (reason) {
        case DecodeError::HeaderTruncated:
            return limit_texts().header;
        case DecodeError::UnsupportedVersion:
            return limit_texts().version;
        case DecodeError::TokenLengthReserved:
            return limit_texts().token_length;
        case DecodeError::TokenTruncated:
            return "datagram ends inside the token";
        case DecodeError::ReservedCodeClass:
            return "code class 1, 6 or 7 is reserved";
        case DecodeError::EmptyMessageNotEmpty:
            return "empty message (0.00) carries bytes after its message ID";
        case DecodeError::OptionDeltaReserved:
            return limit_texts().delta_nibble;
        case DecodeError::OptionLengthReserved:
            return limit_texts().length_nibble;
        case DecodeError::OptionDeltaTruncated:
            return "datagram ends inside an extended option delta";
        case DecodeError::OptionLengthTruncated:
            return "datagram ends inside an extended option length";
        case DecodeError::OptionValueTruncated:
            return "option value runs past the end of the datagram";
        case DecodeError::OptionNumberOverflow:
            return limit_texts().option_number;
        case DecodeError::PayloadMarkerWithoutPayload:
            return limit_texts().marker_alone;
    }
    return "unknown decode error";
}

std::string_view describe(EncodeError reason) {
    switch (reason) {
        case EncodeError::ReservedCodeClass:
            return "code class 1, 6 or 7 is reserved";
        case EncodeError::EmptyMessageNotEmpty:
            return "empty message (0.00) must have no token, options or payload";
        case EncodeError::OptionValueTooLong:
            return limit_texts().option_length;
    }
    return "unknown encode error";
}

}  // namespace atcoap::coap
