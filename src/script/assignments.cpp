#include "script/assignments.hpp"

#include <algorithm>

namespace atcoap::script {

bool is_variable_name(std::string_view name) {
    const auto word = [](char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9');
    };
    return !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
           std::all_of(name.begin(), name.end(), word);
}

Result<Assignments, std::string> parse_assignments(const std::vector<std::string>& arguments,
                                                   std::string_view option) {
    Assignments assigned;
    for (const std::string& argument : arguments) {
        const std::size_t equals = argument.find('=');
        const std::string name = argument.substr(0, equals);
        if (equals == std::string::npos || !is_variable_name(name)) {
            return fail(std::string(option) +
                        " wants NAME=VALUE (NAME: letters, digits and _, not starting with a "
                        "digit), got '" +
                        argument + "'");
        }
        assigned[name] = argument.substr(equals + 1);
    }
    return assigned;
}

}  // namespace atcoap::script
