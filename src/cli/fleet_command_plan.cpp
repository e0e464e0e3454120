#include "cli/fleet_command_plan.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "base/host_port.hpp"
#include "base/printable.hpp"
#include "cli/netem_options.hpp"
#include "control/ctl_request.hpp"
#include "fleet/identity.hpp"
#include "script/assignments.hpp"
#include "script/file_loader.hpp"
#include "script/parser.hpp"

namespace atcoap::cli {
namespace {

/// What `atcoap fleet` defines for every device (docs/FLEET.md, "Devices").
const std::set<std::string, std::less<>> kDeviceNames = {"DEVICE",  "IMEI", "PSK_ID",
                                                         "PSK_KEY", "HOST", "PORT"};
constexpr unsigned kMaxThreads = 64;

/// A period the fleet acts on again and again (`--interval`, `--reboot-every`,
/// `--rebind-every`): a duration of 100 ms or more, so that no option can spin the loops.
Result<Duration, std::string> period(const std::string& text, std::string_view option) {
    auto parsed = parse_fleet_duration(text);
    if (!parsed || *parsed < Duration(100)) {
        return fail(std::string(option) + " wants a duration of 100ms or more, got '" +
                    printable(text) + "'");
    }
    return *parsed;
}

Result<std::string, std::string> read_text(const std::string& path, std::string_view what) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return fail(std::string(what) + " " + path + ": cannot be read");
    }
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

Result<script::Script, std::string> load_script(const FleetCommandLine& line,
                                                const std::set<std::string, std::less<>>& names) {
    script::FileLoader loader;
    const script::IsDefined defined = [&names](std::string_view name) {
        return names.contains(name) || std::getenv(std::string(name).c_str()) != nullptr;
    };
    auto parsed = script::parse_script(line.script, loader, defined);
    if (!parsed) {
        return fail(parsed.error().text());
    }
    // A control step acts on the one modem of `atcoap script`; a fleet has no control side.
    if (auto refused = script::refuse_control(*parsed, "atcoap fleet")) {
        return fail(refused->text());
    }
    return std::move(*parsed);
}

/// The pacing options: iterations, duration, rate, ramp-up, threads, interval.
Status<std::string> pacing(const FleetCommandLine& line, fleet::FleetOptions& options) {
    if (line.threads == 0 || line.threads > kMaxThreads) {
        return fail("--threads is 1 to " + std::to_string(kMaxThreads));
    }
    options.threads = line.threads;
    options.iterations = line.iterations;
    if (!line.duration.empty()) {
        auto duration = parse_fleet_duration(line.duration);
        if (!duration) {
            return fail("--duration: " + duration.error());
        }
        options.duration = *duration;
    }
    if (!options.iterations && !options.duration) {
        options.iterations = 1;  // one run of the script per device
    }
    if (!line.rate.empty()) {
        auto rate = parse_rate(line.rate);
        if (!rate) {
            return fail("--rate: " + rate.error());
        }
        options.rate = *rate;
    }
    if (!line.ramp_up.empty()) {
        auto ramp = parse_fleet_duration(line.ramp_up);
        if (!ramp) {
            return fail("--ramp-up: " + ramp.error());
        }
        options.ramp_up = *ramp;
    }
    auto interval = period(line.interval, "--interval");
    if (!interval) {
        return fail(interval.error());
    }
    options.interval = *interval;
    if (!line.reboot_every.empty()) {
        auto every = period(line.reboot_every, "--reboot-every");
        if (!every) {
            return fail(every.error());
        }
        options.reboot_every = *every;
    }
    if (!line.rebind_every.empty()) {
        auto every = period(line.rebind_every, "--rebind-every");
        if (!every) {
            return fail(every.error());
        }
        options.rebind_every = *every;
    }
    if (!(line.rebind_fraction >= 0 && line.rebind_fraction <= 1)) {
        return fail(std::string("--rebind-fraction is 0 to 1"));
    }
    return Done{};
}

/// --netem for the devices below fraction * N: the same list, shared.
Result<std::shared_ptr<const std::vector<fleet::DeviceNetem>>, std::string> plan_fleet_netem(
    const FleetCommandLine& line) {
    if (!(line.netem_fraction >= 0 && line.netem_fraction <= 1)) {
        return fail(std::string("--netem-fraction is 0 to 1"));
    }
    if (line.netem.empty()) {
        return std::shared_ptr<const std::vector<fleet::DeviceNetem>>{};
    }
    auto settings = plan_netem(NetemCommandLine{line.netem, {}, {}});
    if (!settings) {
        return fail(settings.error());
    }
    auto list = std::make_shared<std::vector<fleet::DeviceNetem>>();
    for (NetemSetting& setting : *settings) {
        list->push_back({setting.direction, setting.client, std::move(setting.spec)});
    }
    return std::shared_ptr<const std::vector<fleet::DeviceNetem>>(std::move(list));
}

}  // namespace

