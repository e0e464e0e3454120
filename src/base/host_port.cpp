#include "base/host_port.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace atcoap {

namespace {

// Appended piece by piece: `"\"" + std::string(text)` draws a false -Wrestrict from g++ 12 at
// -O3 (GCC bug 105329).
std::string quoted(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    out += text;
    out += '"';
    return out;
}

/// The port after the last colon: decimal digits only, at most 65535.
std::optional<std::uint16_t> parse_port(std::string_view digits) {
    std::uint16_t port = 0;
    const char* end = digits.data() + digits.size();
    const auto [stop, error] = std::from_chars(digits.data(), end, port);
    if (digits.empty() || error != std::errc{} || stop != end) {
        return std::nullopt;
    }
    return port;
}

}  // namespace

Result<HostPort, std::string> parse_host_port(std::string_view text,
                                              std::optional<std::string_view> default_host) {
    const std::size_t colon = text.rfind(':');
    std::string_view host = colon == std::string_view::npos ? "" : text.substr(0, colon);
    const std::string_view digits = colon == std::string_view::npos ? text : text.substr(colon + 1);
    if (host.empty() && !default_host) {
        return fail("expected HOST:PORT, got " + quoted(text));
    }
    if (!host.empty() && (host.front() == '[' || host.back() == ']')) {
        if (host.size() < 3 || host.front() != '[' || host.back() != ']') {
            return fail("unbalanced brackets in " + quoted(text));
        }
        host = host.substr(1, host.size() - 2);
    }
    const std::optional<std::uint16_t> port = parse_port(digits);
    if (!port) {
        return fail("invalid port in " + quoted(text) + ": a number from 0 to 65535 is expected");
    }
    return HostPort{std::string(host.empty() ? *default_host : host), *port};
}

bool is_loopback_host(std::string_view host) {
    const std::string text(host);
    std::array<unsigned char, 16> address{};
    if (::inet_pton(AF_INET, text.c_str(), address.data()) == 1) {
        return address[0] == 127;
    }
    if (::inet_pton(AF_INET6, text.c_str(), address.data()) == 1) {
        constexpr std::array<unsigned char, 12> kMappedPrefix{0, 0, 0, 0, 0,    0,
                                                              0, 0, 0, 0, 0xFF, 0xFF};
        if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), address.begin())) {
            return address[12] == 127;
        }
        return std::all_of(address.begin(), address.begin() + 15,
                           [](unsigned char b) { return b == 0; }) &&
               address[15] == 1;
    }
    return text.size() == 9 &&
           std::equal(text.begin(), text.end(), "localhost", [](char a, char b) {
               return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
           });
}

}  // namespace atcoap
