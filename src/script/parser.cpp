// Script files to steps (docs/SCRIPTS.md, "The format"): lines, comments, includes and the
// bounds; the steps themselves are read in steps.cpp.

#include "script/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "script/lexer.hpp"
#include "script/steps.hpp"

namespace atcoap::script {

namespace {

using detail::Scope;
using lex::Piece;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

class Parser {
  public:
    Parser(SourceLoader& loader, const IsDefined& defined) : loader_(loader), scope_(defined) {}

    Result<Script, ParseError> run(const std::string& path) {
        script_.file = path;
        auto text = load(SourcePos{path, 0, 0}, path, "cannot read the script");
        if (!text) {
            return fail(text.error());
        }
        if (auto error = parse_file(path, *text)) {
            return fail(std::move(*error));
        }
        return std::move(script_);
    }

  private:
    /// A file's bytes, within the bounds; `where` is the include step (or the script itself).
    Result<std::string, ParseError> load(const SourcePos& where, const std::string& path,
                                         std::string_view what) {
        auto text = loader_.load(path);
        if (!text) {
            return fail(ParseError{where, fmt::format("{} {}: {}", what, path, text.error())});
        }
        if (text->size() > kMaxFileBytes) {
            return fail(ParseError{where, fmt::format("{} {}: larger than {} bytes (1 MiB)", what,
                                                      path, kMaxFileBytes)});
        }
        total_bytes_ += text->size();
        if (total_bytes_ > kMaxTotalBytes) {
            return fail(ParseError{where, fmt::format("{} {}: the script and its includes hold "
                                                      "more than {} bytes (16 MiB)",
                                                      what, path, kMaxTotalBytes)});
        }
        return std::move(*text);
    }

    std::optional<ParseError> parse_file(const std::string& path, std::string_view text) {
        if (const auto bad = lex::check_text(text)) {
            return ParseError{SourcePos{path, bad->line, bad->column},
                              fmt::format("not a text file (byte 0x{:02X})", bad->byte)};
        }
        stack_.push_back(std::filesystem::path(path).lexically_normal().string());
        int number = 0;
        for (const std::string_view line : lex::split_lines(text)) {
            ++number;
            Piece piece{line, 1};
            if (number == 1 && line.starts_with(kByteOrderMark)) {
                piece = Piece{line.substr(kByteOrderMark.size()), 1 + int{kByteOrderMark.size()}};
            }
            if (auto error = parse_line(path, number, piece)) {
                return error;
            }
        }
        stack_.pop_back();
        return std::nullopt;
    }

    std::optional<ParseError> parse_line(const std::string& path, int number, Piece line) {
        line = lex::trim(line);
        if (line.text.empty() || line.text.starts_with('#')) {
            return std::nullopt;
        }
        Piece arguments = line;
        const Piece keyword = lex::take_word(arguments);
        const SourcePos pos{path, number, keyword.column};
        // An include counts as a step, so that files that only include each other are bounded.
        if (++counted_ > kMaxSteps) {
            return ParseError{pos, fmt::format("more than {} steps (includes counted)", kMaxSteps)};
        }
        if (keyword.text == "include") {
            auto error = include(pos, arguments);
            if (error) {
                error->message = lex::excerpt(error->message, 1000);  // names may be long
            }
            return error;
        }
        auto action = detail::parse_step(keyword, arguments, scope_);
        if (!action) {
            return ParseError{SourcePos{path, number, action.error().column},
                              lex::excerpt(action.error().message)};
        }
        script_.steps.push_back(Step{pos, std::string(line.text), std::move(*action)});
        return std::nullopt;
    }

    std::optional<ParseError> include(const SourcePos& pos, Piece arguments) {
        const auto at = [&pos](int column, std::string message) {
            return ParseError{SourcePos{pos.file, pos.line, column}, std::move(message)};
        };
        arguments = lex::trim(arguments);
        if (arguments.text.empty()) {
            return at(arguments.column, "expected a file name: include FILE");
        }
        auto name = lex::text_argument(arguments);
        if (!name) {
            return at(name.error().column, name.error().message);
        }
        if (name->value.has_variables()) {
            return at(name->variable_columns.front(),
                      "an include's file name cannot hold a variable (it is read before the run)");
        }
        const std::string written = name->value.parts.empty() ? "" : name->value.parts[0].text;
        if (written.empty()) {
            return at(arguments.column, "expected a file name: include FILE");
        }
        const std::string path = loader_.resolve(pos.file, written);
        const std::string normal = std::filesystem::path(path).lexically_normal().string();
        if (std::find(stack_.begin(), stack_.end(), normal) != stack_.end()) {
            std::string cycle;
            for (const std::string& file : stack_) {
                cycle += file + " -> ";
            }
            return ParseError{pos, fmt::format("include cycle: {}{}", cycle, normal)};
        }
        if (static_cast<int>(stack_.size()) > kMaxIncludeDepth) {
            return ParseError{pos, fmt::format("includes nest deeper than {}", kMaxIncludeDepth)};
        }
        auto text = load(pos, path, "cannot include");
        if (!text) {
            return std::move(text.error());
        }
        return parse_file(path, *text);
    }

    SourceLoader& loader_;
    Scope scope_;
    Script script_;
    std::vector<std::string> stack_;  // the files being read, the script first (normalized)
    std::size_t total_bytes_ = 0;
    std::size_t counted_ = 0;  // steps and includes read so far
};

}  // namespace

std::string ParseError::text() const {
    if (pos.line == 0) {
        return fmt::format("{}: {}", pos.file, message);
    }
    return fmt::format("{}:{}:{}: {}", pos.file, pos.line, pos.column, message);
}

std::string SourceLoader::resolve(const std::string& from, const std::string& name) const {
    const std::filesystem::path written(name);
    if (written.is_absolute()) {
        return name;
    }
    return (std::filesystem::path(from).parent_path() / written).lexically_normal().string();
}

Result<Script, ParseError> parse_script(const std::string& path, SourceLoader& loader,
                                        const IsDefined& defined) {
    return Parser(loader, defined).run(path);
}

std::optional<ParseError> refuse_control(const Script& script, std::string_view target_name) {
    for (const Step& step : script.steps) {
        if (std::holds_alternative<Control>(step.action)) {
            return ParseError{step.pos, fmt::format("{}: the target {} has no control side (a "
                                                    "real module): faults need the builtin "
                                                    "target or --target HOST:PORT",
                                                    lex::excerpt(step.text, 80), target_name)};
        }
    }
    return std::nullopt;
}

}  // namespace atcoap::script
