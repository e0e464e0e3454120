#include "at/command_line.hpp"

#include <algorithm>
#include <cctype>

namespace atcoap::at {

namespace {

char upper(char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}
bool is_alpha(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_name_char(char c) {
    return is_alpha(c) || is_digit(c) || c == '_';
}

/// Copies `body` into `out` without the spaces outside quoted strings (docs/DIALECT.md §1); fails
/// on an unterminated string.
Status<std::string> drop_spaces(std::string_view body, std::string& out) {
    out.clear();
    out.reserve(body.size());
    bool quoted = false;
    for (char c : body) {
        if (c == '"') {
            quoted = !quoted;
        }
        if (c != ' ' || quoted) {
            out.push_back(c);
        }
    }
    if (quoted) {
        return fail(std::string("unterminated quoted string"));
    }
    return Done{};
}

/// The end of an extended command's arguments: the next ';' outside quotes, or the end.
std::size_t end_of_arguments(std::string_view body, std::size_t from) {
    bool quoted = false;
    for (std::size_t i = from; i < body.size(); ++i) {
        if (body[i] == '"') {
            quoted = !quoted;
        } else if (body[i] == ';' && !quoted) {
            return i;
        }
    }
    return body.size();
}

/// Parses `+NAME[=?|?|=args]` starting at body[pos] == '+', uppercasing the name in place;
/// advances pos past it.
Result<Invocation, std::string> parse_extended(std::string& body, std::size_t& pos) {
    const std::size_t start = pos++;
    while (pos < body.size() && is_name_char(body[pos])) {
        body[pos] = upper(body[pos]);
        ++pos;
    }
    if (pos - start == 1) {
        return fail(std::string("'+' without a command name"));
    }
    const std::string_view text = body;
    Invocation command;
    command.name = text.substr(start, pos - start);
    const std::string_view rest = text.substr(pos);
    if (rest.starts_with("=?")) {
        command.form = Form::Test;
        pos += 2;
    } else if (rest.starts_with("?")) {
        command.form = Form::Read;
        pos += 1;
    } else if (rest.starts_with("=")) {
        command.form = Form::Write;
        const std::size_t end = end_of_arguments(text, pos + 1);
        command.args = text.substr(pos + 1, end - pos - 1);
        pos = end;
    }
    if (pos < text.size() && text[pos] != ';') {
        return fail("unexpected '" + std::string(1, text[pos]) + "' after " +
                    std::string(command.name));
    }
    return command;
}

/// Parses a basic command (`E0`, `I`, `&F`, `E?`) starting at body[pos], uppercasing its name
/// in place; advances pos past it.
Result<Invocation, std::string> parse_basic(std::string& body, std::size_t& pos) {
    const std::size_t start = pos;
    if (body[pos] == '&') {
        ++pos;
    }
    if (pos >= body.size() || !is_alpha(body[pos])) {
        return fail(std::string("expected a command name"));
    }
    body[pos] = upper(body[pos]);
    ++pos;
    const std::string_view text = body;
    Invocation command;
    command.name = text.substr(start, pos - start);
    if (pos < text.size() && text[pos] == '?') {
        command.form = Form::Read;
        ++pos;
        return command;
    }
    const std::size_t digits = pos;
    while (pos < text.size() && is_digit(text[pos])) {
        ++pos;
    }
    command.args = text.substr(digits, pos - digits);
    command.form = command.args.empty() ? Form::Execute : Form::Write;
    return command;
}

}  // namespace

Status<std::string> split_command_line(std::string_view line, SplitLine& out) {
    out.commands.clear();
    if (line.size() < 2 || upper(line[0]) != 'A' || upper(line[1]) != 'T') {
        return fail(std::string("line does not start with AT"));
    }
    if (auto dropped = drop_spaces(line.substr(2), out.body); !dropped) {
        return dropped;
    }
    std::string& body = out.body;
    std::size_t pos = 0;
    while (pos < body.size()) {
        if (body[pos] == ';') {
            ++pos;
            continue;
        }
        auto command = body[pos] == '+' ? parse_extended(body, pos) : parse_basic(body, pos);
        if (!command) {
            return fail(command.error());
        }
        out.commands.push_back(*command);
    }
    return Done{};
}

namespace {

/// One argument starting at args[pos]; advances pos to the comma after it or the end.
Result<RawArg, std::string> next_argument(std::string_view args, std::size_t& pos) {
    RawArg arg;
    if (pos < args.size() && args[pos] == '"') {
        const std::size_t close = args.find('"', pos + 1);
        if (close == std::string_view::npos) {
            return fail(std::string("unterminated quoted string"));
        }
        arg.text = args.substr(pos + 1, close - pos - 1);
        arg.quoted = true;
        pos = close + 1;
        if (pos < args.size() && args[pos] != ',') {
            return fail(std::string("text after a closing quote"));
        }
        return arg;
    }
    const std::size_t comma = std::min(args.find(',', pos), args.size());
    arg.text = args.substr(pos, comma - pos);
    if (arg.text.find('"') != std::string_view::npos) {
        return fail(std::string("quote inside an unquoted parameter"));
    }
    arg.present = !arg.text.empty();
    pos = comma;
    return arg;
}

}  // namespace

Status<std::string> split_arguments(std::string_view args, std::vector<RawArg>& out) {
    out.clear();
    std::size_t pos = 0;
    while (true) {
        auto arg = next_argument(args, pos);
        if (!arg) {
            return fail(arg.error());
        }
        out.push_back(*arg);
        if (pos >= args.size()) {
            return Done{};
        }
        ++pos;  // the comma
    }
}

}  // namespace atcoap::at
