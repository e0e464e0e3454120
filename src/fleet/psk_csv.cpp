#include "fleet/psk_csv.hpp"

#include <unordered_map>

#include "base/hex.hpp"
#include "fleet/identity.hpp"

namespace atcoap::fleet {
namespace {

std::string line_error(std::size_t line, std::string_view why) {
    return "PSK CSV line " + std::to_string(line) + ": " + std::string(why);
}

bool blank(std::string_view line) {
    return line.find_first_not_of(" \t") == std::string_view::npos;
}

/// The key in lower case, or why it cannot be one.
Result<std::string, std::string> parse_key(std::string_view key) {
    if (key.empty() || key.size() % 2 != 0 || key.size() > 2 * kMaxPskKeyBytes) {
        return fail("the key must be 2 to " + std::to_string(2 * kMaxPskKeyBytes) +
                    " hexadecimal digits, an even number (1 to " + std::to_string(kMaxPskKeyBytes) +
                    " bytes); it has " + std::to_string(key.size()) + " characters");
    }
    const auto bytes = parse_hex(key);
    if (!bytes) {
        return fail(std::string("the key is not hexadecimal (0-9, a-f, A-F)"));
    }
    std::string lower;
    append_hex_lower(lower, *bytes);
    return lower;
}

}  // namespace

Result<std::vector<PskCsvEntry>, std::string> parse_psk_csv(std::string_view text) {
    if (text.size() > kMaxPskCsvBytes) {
        return fail("PSK CSV: " + std::to_string(text.size()) + " bytes, more than the " +
                    std::to_string(kMaxPskCsvBytes) + " taken");
    }
    std::vector<PskCsvEntry> entries;
    std::unordered_map<std::string_view, std::size_t> line_of;  // identity -> its line
    std::size_t number = 0;
    while (!text.empty()) {
        ++number;
        const auto end = text.find('\n');
        const std::size_t length = end == std::string_view::npos ? text.size() : end + 1;
        std::string_view line = text.substr(0, length);
        text.remove_prefix(length);
        if (line.size() > kMaxPskCsvLineBytes) {
            return fail(line_error(
                number, "longer than " + std::to_string(kMaxPskCsvLineBytes) + " bytes"));
        }
        if (line.ends_with('\n')) {
            line.remove_suffix(1);
        }
        if (line.ends_with('\r')) {
            line.remove_suffix(1);  // a CRLF file, as spreadsheets write them
        }
        if (blank(line) || line.front() == '#') {
            continue;
        }
        const auto comma = line.find(',');
        if (comma == std::string_view::npos) {
            return fail(line_error(number, "expected identity,key-hex"));
        }
        if (line.find(',', comma + 1) != std::string_view::npos) {
            return fail(line_error(number, "more than one ',' (expected identity,key-hex)"));
        }
        const std::string_view identity = line.substr(0, comma);
        if (auto problem = psk_identity_problem(identity)) {
            return fail(line_error(number, *problem));
        }
        auto key = parse_key(line.substr(comma + 1));
        if (!key) {
            return fail(line_error(number, key.error()));
        }
        const auto [earlier, fresh] = line_of.emplace(identity, number);
        if (!fresh) {
            return fail(line_error(number, "the identity " + std::string(identity) +
                                               " is also on line " +
                                               std::to_string(earlier->second)));
        }
        entries.push_back({std::string(identity), std::move(key.value())});
    }
    return entries;
}

}  // namespace atcoap::fleet
