#pragma once
// One process's slice of a fleet (docs/FLEET.md, "Past one machine"): `--shard I/N` takes the
// devices I, I+N, I+2N ...; with identities and seeds derived per device, the union of the N
// shards is the fleet one process would run.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace atcoap::fleet {

struct Shard {
    std::uint64_t index = 0;
    std::uint64_t count = 1;
    bool operator==(const Shard&) const = default;
};

/// The most shards a fleet is cut into: far more pods than any one Job runs, and a bound on the
/// text `--shard` takes.
inline constexpr std::uint64_t kMaxShards = 1'000'000;

/// "I/N" with 0 <= I < N and 1 <= N <= kMaxShards, decimal digits only (no sign, no space);
/// fails with one line.
Result<Shard, std::string> parse_shard(std::string_view text);
/// How many of `modems` devices are this shard's (0 when the shard's index is past them), and
/// its k-th device (k < devices_in): the devices I, I+N, I+2N ... (strided, so that every shard
/// of a fleet ramps up alike and holds a like mix of devices).
std::uint64_t devices_in(const Shard& shard, std::uint64_t modems);
std::uint64_t device_of(const Shard& shard, std::uint64_t k);

}  // namespace atcoap::fleet
