#pragma once
// The control socket's commands (docs/CONTROL.md): one row each, with the schema of its
// arguments and the function that checks their values and calls the Target. Adding a command
// is adding a row (and, when it needs the modem, a Target method).

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "control/target.hpp"

namespace atcoap::control {

/// QMP's error classes: "CommandNotFound" for an unknown command, "GenericError" otherwise.
struct Error {
    std::string error_class;
    std::string desc;
};
Error generic_error(std::string desc);

using Reply = Result<nlohmann::json, Error>;

enum class Kind { Integer, String };

struct Param {
    std::string_view name;
    Kind kind;
    bool required = true;
};

struct Command {
    std::string_view name;
    std::vector<Param> params;
    /// Checks what the schema cannot (ranges, words) and calls the Target.
    Reply (*run)(const nlohmann::json& arguments, Target& target);
};

/// Every command, in the order `query-commands` lists them.
std::span<const Command> commands();
const Command* find_command(std::string_view name);

/// `arguments` (an object) against the command's schema: every required member present, each
/// of its kind, no other member. The reason when not.
std::optional<Error> check_arguments(const Command& command, const nlohmann::json& arguments);

}  // namespace atcoap::control
