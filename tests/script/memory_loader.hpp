#pragma once
// Scripts from memory, for the parser's tests: files by name, and the parse of one text.

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "script/parser.hpp"

namespace atcoap::script::testing {

class MemoryLoader final : public SourceLoader {
  public:
    std::map<std::string, std::string> files;
    std::vector<std::string> loaded;  // every name load() was asked for, in order

    Result<std::string, std::string> load(const std::string& path) override {
        loaded.push_back(path);
        const auto found = files.find(path);
        if (found == files.end()) {
            return fail(std::string("no such file"));
        }
        return found->second;
    }
};

/// Variables given before the run, as a target or the command line would.
inline IsDefined given(std::set<std::string, std::less<>> names) {
    return [names = std::move(names)](std::string_view name) { return names.contains(name); };
}

inline Result<Script, ParseError> parse_text(const std::string& text,
                                             const IsDefined& defined = {}) {
    MemoryLoader loader;
    loader.files["t.at"] = text;
    return parse_script("t.at", loader, defined);
}

/// The error's text, or "parsed" when there was none.
inline std::string error_of(const std::string& text, const IsDefined& defined = {}) {
    const auto script = parse_text(text, defined);
    return script ? std::string("parsed") : script.error().text();
}

}  // namespace atcoap::script::testing
