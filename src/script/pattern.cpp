// Patterns (docs/SCRIPTS.md, "Patterns"): RE2, matched by the runner against whole lines.

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <utility>

#include "script/steps.hpp"

namespace atcoap::script::detail {

namespace {

/// The options the runner compiles with too: errors are values, never log lines.
RE2::Options options() {
    RE2::Options options;
    options.set_log_errors(false);
    return options;
}

}  // namespace

Result<Pattern, lex::Error> compile_pattern(const lex::Text& source, int column) {
    // A variable's value is inserted quoted at run time, so any value stands for it now.
    std::string checked;
    for (const TemplatePart& part : source.value.parts) {
        checked += part.variable ? RE2::QuoteMeta("0") : part.text;
    }
    auto re = std::make_shared<const RE2>(checked, options());
    if (!re->ok()) {
        return fail(lex::Error{column, fmt::format("bad regular expression: {}", re->error())});
    }
    std::vector<std::pair<int, std::string>> groups;
    for (const auto& [name, index] : re->NamedCapturingGroups()) {
        if (!lex::is_name(name)) {
            return fail(lex::Error{
                column, fmt::format("the group (?P<{}>...) is not a variable name (letters, "
                                    "digits and _, not starting with a digit)",
                                    name)});
        }
        groups.emplace_back(index, name);
    }
    std::sort(groups.begin(), groups.end());
    Pattern pattern;
    pattern.source = source.value;
    for (auto& group : groups) {
        pattern.captures.push_back(std::move(group.second));
    }
    if (!source.value.has_variables()) {
        // Without an operator RE2 matches the bytes themselves (UTF-8 mode, no flags: they
        // need `(?`), and the source is valid, since RE2 compiled it.
        if (checked.find_first_of(R"(\^$.|?*+()[]{})") == std::string::npos) {
            pattern.literal = checked;
        }
        pattern.compiled = std::move(re);
    }
    return pattern;
}

}  // namespace atcoap::script::detail