Result<Duration, std::string> parse_fleet_duration(std::string_view text) {
    // The text is shown escaped: the error stays one line whatever was typed.
    const auto refuse = [text] {
        return fail("a duration is like 500ms, 30s, 5m or 1h: got \"" + printable(text) + "\"");
    };
    for (const auto& [suffix, seconds] : {std::pair<std::string_view, int>{"h", 3600}, {"m", 60}}) {
        if (text.ends_with(suffix) && !text.ends_with("ms")) {
            auto count = control::parse_duration(
                std::string(text.substr(0, text.size() - suffix.size())) + "s");
            if (!count || count->count() > 1'000'000'000 / seconds) {
                return refuse();
            }
            return Duration(count->count() * seconds);
        }
    }
    auto parsed = control::parse_duration(text);
    if (!parsed) {
        return refuse();
    }
    return *parsed;
}

Result<double, std::string> parse_rate(std::string_view text) {
    std::string_view number = text;
    if (number.ends_with("/s")) {
        number.remove_suffix(2);
    }
    double value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (number.empty() || error != std::errc() || end != number.data() + number.size() ||
        !std::isfinite(value) || value <= 0 || value > 1e7) {
        return fail("a rate is iterations per second, like 1000/s (above 0, at most 1e7): got \"" +
                    printable(text) + "\"");
    }
    return value;
}

Result<std::vector<asio::ip::address>, std::string> parse_sources(std::string_view text) {
    const std::size_t dash = text.find('-');
    const std::string first(text.substr(0, dash));
    const std::string last(dash == std::string_view::npos ? first : text.substr(dash + 1));
    std::error_code bad_first;
    std::error_code bad_last;
    const auto from = asio::ip::make_address_v4(first, bad_first);
    const auto to = asio::ip::make_address_v4(last, bad_last);
    if (bad_first || bad_last || from.to_uint() > to.to_uint() ||
        to.to_uint() - from.to_uint() >= kMaxSources) {
        return fail("--source wants A.B.C.D or A.B.C.D-A.B.C.E (IPv4, ascending, at most " +
                    std::to_string(kMaxSources) + " addresses), got '" + printable(text) + "'");
    }
    std::vector<asio::ip::address> sources;
    for (auto at = from.to_uint();; ++at) {
        sources.push_back(asio::ip::address_v4(at));
        if (at == to.to_uint()) {
            break;
        }
    }
    return sources;
}

Status<std::string> reserve_descriptors(std::uint64_t needed) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return fail(std::string("cannot read the limit of open files (getrlimit)"));
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &limit);
        (void)getrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur != RLIM_INFINITY && needed > limit.rlim_cur) {
        return fail("this fleet needs " + std::to_string(needed) +
                    " open files (a socket per modem and client) but the limit is " +
                    std::to_string(limit.rlim_cur) + " (hard limit " +
                    std::to_string(limit.rlim_max) +
                    "): run fewer modems per process (--shard), or raise the hard limit "
                    "(ulimit -Hn, LimitNOFILE=)");
    }
    return Done{};
}

