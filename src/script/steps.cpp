// Each step of docs/SCRIPTS.md's table, read from its line. Faults are checked with `atcoap
// ctl`'s own words (control/ctl_request.hpp) and netem's spec parser, so that a script that
// would be refused at run time is refused before anything is sent.

#include "script/steps.hpp"

#include <fmt/format.h>

#include <array>
#include <vector>

#include "control/ctl_request.hpp"
#include "modem/network_impairment.hpp"

namespace atcoap::script::detail {

namespace {

using lex::Error;
using lex::Piece;

constexpr std::array kControlWords{"radio", "pdp", "signal", "urc", "reboot", "latency", "netem"};
constexpr std::array kRefusedWords{"status", "quit", "events", "query-commands"};
constexpr std::string_view kSteps =
    "send, write, ctrl-z, esc, expect, expect-urc, expect-none, wait, set, line-end, timeout, "
    "include, or a fault: radio, pdp, signal, urc, reboot, latency, netem";

template <std::size_t N>
bool one_of(std::string_view word, const std::array<const char*, N>& words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

Error at(const Piece& piece, std::string message) {
    return Error{piece.column, std::move(message)};
}

/// A required text argument: an empty one is written "".
Result<lex::Text, Error> text(Piece arguments, const Scope& scope, std::string_view what) {
    arguments = lex::trim(arguments);
    if (arguments.text.empty()) {
        return fail(at(arguments, fmt::format("expected {} (\"\" for an empty one)", what)));
    }
    auto parsed = lex::text_argument(arguments);
    if (!parsed) {
        return parsed;
    }
    if (auto undefined = scope.check(*parsed)) {
        return fail(*undefined);
    }
    return parsed;
}

/// Nothing may follow what a step has read.
std::optional<Error> end_of(Piece rest) {
    rest = lex::skip_blanks(rest);
    if (!rest.text.empty()) {
        return at(rest, fmt::format("unexpected \"{}\" at the end of the step",
                                    lex::excerpt(rest.text, 40)));
    }
    return std::nullopt;
}

Result<Duration, Error> lone_duration(Piece arguments) {
    const Piece word = lex::take_word(arguments);
    auto time = lex::duration(word);
    if (time) {
        if (auto extra = end_of(arguments)) {
            return fail(*extra);
        }
    }
    return time;
}

Result<Action, Error> write_step(Piece arguments, const Scope& scope) {
    Piece rest = arguments;
    if (lex::take_word(rest).text == "hex") {
        auto bytes = lex::hex_bytes(lex::trim(rest));
        if (!bytes) {
            return fail(bytes.error());
        }
        return Action{Write{Template{{TemplatePart{false, std::move(*bytes)}}}}};
    }
    auto bytes = text(arguments, scope, "the text to write, or hex and its bytes");
    if (!bytes) {
        return fail(bytes.error());
    }
    return Action{Write{std::move(bytes->value)}};
}

Result<Action, Error> expect_step(Expect::Kind kind, Piece keyword, Piece arguments, Scope& scope) {
    Expect expect{kind, {}, std::nullopt};
    Piece rest = arguments;
    if (lex::take_word(rest).text == "within") {
        auto time = lex::duration(lex::take_word(rest));
        if (!time) {
            return fail(time.error());
        }
        expect.within = *time;
        arguments = rest;
    } else if (kind == Expect::Kind::None) {
        return fail(at(lex::skip_blanks(arguments), "expected within T: expect-none within 5s RE"));
    }
    const Piece source = lex::trim(arguments);
    if (source.text.empty()) {
        return fail(
            at(source, fmt::format("expected a regular expression after {}", keyword.text)));
    }
    auto parsed = lex::template_of(source);
    if (!parsed) {
        return fail(parsed.error());
    }
    if (auto undefined = scope.check(*parsed)) {
        return fail(*undefined);
    }
    auto pattern = compile_pattern(*parsed, source.column);
    if (!pattern) {
        return fail(pattern.error());
    }
    // expect-none passes only when nothing matched: its groups never get a value.
    if (kind != Expect::Kind::None) {
        for (const std::string& name : pattern->captures) {
            scope.add(name);
        }
    }
    expect.pattern = std::move(*pattern);
    return Action{std::move(expect)};
}

Result<Action, Error> set_step(Piece arguments, Scope& scope) {
    Piece rest = arguments;
    const Piece name = lex::take_word(rest);
    if (!lex::is_name(name.text)) {
        return fail(at(name,
                       "expected a variable name (letters, digits and _, not starting "
                       "with a digit): set NAME TEXT"));
    }
    auto value = text(rest, scope, "a value: set NAME TEXT");
    if (!value) {
        return fail(value.error());
    }
    scope.add(std::string(name.text));
    return Action{Set{std::string(name.text), std::move(value->value)}};
}

Result<Action, Error> line_end_step(Piece arguments) {
    Piece rest = arguments;
    const Piece word = lex::take_word(rest);
    if (word.text != "cr" && word.text != "crlf") {
        return fail(at(word, "expected cr or crlf"));
    }
    if (auto extra = end_of(rest)) {
        return fail(*extra);
    }
    return Action{SetLineEnd{word.text == "cr" ? LineEnd::Cr : LineEnd::CrLf}};
}

/// A usage message of `atcoap ctl` as what the step expected.
std::string as_expected(const std::string& usage) {
    constexpr std::string_view kPrefix = "usage: atcoap ctl ";
    return usage.starts_with(kPrefix) ? "expected " + usage.substr(kPrefix.size()) : usage;
}

/// Checks a fault whose words are known now, as `atcoap ctl` and the control side would.
std::optional<Error> check_control(Piece keyword, const std::vector<Piece>& pieces,
                                   const std::vector<std::string>& words) {
    const auto request = control::ctl_request(words);
    if (!request) {
        return at(keyword, as_expected(request.error()));
    }
    const auto& arguments = request->at("arguments");
    if (arguments.contains("spec")) {
        const auto spec = modem::parse_netem_target(arguments.at("spec").get<std::string>());
        if (!spec) {
            return at(pieces.at(2), spec.error());
        }
    }
    return std::nullopt;
}

Result<Action, Error> control_step(Piece keyword, Piece arguments, const Scope& scope) {
    std::vector<Piece> pieces{keyword};
    Control control;
    control.words.push_back(Template{{TemplatePart{false, std::string(keyword.text)}}});
    if (keyword.text == "urc") {
        auto line = text(arguments, scope, "the URC's text: urc TEXT");
        if (!line) {
            return fail(line.error());
        }
        pieces.push_back(lex::trim(arguments));
        control.words.push_back(std::move(line->value));
    } else {
        for (Piece word = lex::take_word(arguments); !word.text.empty();
             word = lex::take_word(arguments)) {
            auto parsed = lex::template_of(word);
            if (!parsed) {
                return fail(parsed.error());
            }
            if (auto undefined = scope.check(*parsed)) {
                return fail(*undefined);
            }
            pieces.push_back(word);
            control.words.push_back(std::move(parsed->value));
        }
    }
    std::vector<std::string> words;
    for (const Template& word : control.words) {
        if (word.has_variables()) {
            return Action{std::move(control)};  // checked by the control side when it runs
        }
        words.push_back(word.parts.empty() ? std::string() : word.parts.front().text);
    }
    if (auto wrong = check_control(keyword, pieces, words)) {
        return fail(*wrong);
    }
    return Action{std::move(control)};
}

}  // namespace

bool Scope::has(std::string_view name) const {
    return names_.contains(name) || (defined_ && defined_(name));
}

std::optional<Error> Scope::check(const lex::Text& text) const {
    std::size_t reference = 0;
    for (const TemplatePart& part : text.value.parts) {
        if (!part.variable) {
            continue;
        }
        const int column = text.variable_columns.at(reference++);
        if (!has(part.text)) {
            return Error{column,
                         fmt::format("undefined variable {} (set it or capture it in an earlier "
                                     "step, or give it with --var {}=VALUE)",
                                     part.text, part.text)};
        }
    }
    return std::nullopt;
}

Result<Action, Error> parse_step(Piece keyword, Piece arguments, Scope& scope) {
    const std::string_view word = keyword.text;
    if (word == "send") {
        auto line = text(arguments, scope, "the text to send");
        if (!line) {
            return fail(line.error());
        }
        return Action{Send{std::move(line->value)}};
    }
    if (word == "write") {
        return write_step(arguments, scope);
    }
    if (word == "ctrl-z" || word == "esc") {
        if (auto extra = end_of(arguments)) {
            return fail(*extra);
        }
        return Action{Key{word == "esc" ? '\x1b' : '\x1a'}};
    }
    if (word == "expect" || word == "expect-urc" || word == "expect-none") {
        const auto kind = word == "expect"       ? Expect::Kind::Next
                          : word == "expect-urc" ? Expect::Kind::Urc
                                                 : Expect::Kind::None;
        return expect_step(kind, keyword, arguments, scope);
    }
    if (word == "wait" || word == "timeout") {
        auto time = lone_duration(arguments);
        if (!time) {
            return fail(time.error());
        }
        return word == "wait" ? Action{Wait{*time}} : Action{SetTimeout{*time}};
    }
    if (word == "set") {
        return set_step(arguments, scope);
    }
    if (word == "line-end") {
        return line_end_step(arguments);
    }
    if (one_of(word, kControlWords)) {
        return control_step(keyword, arguments, scope);
    }
    if (one_of(word, kRefusedWords)) {
        return fail(at(keyword, fmt::format("not a script step: {} is for atcoap ctl; a script's "
                                            "faults are radio, pdp, signal, urc, reboot, "
                                            "latency and netem",
                                            word)));
    }
    return fail(
        at(keyword, fmt::format("unknown step {} (expected {})", lex::excerpt(word, 40), kSteps)));
}

}  // namespace atcoap::script::detail
