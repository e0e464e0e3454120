#pragma once
// Before anything is timed, both implementations must agree on every fixture: otherwise the
// numbers would compare different work.

#include <string>
#include <vector>

#include "fixtures.hpp"

namespace atcoap::bench {

/// Every disagreement found for `fixture`, one English line each; empty when all agree.
/// Checks: atcoap decodes the wire bytes to the message and encodes the message to the wire
/// bytes; libcoap parses the wire bytes, and builds a PDU from the message, to the same header,
/// token, options and payload.
std::vector<std::string> cross_check(const Fixture& fixture);

}  // namespace atcoap::bench
