#include "at/params.hpp"

#include <fmt/format.h>

namespace atcoap::at {

std::optional<std::int64_t> parse_decimal(std::string_view text) {
    if (text.empty() || text.size() > 18) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

namespace {

std::string describe_spec(const ParamSpec& spec) {
    if (const auto* range = std::get_if<IntRange>(&spec.kind)) {
        return fmt::format("<{}> must be an integer in {}-{}", spec.name, range->min, range->max);
    }
    if (const auto* quoted = std::get_if<QuotedString>(&spec.kind)) {
        return fmt::format("<{}> must be a quoted string of at most {} bytes", spec.name,
                           quoted->max_length);
    }
    return fmt::format("<{}> must be at most {} characters", spec.name,
                       std::get<AnyText>(spec.kind).max_length);
}

/// Checks one present argument against its spec; returns false when it breaks the rule.
bool check_value(const RawArg& raw, const ParamSpec& spec, Args::Value& value) {
    value.present = true;
    value.text = raw.text;
    value.quoted = raw.quoted;
    if (const auto* range = std::get_if<IntRange>(&spec.kind)) {
        const auto number = raw.quoted ? std::nullopt : parse_decimal(raw.text);
        if (!number || *number < range->min || *number > range->max) {
            return false;
        }
        value.integer = *number;
        return true;
    }
    if (const auto* quoted = std::get_if<QuotedString>(&spec.kind)) {
        return raw.quoted && raw.text.size() <= quoted->max_length;
    }
    return raw.text.size() <= std::get<AnyText>(spec.kind).max_length;
}

}  // namespace

Status<ParamError> validate(const std::vector<RawArg>& raw, const std::vector<ParamSpec>& specs,
                            Args& out) {
    if (raw.size() > specs.size()) {
        return fail(ParamError{
            specs.size() + 1,
            fmt::format("{} parameters given, at most {} allowed", raw.size(), specs.size())});
    }
    std::vector<Args::Value>& values = out.values();
    values.assign(specs.size(), Args::Value{});
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const bool present = i < raw.size() && (raw[i].present || raw[i].quoted);
        if (!present) {
            if (!specs[i].optional) {
                return fail(ParamError{i + 1, fmt::format("<{}> is missing", specs[i].name)});
            }
            continue;
        }
        if (!check_value(raw[i], specs[i], values[i])) {
            return fail(ParamError{
                i + 1, fmt::format("{}: got '{}'", describe_spec(specs[i]), raw[i].text)});
        }
    }
    return Done{};
}

}  // namespace atcoap::at
