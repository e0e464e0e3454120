// Arbitrary text as `atcoap fleet`'s --duration, --rate and --source (cli/fleet_command_plan.hpp):
// every input gives a value within its bounds or one error line, and never crashes.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cli/fleet_command_plan.hpp"

namespace {

using namespace atcoap;

void require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

void check_error(const std::string& error) {
    require(!error.empty());
    require(error.find('\n') == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto duration = cli::parse_fleet_duration(text)) {
        require(duration->count() >= 0);
    } else {
        check_error(duration.error());
    }
    if (auto rate = cli::parse_rate(text)) {
        require(std::isfinite(*rate) && *rate > 0 && *rate <= 1e7);
    } else {
        check_error(rate.error());
    }
    if (auto sources = cli::parse_sources(text)) {
        require(!sources->empty() && sources->size() <= cli::kMaxSources);
        for (std::size_t i = 1; i < sources->size(); ++i) {
            require((*sources)[i].to_v4().to_uint() == (*sources)[i - 1].to_v4().to_uint() + 1);
        }
    } else {
        check_error(sources.error());
    }
    return 0;
}
