#pragma once
// Variables given on a command line as NAME=VALUE (`atcoap script --var`, `atcoap fleet -D`;
// docs/SCRIPTS.md, "Variables"), checked before any script is read.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace atcoap::script {

/// A name a script can refer to as ${NAME}: letters, digits and _, not starting with a digit.
bool is_variable_name(std::string_view name);

using Assignments = std::map<std::string, std::string, std::less<>>;

/// Each NAME=VALUE (the value may be empty and may hold '='); a later one wins. `option` names
/// the option in the error, which quotes the first argument that is not of that shape.
Result<Assignments, std::string> parse_assignments(const std::vector<std::string>& arguments,
                                                   std::string_view option);

}  // namespace atcoap::script
