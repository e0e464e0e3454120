#include "script/runner.hpp"

namespace atcoap::script {

// docs/SCRIPTS.md, "Variables": what the script set or captured (and, put there by the driver,
// the command line's and the target's), then the environment.
std::optional<std::string> Variables::find(std::string_view name) const {
    if (const auto it = values.find(name); it != values.end()) {
        return it->second;
    }
    if (fallback) {
        return fallback(name);
    }
    return std::nullopt;
}

}  // namespace atcoap::script
