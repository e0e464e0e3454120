#include "fleet/shard.hpp"

#include <charconv>
#include <optional>

namespace atcoap::fleet {
namespace {

/// A decimal number of 1 to 7 digits, nothing else (no sign, no space, no "0x").
std::optional<std::uint64_t> parse_count(std::string_view text) {
    if (text.empty() || text.size() > 7) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::string shard_error(std::string_view text, std::string_view why) {
    std::string message = "--shard \"";
    message.append(text.substr(0, 32));
    message.append(text.size() > 32 ? "...\": " : "\": ");
    message.append(why);
    return message;
}

}  // namespace

Result<Shard, std::string> parse_shard(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        return fail(shard_error(text, "expected I/N, such as 0/4"));
    }
    const auto index = parse_count(text.substr(0, slash));
    const auto count = parse_count(text.substr(slash + 1));
    if (!index || !count) {
        return fail(shard_error(text, "I and N must be decimal numbers of 1 to 7 digits"));
    }
    if (*count < 1 || *count > kMaxShards) {
        return fail(shard_error(text, "N must be 1 to " + std::to_string(kMaxShards)));
    }
    if (*index >= *count) {
        return fail(shard_error(text, "I must be 0 to N-1"));
    }
    return Shard{*index, *count};
}

std::uint64_t devices_in(const Shard& shard, std::uint64_t modems) {
    if (shard.count == 0 || shard.index >= modems) {
        return 0;
    }
    // Devices index, index + count, ... below `modems`; written so that nothing overflows.
    return (modems - shard.index - 1) / shard.count + 1;
}

std::uint64_t device_of(const Shard& shard, std::uint64_t k) {
    return shard.index + k * shard.count;
}

}  // namespace atcoap::fleet
