#include "control/protocol.hpp"

#include <fmt/format.h>

#include <optional>

#include "control/commands.hpp"

namespace atcoap::control {

namespace {

using nlohmann::json;
// Lines out keep their members in the order written: "event" first, "id" last.
using Out = nlohmann::ordered_json;

/// Every line leaves through here: a string that is not UTF-8 (a URC the host's data shaped)
/// is written with U+FFFD in place of its bad bytes instead of failing.
std::string to_line(const Out& value) {
    std::string line = value.dump(-1, ' ', false, Out::error_handler_t::replace);
    line += '\n';
    return line;
}

std::string error_line(const Error& error, const std::optional<json>& id) {
    Out reply = {{"error", {{"class", error.error_class}, {"desc", error.desc}}}};
    if (id) {
        reply["id"] = *id;
    }
    return to_line(reply);
}

/// The request, or why it cannot be one. Nesting is bounded while parsing: a deeper value is
/// never built (nlohmann's callback drops it), and the request is refused.
Result<json, Error> parse_request(std::string_view line) {
    bool too_deep = false;
    const auto bound = [&too_deep](int depth, json::parse_event_t, json&) {
        if (depth > kMaxDepth) {
            too_deep = true;
            return false;
        }
        return true;
    };
    json request = json::parse(line, bound, false);
    if (request.is_discarded()) {
        return fail(generic_error("JSON parse error: not one JSON value"));
    }
    if (too_deep) {
        return fail(generic_error(fmt::format("JSON nested deeper than {} levels", kMaxDepth)));
    }
    if (!request.is_object()) {
        return fail(generic_error("a request is a JSON object"));
    }
    return request;
}

/// Checks the request's members; the command to run.
Result<const Command*, Error> check_request(const json& request) {
    for (const auto& [key, value] : request.items()) {
        if (key != "execute" && key != "arguments" && key != "id") {
            return fail(generic_error(fmt::format("unexpected member '{}' in the request", key)));
        }
    }
    const auto execute = request.find("execute");
    if (execute == request.end() || !execute->is_string()) {
        return fail(generic_error("'execute' must be a string naming a command"));
    }
    const auto arguments = request.find("arguments");
    if (arguments != request.end() && !arguments->is_object()) {
        return fail(generic_error("'arguments' must be an object"));
    }
    const auto& name = execute->get_ref<const std::string&>();
    const Command* command = find_command(name);
    if (command == nullptr) {
        return fail(
            Error{"CommandNotFound", fmt::format("the command {} has not been found", name)});
    }
    return command;
}

bool blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

std::string greeting(std::string_view version) {
    return to_line(Out{{"atcoap", {{"version", version}}}, {"capabilities", Out::array()}});
}

std::string event_line(std::string_view name, json data, Timestamp when) {
    return to_line(
        Out{{"event", name},
            {"data", Out(std::move(data))},
            {"timestamp", {{"seconds", when.seconds}, {"microseconds", when.microseconds}}}});
}

std::string answer(std::string_view line, Target& target) {
    if (blank(line)) {
        return {};
    }
    const auto request = parse_request(line);
    if (!request) {
        return error_line(request.error(), std::nullopt);
    }
    std::optional<json> id;
    if (const auto found = request->find("id"); found != request->end()) {
        id = *found;
    }
    const auto command = check_request(*request);
    if (!command) {
        return error_line(command.error(), id);
    }
    const json arguments = request->value("arguments", json::object());
    if (auto bad = check_arguments(**command, arguments)) {
        return error_line(*bad, id);
    }
    const Reply reply = (*command)->run(arguments, target);
    if (!reply) {
        return error_line(reply.error(), id);
    }
    Out out = {{"return", Out(*reply)}};
    if (id) {
        out["id"] = *id;
    }
    return to_line(out);
}

std::string Session::feed(std::string_view bytes) {
    std::string replies;
    while (!bytes.empty()) {
        const std::size_t end = bytes.find('\n');
        const std::string_view piece = bytes.substr(0, end);
        if (!discarding_) {
            if (line_.size() + piece.size() > kMaxLineLength) {
                replies += error_line(
                    generic_error(fmt::format("a request line is at most {} bytes: the rest of "
                                              "this one is discarded",
                                              kMaxLineLength)),
                    std::nullopt);
                line_.clear();
                discarding_ = true;
            } else {
                line_.append(piece);
            }
        }
        if (end == std::string_view::npos) {
            return replies;
        }
        if (!discarding_) {
            replies += answer(line_, target_);
        }
        line_.clear();
        discarding_ = false;
        bytes.remove_prefix(end + 1);
    }
    return replies;
}

}  // namespace atcoap::control
