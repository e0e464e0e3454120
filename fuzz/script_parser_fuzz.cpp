// Feeds arbitrary bytes to the script parser (script/parser.hpp) as a script, main.at, and what
// follows the first "\n---\n" as a second file, lib/inc.at, that the script may include (and
// that may include main.at back, or itself). The parser must return a script whose every step
// has its place in one of the two files and a checked pattern, or one error of one line at a
// place in one of them; never crash, never read past its bounds.

#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "script/parser.hpp"

namespace {

using namespace atcoap;
using namespace atcoap::script;

void require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

class TwoFiles final : public SourceLoader {
  public:
    TwoFiles(std::string_view main, std::string_view include) : main_(main), include_(include) {}
    Result<std::string, std::string> load(const std::string& path) override {
        if (path == "main.at") {
            return std::string(main_);
        }
        if (path == "lib/inc.at") {
            return std::string(include_);
        }
        return fail(std::string("no such file"));
    }

  private:
    std::string_view main_;
    std::string_view include_;
};

bool known_file(const std::string& file) {
    return file == "main.at" || file == "lib/inc.at";
}

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

void check_template(const Template& value) {
    for (const TemplatePart& part : value.parts) {
        require(!part.variable || !part.text.empty());
    }
}

void check_step(const Step& step) {
    require(known_file(step.pos.file) && step.pos.line >= 1 && step.pos.column >= 1);
    require(!step.text.empty() && !is_blank(step.text.front()) && !is_blank(step.text.back()));
    if (const auto* expect = std::get_if<Expect>(&step.action)) {
        const Pattern& pattern = expect->pattern;
        check_template(pattern.source);
        require((pattern.compiled != nullptr) != pattern.source.has_variables());
        if (pattern.compiled) {
            require(pattern.compiled->ok());
            require(pattern.captures.size() == pattern.compiled->NamedCapturingGroups().size());
        }
        require(expect->kind != Expect::Kind::None || expect->within.has_value());
    } else if (const auto* send = std::get_if<Send>(&step.action)) {
        check_template(send->text);
    } else if (const auto* control = std::get_if<Control>(&step.action)) {
        require(!control->words.empty());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t cut = input.find("\n---\n");
    const std::string_view main = input.substr(0, cut);
    const std::string_view include =
        cut == std::string_view::npos ? std::string_view() : input.substr(cut + 5);
    TwoFiles loader(main, include);
    const IsDefined defined = [](std::string_view name) {
        return name == "HOST" || name == "PORT" || name == "IMEI";
    };
    const auto script = parse_script("main.at", loader, defined);
    if (!script) {
        const ParseError& error = script.error();
        require(known_file(error.pos.file) && error.pos.line >= 0 && error.pos.column >= 0);
        require(!error.message.empty() && error.message.find('\n') == std::string::npos);
        require(error.text().starts_with(error.pos.file + ":"));
        return 0;
    }
    require(script->file == "main.at" && script->steps.size() <= kMaxSteps);
    for (const Step& step : script->steps) {
        check_step(step);
    }
    require(refuse_control(*script, "a port").has_value() == script->uses_control());
    return 0;
}
