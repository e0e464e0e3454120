#pragma once
// One reader of the `HOST:PORT` addresses the command line takes (`--tcp`, `atcoap server`'s
// listen and DTLS addresses, `--with-server`). An IPv6 host is written in brackets, as in a URI
// (RFC 3986 §3.2.2): `[::1]:5683`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace atcoap {

struct HostPort {
    std::string host;
    std::uint16_t port = 0;

    bool operator==(const HostPort&) const = default;
};

/// Reads `HOST:PORT` or `[IPV6]:PORT`. With a `default_host`, the host may be left out
/// (`PORT` or `:PORT`) and is then that one; without, it is required. The error names the text
/// and what is wrong with it.
Result<HostPort, std::string> parse_host_port(std::string_view text,
                                              std::optional<std::string_view> default_host = {});

/// Whether `host` names this machine's loopback only: an IPv4 literal in 127.0.0.0/8, `::1`
/// (also as an IPv4-mapped 127 address), or `localhost`. Any other name, and the wildcard
/// addresses `0.0.0.0` and `::`, are not.
bool is_loopback_host(std::string_view host);

}  // namespace atcoap
