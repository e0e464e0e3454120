// Parses arbitrary text as a netem spec (netem/spec.hpp) and, with "client N" in front, as the
// modem's option. A refusal must be one line in the form `"<clause>": <what>`; an accepted spec
// must stay within its stated bounds, print back to a spec that parses to the same clauses,
// and run through a stage without trouble.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/log.hpp"
#include "base/random.hpp"
#include "modem/network_impairment.hpp"
#include "netem/impairment.hpp"
#include "netem/spec.hpp"

namespace {

using namespace atcoap;

void require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

void check_refusal(const std::string& error) {
    require(error.size() > 4 && error.front() == '"');
    require(error.find("\": ") != std::string::npos);
    require(error.find('\n') == std::string::npos);
}

void check_bounds(const netem::Spec& spec) {
    require(spec.limit >= 1 && spec.limit <= netem::kMaxLimit);
    require(spec.delay >= netem::Nanoseconds(0) && spec.delay <= netem::kMaxTime);
    require(spec.jitter >= netem::Nanoseconds(0) && spec.jitter <= netem::kMaxTime);
    require(!spec.rate || (*spec.rate >= 1 && *spec.rate <= netem::kMaxRate));
    require(!spec.reorder || (spec.delay.count() > 0 && spec.gap >= 1));
    require(!(spec.loss && spec.gemodel));
}

void run_stage(const netem::Spec& spec) {
    SeededRandom random(1);
    NullLogger log;
    netem::Impairment stage(spec, random, log, "fuzz");
    for (int i = 0; i < 8; ++i) {
        stage.push(netem::Packet{Bytes(static_cast<std::size_t>(i * 7), 0x55), 0}, at_ms(i));
    }
    const auto due = stage.next_deadline();
    require(!due || *due >= at_ms(0));
    // The longest hold: a delay of kMaxTime plus four standard deviations (the normal draw's
    // clamp) of a jitter of kMaxTime, plus the rate's queue of these few bytes: under 6 h.
    stage.take_due(at_ms(6LL * 3'600'000));
    require(stage.held() == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto spec = netem::parse_spec(text);
    if (!spec) {
        check_refusal(spec.error());
    } else {
        check_bounds(*spec);
        const auto again = netem::parse_spec(netem::to_string(*spec));
        require(again.ok() || netem::to_string(*spec) == "none");
        if (again.ok()) {
            check_bounds(*again);
            require(again->limit == spec->limit && again->gap == spec->gap &&
                    again->blackhole == spec->blackhole && again->rate == spec->rate);
        }
        run_stage(*spec);
    }
    const auto target = modem::parse_netem_target(text);
    if (!target) {
        check_refusal(target.error());
    }
    return 0;
}
