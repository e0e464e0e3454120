#pragma once
// Text for the runner's reports (docs/SCRIPTS.md, "Running scripts"): durations as a script
// writes them, and what a script or a port wrote made safe for a terminal and a report file.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"

namespace atcoap::script {

/// As a script writes it: "250ms", "5s", "1.5s", "2min", "1h".
std::string duration_text(Duration duration);
/// Seconds with millisecond precision: "0.250", "247.000".
std::string seconds_text(Duration duration);
/// A pattern or a step as written, its control bytes (and DEL) as `\xHH`; the rest, UTF-8
/// included, stays as it is (a pattern's own backslashes must read as written).
std::string visible(std::string_view text);
/// The length of the well-formed UTF-8 sequence of a character XML and YAML allow that starts
/// at `text[at]` (no overlong form, no surrogate, not U+FFFE or U+FFFF), or 0.
std::size_t utf8_length(std::string_view text, std::size_t at);
/// `\xHH`: what report writers put in place of a byte they cannot show.
std::string hex_escape(unsigned char byte);

}  // namespace atcoap::script
