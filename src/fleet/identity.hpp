#pragma once
// Who each device of a fleet is (docs/FLEET.md, "Devices"): its index, a unique IMEI, its
// DTLS-PSK identity and key, and its own seed, all derived from the fleet's options alone, so
// the same device is the same in one process or in any shard.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace atcoap::fleet {

struct DeviceIdentity {
    std::uint64_t device = 0;  // 0 .. N-1
    std::string imei;          // 15 digits, unique per device, Luhn check digit
    std::string psk_identity;
    std::string psk_key_hex;  // lower-case hex
    std::uint64_t seed = 0;   // the device's random and impairment seed
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
    DeviceIdentity identity(std::uint64_t device) const;

  private:
    IdentityOptions options_;
    std::vector<std::pair<std::string, std::string>> csv_;  // identity, key hex
};

/// coap-server's `-i` file of the fleet's identities and keys (docs/FLEET.md).
std::string server_identity_file(const IdentitySource& source, std::uint64_t modems);

}  // namespace atcoap::fleet
