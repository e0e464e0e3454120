#include "control/commands.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cstdint>

#include "modem/network_impairment.hpp"

namespace atcoap::control {

namespace {

using nlohmann::json;

// The same bounds the modem keeps (docs/CONTROL.md): checked here too, so that a bad value
// never reaches the Target.
constexpr std::int64_t kMaxDelayMs = 60'000;
constexpr std::size_t kMaxUrcLength = 1024;
constexpr int kMinContext = 1;
constexpr int kMaxContext = 16;

Reply done() {
    return json::object();
}

Reply from(const Status<std::string>& status) {
    if (!status.ok()) {
        return fail(generic_error(status.error()));
    }
    return done();
}

/// A member the schema has checked to be an integer (signed or unsigned), clamped into int64.
std::int64_t integer(const json& arguments, std::string_view name) {
    const json& value = arguments.at(std::string(name));
    if (value.is_number_unsigned()) {
        const auto unsigned_value = value.get<std::uint64_t>();
        return unsigned_value > static_cast<std::uint64_t>(INT64_MAX)
                   ? INT64_MAX
                   : static_cast<std::int64_t>(unsigned_value);
    }
    return value.get<std::int64_t>();
}

std::optional<Error> range(const json& arguments, std::string_view name, std::int64_t low,
                           std::int64_t high, std::int64_t also = -1) {
    const std::int64_t value = integer(arguments, name);
    if ((value >= low && value <= high) || (also >= 0 && value == also)) {
        return std::nullopt;
    }
    const std::string extra = also >= 0 ? fmt::format(" or {}", also) : std::string();
    return generic_error(
        fmt::format("'{}' must be {} to {}{}: got {}", name, low, high, extra, value));
}

/// The word `name` holds, as its index in `words`, or the error naming them.
Result<std::size_t, Error> word(const json& arguments, std::string_view name,
                                std::initializer_list<std::string_view> words) {
    const auto& text = arguments.at(std::string(name)).get_ref<const std::string&>();
    std::size_t index = 0;
    for (const std::string_view w : words) {
        if (text == w) {
            return index;
        }
        ++index;
    }
    return fail(generic_error(
        fmt::format("'{}' must be one of {}: got \"{}\"", name, fmt::join(words, ", "), text)));
}

Reply run_radio(const json& arguments, Target& target) {
    const auto state = word(arguments, "state", {"off", "on"});
    if (!state) {
        return fail(state.error());
    }
    return from(target.radio(*state == 1));
}

Reply run_pdp(const json& arguments, Target& target) {
    const auto action = word(arguments, "action", {"drop", "restore"});
    if (!action) {
        return fail(action.error());
    }
    if (auto bad = range(arguments, "cid", kMinContext, kMaxContext)) {
        return fail(*bad);
    }
    return from(target.pdp(static_cast<int>(integer(arguments, "cid")), *action == 1));
}

Reply run_signal(const json& arguments, Target& target) {
    if (auto bad = range(arguments, "rssi", 0, 31, 99)) {
        return fail(*bad);
    }
    if (auto bad = range(arguments, "ber", 0, 7, 99)) {
        return fail(*bad);
    }
    return from(target.signal(static_cast<int>(integer(arguments, "rssi")),
                              static_cast<int>(integer(arguments, "ber"))));
}

Reply run_urc(const json& arguments, Target& target) {
    const auto& line = arguments.at("line").get_ref<const std::string&>();
    if (line.size() > kMaxUrcLength) {
        return fail(generic_error(
            fmt::format("'line' is at most {} bytes: got {}", kMaxUrcLength, line.size())));
    }
    if (line.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        return fail(generic_error("'line' holds no CR, LF or NUL: the modem frames it"));
    }
    return from(target.urc(line));
}

Reply run_reboot(const json&, Target& target) {
    return from(target.reboot());
}

Reply run_latency(const json& arguments, Target& target) {
    if (auto bad = range(arguments, "fixed_ms", 0, kMaxDelayMs)) {
        return fail(*bad);
    }
    std::int64_t jitter = 0;
    if (arguments.contains("jitter_ms")) {
        if (auto bad = range(arguments, "jitter_ms", 0, kMaxDelayMs)) {
            return fail(*bad);
        }
        jitter = integer(arguments, "jitter_ms");
    }
    return from(target.latency(Duration{integer(arguments, "fixed_ms")}, Duration{jitter}));
}

/// `client` as the argument or as the spec's `client N` prefix (not both), checked 0-5.
Result<std::optional<int>, Error> netem_client(const json& arguments,
                                               std::optional<int> from_spec) {
    if (!arguments.contains("client")) {
        return from_spec;
    }
    if (from_spec) {
        return fail(generic_error("the client is given twice: as 'client' and in the spec"));
    }
    if (auto bad = range(arguments, "client", 0, modem::kClientCount - 1)) {
        return fail(*bad);
    }
    return std::optional<int>(static_cast<int>(integer(arguments, "client")));
}

// docs/CONTROL.md "netem": the spec is read here, with the command line's parser, so that a bad
// one is refused with its one line before anything changes (on either direction for "both").
Reply run_netem(const json& arguments, Target& target) {
    const auto direction = word(arguments, "direction", {"up", "down", "both"});
    if (!direction) {
        return fail(direction.error());
    }
    std::optional<netem::Spec> spec;
    std::optional<int> spec_client;
    if (arguments.contains("spec")) {
        auto parsed = modem::parse_netem_target(arguments.at("spec").get_ref<const std::string&>());
        if (!parsed) {
            return fail(generic_error(parsed.error()));
        }
        spec = std::move(parsed->spec);
        spec_client = parsed->client;
    }
    const auto client = netem_client(arguments, spec_client);
    if (!client) {
        return fail(client.error());
    }
    constexpr std::array kDirections{NetemDirections::Up, NetemDirections::Down,
                                     NetemDirections::Both};
    return from(target.netem(kDirections.at(*direction), *client, std::move(spec)));
}

Reply run_status(const json&, Target& target) {
    return target.status();
}

Reply run_quit(const json&, Target& target) {
    target.quit();
    return done();
}

Reply run_query_commands(const json&, Target&);

// The table.
const std::array<Command, 10> kCommands{{
    {"radio", {{"state", Kind::String}}, run_radio},
    {"pdp", {{"action", Kind::String}, {"cid", Kind::Integer}}, run_pdp},
    {"signal", {{"rssi", Kind::Integer}, {"ber", Kind::Integer}}, run_signal},
    {"urc", {{"line", Kind::String}}, run_urc},
    {"reboot", {}, run_reboot},
    {"latency", {{"fixed_ms", Kind::Integer}, {"jitter_ms", Kind::Integer, false}}, run_latency},
    {"netem",
     {{"direction", Kind::String}, {"spec", Kind::String, false}, {"client", Kind::Integer, false}},
     run_netem},
    {"status", {}, run_status},
    {"quit", {}, run_quit},
    {"query-commands", {}, run_query_commands},
}};

Reply run_query_commands(const json&, Target&) {
    json names = json::array();
    for (const Command& command : kCommands) {
        names.push_back({{"name", command.name}});
    }
    return names;
}

bool of_kind(const json& value, Kind kind) {
    switch (kind) {
        case Kind::Integer:
            return value.is_number_integer();
        case Kind::String:
            return value.is_string();
    }
    return false;
}

std::string_view kind_name(Kind kind) {
    return kind == Kind::Integer ? "an integer" : "a string";
}

}  // namespace

Error generic_error(std::string desc) {
    return Error{"GenericError", std::move(desc)};
}

std::span<const Command> commands() {
    return kCommands;
}

const Command* find_command(std::string_view name) {
    for (const Command& command : kCommands) {
        if (command.name == name) {
            return &command;
        }
    }
    return nullptr;
}

std::optional<Error> check_arguments(const Command& command, const json& arguments) {
    for (const auto& [key, value] : arguments.items()) {
        const Param* param = nullptr;
        for (const Param& p : command.params) {
            if (p.name == key) {
                param = &p;
            }
        }
        if (param == nullptr) {
            return generic_error(fmt::format("{} takes no argument '{}'", command.name, key));
        }
        if (!of_kind(value, param->kind)) {
            return generic_error(fmt::format("'{}' must be {}", key, kind_name(param->kind)));
        }
    }
    for (const Param& p : command.params) {
        if (p.required && !arguments.contains(std::string(p.name))) {
            return generic_error(fmt::format("{} needs the argument '{}'", command.name, p.name));
        }
    }
    return std::nullopt;
}

}  // namespace atcoap::control
