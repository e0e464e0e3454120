#include "cli/netem_options.hpp"

#include "io/clock.hpp"

namespace atcoap::cli {

namespace {

constexpr const char* kSpecHelp =
    "tc netem clauses: loss P%, loss gemodel p [r [1-h [1-k]]], delay T [J [distribution "
    "uniform|normal]], duplicate P%, reorder P% [gap N], corrupt P%, rate R [limit N], blackhole; "
    "\"client N ...\" for client N only; repeatable (docs/FAULTS.md)";

Status<std::string> add(const std::vector<std::string>& texts, const char* option,
                        std::initializer_list<modem::NetemDirection> directions,
                        std::vector<NetemSetting>& into) {
    for (const std::string& text : texts) {
        auto target = modem::parse_netem_target(text);
        if (!target) {
            return fail(std::string(option) + ": " + target.error());
        }
        for (const modem::NetemDirection direction : directions) {
            into.push_back(NetemSetting{direction, target->client, target->spec});
        }
    }
    return Done{};
}

}  // namespace

void add_netem_options(CLI::App& app, NetemCommandLine& line) {
    app.add_option("--netem", line.both, std::string("Impair the network both ways; ") + kSpecHelp)
        ->type_name("SPEC")
        ->allow_extra_args(false);
    app.add_option("--netem-up", line.up, "Impair what the modem sends (SPEC as for --netem)")
        ->type_name("SPEC")
        ->allow_extra_args(false);
    app.add_option("--netem-down", line.down,
                   "Impair what the modem receives (SPEC as for --netem)")
        ->type_name("SPEC")
        ->allow_extra_args(false);
}

Result<std::vector<NetemSetting>, std::string> plan_netem(const NetemCommandLine& line) {
    using modem::NetemDirection;
    std::vector<NetemSetting> settings;
    auto status = add(line.both, "--netem", {NetemDirection::Up, NetemDirection::Down}, settings);
    if (status) {
        status = add(line.up, "--netem-up", {NetemDirection::Up}, settings);
    }
    if (status) {
        status = add(line.down, "--netem-down", {NetemDirection::Down}, settings);
    }
    if (!status) {
        return fail(status.error());
    }
    return settings;
}

std::uint64_t choose_seed(const std::optional<std::uint64_t>& given, Logger& log) {
    if (given) {
        return *given;
    }
    const std::uint64_t seed = io::random_seed();
    log.log(LogLevel::Info, "seed " + std::to_string(seed) + " (--seed " + std::to_string(seed) +
                                " repeats this run)");
    return seed;
}

}  // namespace atcoap::cli
