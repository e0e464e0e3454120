#pragma once
// Well-formed UTF-8 (RFC 3629 §4): what scripts, their reports and their recordings accept as
// text, checked in one place.

#include <cstddef>
#include <string_view>

namespace atcoap {

/// The length (1 to 4) of the well-formed UTF-8 sequence that starts at `text[at]`, or 0 when
/// none does there: a stray continuation byte, an overlong form, a surrogate, a code point past
/// U+10FFFF, or a sequence cut by the end of `text`. Precondition: at < text.size().
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

}  // namespace atcoap
