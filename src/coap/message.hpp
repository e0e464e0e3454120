#pragma once
// The CoAP message as a plain value (RFC 7252 §3): what the codec reads and writes.

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "coap/option_list.hpp"
#include "coap/option_value.hpp"

namespace atcoap::coap {

/// RFC 7252 §3: the 2-bit message type.
enum class Type : std::uint8_t { Con = 0, Non = 1, Ack = 2, Rst = 3 };

/// RFC 7252 §3 and §12.1: an 8-bit code, 3-bit class and 5-bit detail, written "c.dd".
struct Code {
    std::uint8_t value = 0;

    static constexpr Code of(unsigned code_class, unsigned detail) {
        assert(code_class < 8 && detail < 32);
        return Code{static_cast<std::uint8_t>(code_class << 5 | detail)};
    }
    constexpr unsigned code_class() const { return value >> 5; }
    constexpr unsigned detail() const { return value & 0x1Fu; }
    constexpr bool is_empty() const { return value == 0; }
    constexpr bool is_request() const { return code_class() == 0 && value != 0; }
    constexpr bool is_response() const { return code_class() >= 2 && code_class() <= 5; }
    /// Classes 1, 6 and 7 are reserved (RFC 7252 §3).
    constexpr bool is_reserved_class() const { return code_class() == 1 || code_class() >= 6; }
    friend constexpr bool operator==(Code, Code) = default;
};

/// "2.05" for Code::of(2, 5).
std::string to_string(Code code);

namespace codes {
inline constexpr Code kEmpty = Code::of(0, 0);
inline constexpr Code kGet = Code::of(0, 1);
inline constexpr Code kPost = Code::of(0, 2);
inline constexpr Code kPut = Code::of(0, 3);
inline constexpr Code kDelete = Code::of(0, 4);
inline constexpr Code kCreated = Code::of(2, 1);
inline constexpr Code kDeleted = Code::of(2, 2);
inline constexpr Code kValid = Code::of(2, 3);
inline constexpr Code kChanged = Code::of(2, 4);
inline constexpr Code kContent = Code::of(2, 5);
inline constexpr Code kContinue = Code::of(2, 31);
inline constexpr Code kBadRequest = Code::of(4, 0);
inline constexpr Code kBadOption = Code::of(4, 2);
inline constexpr Code kNotFound = Code::of(4, 4);
inline constexpr Code kMethodNotAllowed = Code::of(4, 5);
inline constexpr Code kInternalServerError = Code::of(5, 0);
inline constexpr Code kServiceUnavailable = Code::of(5, 3);
}  // namespace codes

/// A token of 0 to 8 bytes (RFC 7252 §5.3.1), held inline: no allocation per message.
class Token {
  public:
    static constexpr std::size_t kMaxSize = 8;

    Token() = default;
    /// Precondition: bytes.size() <= kMaxSize.
    explicit Token(ByteView bytes) : size_(static_cast<std::uint8_t>(bytes.size())) {
        assert(bytes.size() <= kMaxSize);
        std::copy(bytes.begin(), bytes.end(), bytes_.begin());
    }
    Token(std::initializer_list<std::uint8_t> bytes)
        : Token(ByteView(bytes.begin(), bytes.size())) {}

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    ByteView view() const { return {bytes_.data(), size_}; }

    friend bool operator==(const Token& a, const Token& b) {
        return a.size_ == b.size_ &&
               std::equal(a.bytes_.begin(), a.bytes_.begin() + a.size_, b.bytes_.begin());
    }

  private:
    std::array<std::uint8_t, kMaxSize> bytes_{};
    std::uint8_t size_ = 0;
};

/// One occurrence of an option; repeated options are separate entries in message order.
struct Option {
    std::uint16_t number = 0;
    OptionValue value;
    friend bool operator==(const Option&, const Option&) = default;
};

/// Eight options inline: enough for a request with a path, a query and a content format, or
/// a response with its ETag, Max-Age and Block2, without allocating.
using OptionList = InlineVector<Option, 8>;

struct Message {
    Type type = Type::Con;
    Code code = codes::kEmpty;
    std::uint16_t message_id = 0;
    Token token;
    /// In ascending option number after decode; encode sorts stably when they are not.
    OptionList options;
    Bytes payload;

    friend bool operator==(const Message&, const Message&) = default;
};

}  // namespace atcoap::coap
