#include "control/ctl_request.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>

namespace atcoap::control {

namespace {

using nlohmann::json;

constexpr std::string_view kUsage = R"(usage: atcoap ctl [--socket PATH] COMMAND [ARGS]
commands:
  radio on|off              the network gives the radio back or takes it away
  pdp drop|restore CID      the network deactivates or reactivates PDP context CID (1-16)
  signal RSSI BER           what AT+CSQ reports (RSSI 0-31 or 99, BER 0-7 or 99)
  urc LINE                  writes LINE to the host as a URC
  reboot                    the module restarts
  latency FIXED [JITTER]    answers to the host come late (200ms, 1s; 0 turns it off)
  netem up|down|both SPEC   impairs the network: tc netem clauses ("loss 30%",
                            "client 2 delay 100ms"; see docs/FAULTS.md)
  netem up|down|both clear [CLIENT]
                            ends it, for every client or for CLIENT (0-5) only
  status                    clients, counters, radio, PDP and netem state (JSON)
  quit                      atcoap exits
  events                    prints every event as a JSON line until interrupted
)";

Result<int, std::string> parse_int(std::string_view text, std::string_view what) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return fail(fmt::format("{} must be a whole number: got \"{}\"", what, text));
    }
    return value;
}

json request(std::string_view name, json arguments = json::object()) {
    return {{"execute", name}, {"arguments", std::move(arguments)}, {"id", 1}};
}

Result<json, std::string> wrong(std::string_view command, std::string_view form) {
    return fail(fmt::format("usage: atcoap ctl {} {}", command, form));
}

Result<json, std::string> latency_request(std::span<const std::string> args) {
    if (args.empty() || args.size() > 2) {
        return wrong("latency", "FIXED [JITTER]");
    }
    const auto fixed = parse_duration(args[0]);
    if (!fixed) {
        return fail(fixed.error());
    }
    json arguments = {{"fixed_ms", fixed->count()}};
    if (args.size() == 2) {
        const auto jitter = parse_duration(args[1]);
        if (!jitter) {
            return fail(jitter.error());
        }
        arguments["jitter_ms"] = jitter->count();
    }
    return request("latency", arguments);
}

/// `netem DIR SPEC...` (the words joined: quoting the spec is optional) or `netem DIR clear
/// [CLIENT]`. The spec is read by atcoap, which answers a bad one with the parser's line.
Result<json, std::string> netem_request(std::span<const std::string> args) {
    constexpr std::string_view kForm = "up|down|both SPEC, or up|down|both clear [CLIENT]";
    if (args.size() < 2 || (args[0] != "up" && args[0] != "down" && args[0] != "both")) {
        return wrong("netem", kForm);
    }
    json arguments = {{"direction", args[0]}};
    if (args[1] == "clear") {
        if (args.size() > 3) {
            return wrong("netem", kForm);
        }
        if (args.size() == 3) {
            const auto client = parse_int(args[2], "CLIENT");
            if (!client) {
                return fail(client.error());
            }
            arguments["client"] = *client;
        }
        return request("netem", arguments);
    }
    std::string spec = args[1];
    for (const std::string& word : args.subspan(2)) {
        spec += " " + word;
    }
    arguments["spec"] = spec;
    return request("netem", arguments);
}

Result<json, std::string> two_ints(std::string_view name, std::span<const std::string> args,
                                   std::string_view first, std::string_view second) {
    if (args.size() != 2) {
        return wrong(name, fmt::format("{} {}", first, second));
    }
    const auto a = parse_int(args[0], first);
    const auto b = parse_int(args[1], second);
    if (!a || !b) {
        return fail(!a ? a.error() : b.error());
    }
    std::string lower_first(first), lower_second(second);
    for (auto* s : {&lower_first, &lower_second}) {
        for (char& c : *s) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return request(name, {{lower_first, *a}, {lower_second, *b}});
}

}  // namespace

Result<Duration, std::string> parse_duration(std::string_view text) {
    double scale = 1;
    std::string_view number = text;
    if (number.ends_with("ms")) {
        number.remove_suffix(2);
    } else if (number.ends_with("s")) {
        number.remove_suffix(1);
        scale = 1000;
    }
    double value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (number.empty() || error != std::errc() || end != number.data() + number.size() ||
        !std::isfinite(value) || value < 0 || value * scale > 1e9) {
        return fail(fmt::format("a duration is like 200ms, 1.5s or 0: got \"{}\"", text));
    }
    return Duration{static_cast<Duration::rep>(std::llround(value * scale))};
}

Result<json, std::string> ctl_request(std::span<const std::string> words) {
    if (words.empty()) {
        return fail(std::string(kUsage));
    }
    const std::string& name = words[0];
    const auto args = words.subspan(1);
    if (name == "radio") {
        if (args.size() != 1 || (args[0] != "on" && args[0] != "off")) {
            return wrong(name, "on|off");
        }
        return request(name, {{"state", args[0]}});
    }
    if (name == "pdp") {
        if (args.size() != 2 || (args[0] != "drop" && args[0] != "restore")) {
            return wrong(name, "drop|restore CID");
        }
        const auto cid = parse_int(args[1], "CID");
        if (!cid) {
            return fail(cid.error());
        }
        return request(name, {{"action", args[0]}, {"cid", *cid}});
    }
    if (name == "signal") {
        return two_ints(name, args, "RSSI", "BER");
    }
    if (name == "urc") {
        if (args.size() != 1) {
            return wrong(name, "LINE (quoted as one word)");
        }
        return request(name, {{"line", args[0]}});
    }
    if (name == "latency") {
        return latency_request(args);
    }
    if (name == "netem") {
        return netem_request(args);
    }
    if (name == "reboot" || name == "status" || name == "quit") {
        if (!args.empty()) {
            return wrong(name, "(no arguments)");
        }
        return request(name);
    }
    return fail(fmt::format("atcoap ctl: unknown command \"{}\"\n{}", name, kUsage));
}

std::string_view ctl_usage() {
    return kUsage;
}

}  // namespace atcoap::control
