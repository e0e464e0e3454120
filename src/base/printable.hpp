#pragma once
// Text from the network (a Uri-Path, an identity) made safe for a log line: a peer must not be
// able to write terminal escapes, newlines that forge log lines, or bytes that break a UTF-8
// terminal into the log.

#include <string>
#include <string_view>

namespace atcoap {

/// Printable ASCII stays as it is, except `\`, which becomes `\\`; every other byte (controls,
/// DEL, bytes over 0x7F) becomes `\xHH` with two uppercase hex digits.
std::string printable(std::string_view text);

}  // namespace atcoap