Result<FleetPlan, std::string> make_fleet_plan(const FleetCommandLine& line) {
    FleetPlan plan;
    if (line.script.empty() || line.target.empty()) {
        return fail(std::string("--modems N, --script FILE.at and --target HOST:PORT are needed"));
    }
    if (line.modems == 0 || line.modems > fleet::kMaxFleetDevices) {
        return fail("--modems is 1 to " + std::to_string(fleet::kMaxFleetDevices));
    }
    const auto target = parse_host_port(line.target);
    if (!target) {
        return fail("--target wants HOST:PORT: " + target.error());
    }
    fleet::Shard shard;
    if (!line.shard.empty()) {
        auto parsed = fleet::parse_shard(line.shard);
        if (!parsed) {
            return fail("--shard: " + parsed.error());
        }
        shard = *parsed;
    }
    plan.run = {shard.index, shard.count, line.modems, line.seed};
    if (auto paced = pacing(line, plan.options); !paced) {
        return fail(paced.error());
    }
    auto given = script::parse_assignments(line.variables, "-D");
    if (!given) {
        return fail(given.error());
    }
    auto netem = plan_fleet_netem(line);
    if (!netem) {
        return fail(netem.error());
    }
    // The first fraction * N devices of the whole fleet: the same devices in every shard.
    const auto impaired = static_cast<std::uint64_t>(
        std::llround(line.netem_fraction * static_cast<double>(line.modems)));
    const auto rebound = static_cast<std::uint64_t>(
        std::llround(line.rebind_fraction * static_cast<double>(line.modems)));
    std::vector<asio::ip::address> sources;
    if (!line.source.empty()) {
        auto parsed = parse_sources(line.source);
        if (!parsed) {
            return fail(parsed.error());
        }
        sources = std::move(*parsed);
    }
    fleet::IdentityOptions identity{line.seed, line.psk_identity, line.psk_secret, std::nullopt};
    if (!line.psk_csv.empty()) {
        auto text = read_text(line.psk_csv, "--psk-csv");
        if (!text) {
            return fail(text.error());
        }
        identity.psk_csv_text = std::move(*text);
    }
    auto identities = fleet::IdentitySource::make(identity, line.modems);
    if (!identities) {
        return fail(identities.error());
    }
    std::set<std::string, std::less<>> names = kDeviceNames;
    if (line.dtls) {
        names.insert("DTLS_PORT");
    }
    for (const auto& [name, value] : *given) {
        names.insert(name);
    }
    auto script = load_script(line, names);
    if (!script) {
        return fail(script.error());
    }
    plan.script = std::move(*script);
    const std::uint64_t count = fleet::devices_in(shard, line.modems);
    plan.options.devices.reserve(count);
    for (std::uint64_t k = 0; k < count; ++k) {
        const fleet::DeviceIdentity id = identities->identity(fleet::device_of(shard, k));
        fleet::DeviceSetup setup{id.device, id.imei, id.seed, *given, std::nullopt, nullptr};
        // -D wins over the fleet's own names, as --var does in `atcoap script`.
        setup.variables.try_emplace("DEVICE", std::to_string(id.device));
        setup.variables.try_emplace("IMEI", id.imei);
        setup.variables.try_emplace("PSK_ID", id.psk_identity);
        setup.variables.try_emplace("PSK_KEY", id.psk_key_hex);
        setup.variables.try_emplace("HOST", target->host);
        setup.variables.try_emplace("PORT", std::to_string(target->port));
        if (line.dtls) {
            setup.variables.try_emplace("DTLS_PORT", std::to_string(target->port));
        }
        if (!sources.empty()) {
            setup.source = sources[id.device % sources.size()];
        }
        if (id.device < impaired) {
            setup.netem = *netem;
        }
        setup.rebinds = id.device < rebound;
        plan.options.devices.push_back(std::move(setup));
    }
    return plan;
}

}  // namespace atcoap::cli
