#pragma once
// `atcoap ctl COMMAND [ARGS]` as a request of the control protocol (docs/CONTROL.md): the words
// of the command line to the JSON a shell script would otherwise have to write.

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/time.hpp"

namespace atcoap::control {

/// "200ms", "1.5s", "2s", "0" or a bare number of milliseconds; the reason when not.
Result<Duration, std::string> parse_duration(std::string_view text);

/// The request for `words` (the command and its arguments), with "id": 1; a usage message when
/// they are not a command. `events` has no request: the caller only reads.
Result<nlohmann::json, std::string> ctl_request(std::span<const std::string> words);

/// The usage text of `atcoap ctl`.
std::string_view ctl_usage();

}  // namespace atcoap::control
