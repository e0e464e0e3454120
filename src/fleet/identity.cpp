#include "fleet/identity.hpp"

#include <mbedtls/md.h>

#include <array>
#include <cassert>

#include "base/hex.hpp"
#include "dtls/session.hpp"
#include "fleet/psk_csv.hpp"

namespace atcoap::fleet {
namespace {

static_assert(kMaxPskKeyBytes == dtls::kMaxPskBytes);

constexpr std::string_view kDevicePlaceholder = "${DEVICE}";
constexpr std::string_view kImeiPlaceholder = "${IMEI}";
// The first six digits of the note's IMEI (864508030012428): the TAC of device d is 864508
// followed by d's two highest serial digits.
constexpr std::string_view kImeiPrefix = "864508";
constexpr std::uint64_t kImeiSerials = 100'000'000;  // 8 digits after the prefix

/// Calls `literal(text)` for the text between placeholders and `placeholder(name)` for each
/// `${name}`; false (and `error`) at a `${` with no `}`.
template <class Literal, class Placeholder>
bool walk_pattern(std::string_view pattern, Literal literal, Placeholder placeholder,
                  std::string& error) {
    while (!pattern.empty()) {
        const auto open = pattern.find("${");
        literal(pattern.substr(0, open));
        if (open == std::string_view::npos) {
            break;
        }
        const auto close = pattern.find('}', open);
        if (close == std::string_view::npos) {
            error = "\"${\" without \"}\"";
            return false;
        }
        placeholder(pattern.substr(open, close - open + 1));
        pattern.remove_prefix(close + 1);
    }
    return true;
}

std::string pattern_error(std::string_view why) {
    return "--psk-identity: " + std::string(why);
}

std::string hex_of_text(std::string_view text) {
    std::string hex;
    append_hex_lower(hex, as_bytes(text));
    return hex;
}

}  // namespace

char imei_check_digit(std::string_view fourteen_digits) {
    // TS 23.003 Annex B: from the right, every other digit (the rightmost first) is doubled and
    // the digits of the products summed; the check digit brings the total to a multiple of 10.
    unsigned sum = 0;
    bool doubled = true;
    for (auto it = fourteen_digits.rbegin(); it != fourteen_digits.rend(); ++it) {
        unsigned digit = static_cast<unsigned>(*it - '0');
        if (doubled) {
            digit *= 2;
            digit = digit / 10 + digit % 10;
        }
        sum += digit;
        doubled = !doubled;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string device_imei(std::uint64_t device) {
    assert(device < kImeiSerials);
    std::string imei(kImeiPrefix);
    const std::string serial = std::to_string(device % kImeiSerials);
    imei.append(8 - serial.size(), '0');
    imei.append(serial);
    imei.push_back(imei_check_digit(imei));
    return imei;
}

std::uint64_t device_seed(std::uint64_t fleet_seed, std::uint64_t device) {
    // splitmix64 (Steele, Lea and Flood 2014): its state after device + 1 steps is
    // fleet_seed + (device + 1) * gamma, so device d's seed needs no other device's.
    std::uint64_t z = fleet_seed + (device + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::string default_psk_secret(std::uint64_t fleet_seed) {
    return "atcoap-fleet-seed-" + std::to_string(fleet_seed);
}

std::string derive_psk_key_text(std::string_view secret, std::string_view identity) {
    std::array<unsigned char, 32> mac{};
    const int status = mbedtls_md_hmac(
        mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
        reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
        reinterpret_cast<const unsigned char*>(identity.data()), identity.size(), mac.data());
    assert(status == 0);
    (void)status;
    std::string key;
    append_hex_lower(key, ByteView(mac.data(), 16));
    return key;
}

std::optional<std::string> psk_key_text(std::string_view key_hex) {
    const auto bytes = parse_hex(key_hex);
    if (!bytes || bytes->empty()) {
        return std::nullopt;
    }
    for (const std::uint8_t byte : *bytes) {
        if (byte <= 0x20 || byte >= 0x7F) {
            return std::nullopt;
        }
    }
    return std::string(as_text(*bytes));
}

std::optional<std::string> psk_identity_problem(std::string_view identity) {
    if (identity.empty()) {
        return "the identity is empty";
    }
    if (identity.size() > kMaxPskIdentityBytes) {
        return "the identity has " + std::to_string(identity.size()) + " bytes, more than " +
               std::to_string(kMaxPskIdentityBytes);
    }
    if (identity.front() == '#') {
        return "the identity starts with '#' (a comment in key files)";
    }
    for (const char c : identity) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7F) {
            return "the identity holds a space, a control or a non-ASCII byte";
        }
        if (c == ',' || c == '&' || c == '"' || c == '\\') {
            return std::string("the identity holds '") + c +
                   "' (key files and AT strings use it as a separator)";
        }
    }
    return std::nullopt;
}

std::string expand_identity_pattern(std::string_view pattern, std::uint64_t device) {
    std::string identity;
    std::string error;
    const bool ok = walk_pattern(
        pattern, [&](std::string_view text) { identity.append(text); },
        [&](std::string_view name) {
            identity.append(name == kDevicePlaceholder ? std::to_string(device)
                                                       : device_imei(device));
        },
        error);
    assert(ok);
    (void)ok;
    return identity;
}

std::optional<std::string> identity_pattern_problem(std::string_view pattern,
                                                    std::uint64_t modems) {
    if (pattern.size() > kMaxPatternBytes) {
        return pattern_error("the pattern is longer than " + std::to_string(kMaxPatternBytes) +
                             " bytes");
    }
    std::string error;
    std::size_t placeholders = 0;
    const bool ok = walk_pattern(
        pattern, [](std::string_view) {},
        [&](std::string_view name) {
            if (name != kDevicePlaceholder && name != kImeiPlaceholder && error.empty()) {
                error = "unknown placeholder " + std::string(name.substr(0, 40)) +
                        " (only ${DEVICE} and ${IMEI})";
            }
            ++placeholders;
        },
        error);
    if (!ok || !error.empty()) {
        return pattern_error(error);
    }
    if (placeholders == 0 && modems > 1) {
        return pattern_error("without ${DEVICE} or ${IMEI} every device has the same identity");
    }
    // The longest identity is the last device's (${DEVICE} has the most digits there); the
    // characters are the same for every device, since the placeholders give digits.
    const std::uint64_t last = modems == 0 ? 0 : modems - 1;
    if (auto problem = psk_identity_problem(expand_identity_pattern(pattern, last))) {
        return pattern_error(*problem + " (device " + std::to_string(last) + ")");
    }
    return std::nullopt;
}

Result<IdentitySource, std::string> IdentitySource::make(const IdentityOptions& options,
                                                         std::uint64_t modems) {
    if (modems > kMaxFleetDevices) {
        return fail("--modems: at most " + std::to_string(kMaxFleetDevices) +
                    " devices (each needs its own IMEI)");
    }
    IdentitySource source;
    // Everything but the CSV's text (up to 64 MiB), which is kept parsed: an empty text says
    // that the identities come from it.
    source.options_ = {options.fleet_seed, options.psk_identity_pattern, options.psk_secret,
                       std::nullopt};
    if (options.psk_csv_text) {
        auto entries = parse_psk_csv(*options.psk_csv_text);
        if (!entries) {
            return fail(entries.error());
        }
        if (entries->size() < modems) {
            return fail("PSK CSV: " + std::to_string(entries->size()) +
                        " devices, fewer than the " + std::to_string(modems) + " modems");
        }
        source.csv_.reserve(static_cast<std::size_t>(modems));
        for (std::uint64_t d = 0; d < modems; ++d) {
            auto& entry = (*entries)[static_cast<std::size_t>(d)];
            source.csv_.emplace_back(std::move(entry.identity), std::move(entry.key_hex));
        }
        source.options_.psk_csv_text.emplace();
        return source;
    }
    if (auto problem = identity_pattern_problem(options.psk_identity_pattern, modems)) {
        return fail(*problem);
    }
    source.secret_ =
        options.psk_secret.empty() ? default_psk_secret(options.fleet_seed) : options.psk_secret;
    return source;
}

DeviceIdentity IdentitySource::identity(std::uint64_t device) const {
    DeviceIdentity id;
    id.device = device;
    id.imei = device_imei(device);
    id.seed = device_seed(options_.fleet_seed, device);
    if (options_.psk_csv_text) {
        assert(device < csv_.size());
        if (device < csv_.size()) {
            const auto& [identity, key_hex] = csv_[static_cast<std::size_t>(device)];
            id.psk_identity = identity;
            id.psk_key_hex = key_hex;
        }
        return id;
    }
    id.psk_identity = expand_identity_pattern(options_.psk_identity_pattern, device);
    id.psk_key_hex = hex_of_text(derive_psk_key_text(secret_, id.psk_identity));
    return id;
}

std::string server_identity_file(const IdentitySource& source, std::uint64_t modems) {
    std::string file =
        "# coap-server -i: hint,identity,key (libcoap); " + std::to_string(modems) + " devices\n";
    for (std::uint64_t d = 0; d < modems; ++d) {
        const DeviceIdentity id = source.identity(d);
        if (const auto key = psk_key_text(id.psk_key_hex)) {
            file.append(kLibcoapHint).append(",").append(id.psk_identity).append(",");
            file.append(*key).append("\n");
        } else {
            file.append("# device " + std::to_string(d) +
                        ": its key is not printable text, which libcoap cannot read\n");
        }
    }
    return file;
}

std::string atcoap_psk_file(const IdentitySource& source, std::uint64_t modems) {
    std::string file =
        "# atcoap server --psk-file: identity:key-hex; " + std::to_string(modems) + " devices\n";
    for (std::uint64_t d = 0; d < modems; ++d) {
        const DeviceIdentity id = source.identity(d);
        file.append(id.psk_identity).append(":").append(id.psk_key_hex).append("\n");
    }
    return file;
}

Result<std::string, std::string> fleet_keys_text(const IdentityOptions& options,
                                                 std::uint64_t modems) {
    auto source = IdentitySource::make(options, modems);
    if (!source) {
        return fail(source.error());
    }
    return server_identity_file(*source, modems);
}

}  // namespace atcoap::fleet
