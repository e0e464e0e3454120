#pragma once
// The CoAP option registry (IANA "CoAP Option Numbers"; the list in docs/DIALECT.md §3) and the
// properties RFC 7252 §5.4.6 derives from an option's number.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "coap/message.hpp"

namespace atcoap::coap {

/// RFC 7252 §3.2 value formats.
enum class OptionFormat : std::uint8_t { Empty, Opaque, Uint, String };

struct OptionInfo {
    std::uint16_t number;
    std::string_view name;
    OptionFormat format;
    std::uint16_t min_length;
    std::uint16_t max_length;
    bool repeatable;
};

namespace option {
inline constexpr std::uint16_t kIfMatch = 1;
inline constexpr std::uint16_t kUriHost = 3;
inline constexpr std::uint16_t kETag = 4;
inline constexpr std::uint16_t kIfNoneMatch = 5;
inline constexpr std::uint16_t kObserve = 6;
inline constexpr std::uint16_t kUriPort = 7;
inline constexpr std::uint16_t kLocationPath = 8;
inline constexpr std::uint16_t kOscore = 9;
inline constexpr std::uint16_t kUriPath = 11;
inline constexpr std::uint16_t kContentFormat = 12;
inline constexpr std::uint16_t kMaxAge = 14;
inline constexpr std::uint16_t kUriQuery = 15;
inline constexpr std::uint16_t kHopLimit = 16;
inline constexpr std::uint16_t kAccept = 17;
inline constexpr std::uint16_t kQBlock1 = 19;
inline constexpr std::uint16_t kLocationQuery = 20;
inline constexpr std::uint16_t kBlock2 = 23;
inline constexpr std::uint16_t kBlock1 = 27;
inline constexpr std::uint16_t kSize2 = 28;
inline constexpr std::uint16_t kQBlock2 = 31;
inline constexpr std::uint16_t kProxyUri = 35;
inline constexpr std::uint16_t kProxyScheme = 39;
inline constexpr std::uint16_t kSize1 = 60;
inline constexpr std::uint16_t kEcho = 252;
inline constexpr std::uint16_t kNoResponse = 258;
inline constexpr std::uint16_t kRequestTag = 292;
}  // namespace option

/// Every registered option, in ascending number.
std::span<const OptionInfo> registered_options();

/// The registry entry of `number`, or nullptr for an unregistered number.
const OptionInfo* find_option(std::uint16_t number);

// RFC 7252 §5.4.6: the properties are bits of the option number.
constexpr bool is_critical(std::uint16_t number) {
    return (number & 0x01u) != 0;
}
constexpr bool is_elective(std::uint16_t number) {
    return !is_critical(number);
}
constexpr bool is_unsafe_to_forward(std::uint16_t number) {
    return (number & 0x02u) != 0;
}
constexpr bool is_no_cache_key(std::uint16_t number) {
    return (number & 0x1Eu) == 0x1Cu;
}

/// True when a value of `length` bytes is within the registered range of `info`.
constexpr bool length_in_range(const OptionInfo& info, std::size_t length) {
    return length >= info.min_length && length <= info.max_length;
}

/// The format a value of `number` is printed and parsed in: registered format, or opaque for
/// an unregistered number (docs/DIALECT.md §3).
OptionFormat format_of(std::uint16_t number);

/// RFC 7252 §5.4.1, §5.4.3 and §5.4.5: an option is unrecognized when its number is not
/// registered, its length is out of range, or it repeats a non-repeatable option. Returns the
/// number of the first unrecognized critical option, which makes the whole message rejected.
std::optional<std::uint16_t> first_unrecognized_critical(const Message& message);

/// Removes the registered elective options that are unrecognized by the rules above (a length
/// out of range, such as a 4-byte Observe, or a supernumerary repeat): RFC 7252 §5.4.1 says to
/// ignore them silently, so they never reach the host. Unregistered numbers stay (the host may
/// know them, docs/DIALECT.md §3). Returns how many were removed.
std::size_t drop_unusable_electives(Message& message);

}  // namespace atcoap::coap
