#pragma once
// Who each device of a fleet is (docs/FLEET.md, "Devices"): its index, a unique IMEI, its
// DTLS-PSK identity and key, and its own seed, all derived from the fleet's options alone, so
// the same device is the same in one process or in any shard.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace atcoap::fleet {

/// The most devices a fleet has: every index below it has its own IMEI (8 serial digits).
inline constexpr std::uint64_t kMaxFleetDevices = 100'000'000;
/// The longest PSK identity: RFC 4279 §5.3 makes every implementation take 128 bytes, and a
/// line of libcoap's `-i` file (255 bytes) then still holds the hint, identity and key.
inline constexpr std::size_t kMaxPskIdentityBytes = 128;
/// The longest key: mbedTLS's MBEDTLS_PSK_MAX_LEN (dtls::kMaxPskBytes), the modem's limit.
inline constexpr std::size_t kMaxPskKeyBytes = 32;
/// The longest identity pattern (before ${DEVICE} and ${IMEI} are replaced).
inline constexpr std::size_t kMaxPatternBytes = 256;
/// The identity hint libcoap's coap-server sends unless `-h` says otherwise: the first field of
/// every line of its `-i` file must match it.
inline constexpr std::string_view kLibcoapHint = "CoAP";

struct DeviceIdentity {
    std::uint64_t device = 0;  // 0 .. N-1
    std::string imei;          // 15 digits, unique per device, Luhn check digit
    std::string psk_identity;
    /// The key as the modem's PSK file (`<identity>&<key hex>`, DIALECT.md §4) and `atcoap
    /// server --psk` take it: its bytes in lower-case hex. A derived key's bytes are the text
    /// of 32 lower-case hex digits (so that libcoap, which takes keys as text, can use it).
    std::string psk_key_hex;
    std::uint64_t seed = 0;  // the device's random and impairment seed
};

struct IdentityOptions {
    std::uint64_t fleet_seed = 1;
    /// The identity: ${DEVICE} and ${IMEI} are replaced.
    std::string psk_identity_pattern = "dev-${DEVICE}";
    /// The key of device d is HMAC-SHA256(this secret, the device's identity), its first 16
    /// bytes; empty: the secret is derived from fleet_seed.
    std::string psk_secret;
    /// Instead: identity,key-hex lines; device d takes line d (the file must have N lines).
    std::optional<std::string> psk_csv_text;
};

class IdentitySource {
  public:
    /// Fails with one line naming the problem (a CSV line, a bad pattern).
    static Result<IdentitySource, std::string> make(const IdentityOptions& options,
                                                    std::uint64_t modems);
    /// Device `device` (below the `modems` it was made for).
    DeviceIdentity identity(std::uint64_t device) const;

  private:
    IdentityOptions options_;
    std::vector<std::pair<std::string, std::string>> csv_;  // identity, key hex
    std::string secret_;                                    // the HMAC key actually used
};

/// coap-server's `-i` file of the fleet's identities and keys (docs/FLEET.md): a comment line,
/// then `CoAP,<identity>,<key as text>` per device. A CSV key whose bytes are not printable
/// ASCII cannot be written there (libcoap reads the key as text): its device gets a comment line.
std::string server_identity_file(const IdentitySource& source, std::uint64_t modems);

/// `atcoap server --psk-file`'s format: `<identity>:<key hex>` per device, after a comment line.
std::string atcoap_psk_file(const IdentitySource& source, std::uint64_t modems);

/// What `atcoap fleet keys` prints: server_identity_file for these options, or the one error
/// line of IdentitySource::make.
Result<std::string, std::string> fleet_keys_text(const IdentityOptions& options,
                                                 std::uint64_t modems);

// The derivations, each documented in docs/FLEET.md "Devices"; exposed for tests and tools.

/// The Luhn check digit of 14 digits (3GPP TS 23.003 Annex B).
char imei_check_digit(std::string_view fourteen_digits);
/// "864508" + the index in 8 digits + the check digit (TS 23.003 §6.2.1); device < 10^8.
std::string device_imei(std::uint64_t device);
/// The device-th output of splitmix64 seeded with fleet_seed: the same in every shard.
std::uint64_t device_seed(std::uint64_t fleet_seed, std::uint64_t device);
/// "atcoap-fleet-seed-<S>": the HMAC secret when none is given (public: for load tests only).
std::string default_psk_secret(std::uint64_t fleet_seed);
/// Lower-case hex of the first 16 bytes of HMAC-SHA256(secret, identity): the key as text.
std::string derive_psk_key_text(std::string_view secret, std::string_view identity);
/// The key's bytes as text when they are all printable ASCII other than space; else nullopt.
std::optional<std::string> psk_key_text(std::string_view key_hex);
/// Why `identity` cannot be a PSK identity (empty, too long, a byte outside printable ASCII, a
/// space, `,` `&` `"` `\`, or a leading `#`); nullopt when it can.
std::optional<std::string> psk_identity_problem(std::string_view identity);
/// The pattern with ${DEVICE} and ${IMEI} replaced for `device`; the pattern must be valid.
std::string expand_identity_pattern(std::string_view pattern, std::uint64_t device);
/// Why `pattern` cannot name the identities of `modems` devices; nullopt when it can.
std::optional<std::string> identity_pattern_problem(std::string_view pattern, std::uint64_t modems);

}  // namespace atcoap::fleet
