#include "coap/options.hpp"

#include <algorithm>
#include <array>

namespace atcoap::coap {

namespace {

using enum OptionFormat;

// IANA CoAP Option Numbers; lengths from RFC 7252 §5.10 (Table 4), RFC 7641 (Observe),
// RFC 7959 (Block, Size2), RFC 8613 (OSCORE), RFC 8768 (Hop-Limit), RFC 9177 (Q-Block),
// RFC 9175 (Echo, Request-Tag) and RFC 7967 (No-Response).
constexpr std::array kRegistry = {
    OptionInfo{option::kIfMatch, "If-Match", Opaque, 0, 8, true},
    OptionInfo{option::kUriHost, "Uri-Host", String, 1, 255, false},
    OptionInfo{option::kETag, "ETag", Opaque, 1, 8, true},
    OptionInfo{option::kIfNoneMatch, "If-None-Match", Empty, 0, 0, false},
    OptionInfo{option::kObserve, "Observe", Uint, 0, 3, false},
    OptionInfo{option::kUriPort, "Uri-Port", Uint, 0, 2, false},
    OptionInfo{option::kLocationPath, "Location-Path", String, 0, 255, true},
    OptionInfo{option::kOscore, "OSCORE", Opaque, 0, 255, false},
    OptionInfo{option::kUriPath, "Uri-Path", String, 0, 255, true},
    OptionInfo{option::kContentFormat, "Content-Format", Uint, 0, 2, false},
    OptionInfo{option::kMaxAge, "Max-Age", Uint, 0, 4, false},
    OptionInfo{option::kUriQuery, "Uri-Query", String, 0, 255, true},
    OptionInfo{option::kHopLimit, "Hop-Limit", Uint, 1, 1, false},
    OptionInfo{option::kAccept, "Accept", Uint, 0, 2, false},
    OptionInfo{option::kQBlock1, "Q-Block1", Uint, 0, 3, false},
    OptionInfo{option::kLocationQuery, "Location-Query", String, 0, 255, true},
    OptionInfo{option::kBlock2, "Block2", Uint, 0, 3, false},
    OptionInfo{option::kBlock1, "Block1", Uint, 0, 3, false},
    OptionInfo{option::kSize2, "Size2", Uint, 0, 4, false},
    OptionInfo{option::kQBlock2, "Q-Block2", Uint, 0, 3, false},
    OptionInfo{option::kProxyUri, "Proxy-Uri", String, 1, 1034, false},
    OptionInfo{option::kProxyScheme, "Proxy-Scheme", String, 1, 255, false},
    OptionInfo{option::kSize1, "Size1", Uint, 0, 4, false},
    OptionInfo{option::kEcho, "Echo", Opaque, 1, 40, false},
    OptionInfo{option::kNoResponse, "No-Response", Uint, 0, 1, false},
    OptionInfo{option::kRequestTag, "Request-Tag", Opaque, 0, 8, true},
};

static_assert(std::is_sorted(kRegistry.begin(), kRegistry.end(),
                             [](const OptionInfo& a, const OptionInfo& b) {
                                 return a.number < b.number;
                             }));

}  // namespace

std::span<const OptionInfo> registered_options() {
    return kRegistry;
}

const OptionInfo* find_option(std::uint16_t number) {
    const auto it =
        std::lower_bound(kRegistry.begin(), kRegistry.end(), number,
                         [](const OptionInfo& info, std::uint16_t n) { return info.number < n; });
    return it != kRegistry.end() && it->number == number ? &*it : nullptr;
}

OptionFormat format_of(std::uint16_t number) {
    const OptionInfo* info = find_option(number);
    return info != nullptr ? info->format : Opaque;
}

std::optional<std::uint16_t> first_unrecognized_critical(const Message& message) {
    const OptionList& options = message.options;
    for (std::size_t i = 0; i < options.size(); ++i) {
        const std::uint16_t number = options[i].number;
        if (!is_critical(number)) {
            continue;
        }
        const OptionInfo* info = find_option(number);
        // Decoded options are in ascending order, so a repeat directly follows its first.
        const bool repeated = i > 0 && options[i - 1].number == number;
        if (info == nullptr || !length_in_range(*info, options[i].value.size()) ||
            (repeated && !info->repeatable)) {
            return number;
        }
    }
    return std::nullopt;
}

std::size_t drop_unusable_electives(Message& message) {
    OptionList& options = message.options;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < options.size(); ++i) {
        const std::uint16_t number = options[i].number;
        const OptionInfo* info = find_option(number);
        const bool repeated = kept > 0 && options[kept - 1].number == number;
        const bool unusable =
            info != nullptr && !is_critical(number) &&
            (!length_in_range(*info, options[i].value.size()) || (repeated && !info->repeatable));
        if (!unusable) {
            if (kept != i) {
                options[kept] = std::move(options[i]);
            }
            ++kept;
        }
    }
    const std::size_t dropped = options.size() - kept;
    options.resize(kept);
    return dropped;
}

}  // namespace atcoap::coap
