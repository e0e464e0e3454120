#include "at/command_line.hpp"

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

/// Drops spaces outside quoted strings (DIALECT.md §1); fails on an unterminated string.
Result<std::string, std::string> drop_spaces(std::string_view body) {
    std::string out;
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
    return out;
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

/// Parses `+NAME[=?|?|=args]` starting at body[pos] == '+'; advances pos past it.
Result<Invocation, std::string> parse_extended(std::string_view body, std::size_t& pos) {
    Invocation command;
    command.name.push_back('+');
    ++pos;
    while (pos < body.size() && (is_alpha(body[pos]) || is_digit(body[pos]) || body[pos] == '_')) {
        command.name.push_back(upper(body[pos++]));
    }
    if (command.name.size() == 1) {
        return fail(std::string("'+' without a command name"));
    }
    const std::string_view rest = body.substr(pos);
    if (rest.starts_with("=?")) {
        command.form = Form::Test;
        pos += 2;
    } else if (rest.starts_with("?")) {
        command.form = Form::Read;
        pos += 1;
    } else if (rest.starts_with("=")) {
        command.form = Form::Write;
        const std::size_t end = end_of_arguments(body, pos + 1);
        command.args = std::string(body.substr(pos + 1, end - pos - 1));
        pos = end;
    }
    if (pos < body.size() && body[pos] != ';') {
        return fail("unexpected '" + std::string(1, body[pos]) + "' after " + command.name);
    }
    return command;
}

/// Parses a basic command (`E0`, `I`, `&F`, `E?`) starting at body[pos]; advances pos past it.
Result<Invocation, std::string> parse_basic(std::string_view body, std::size_t& pos) {
    Invocation command;
    if (body[pos] == '&') {
        command.name.push_back('&');
        ++pos;
    }
    if (pos >= body.size() || !is_alpha(body[pos])) {
        return fail(std::string("expected a command name"));
    }
    command.name.push_back(upper(body[pos++]));
    if (pos < body.size() && body[pos] == '?') {
        command.form = Form::Read;
        ++pos;
        return command;
    }
    while (pos < body.size() && is_digit(body[pos])) {
        command.args.push_back(body[pos++]);
    }
    command.form = command.args.empty() ? Form::Execute : Form::Write;
    return command;
}

}  // namespace

Result<std::vector<Invocation>, std::string> split_command_line(std::string_view line) {
    if (line.size() < 2 || upper(line[0]) != 'A' || upper(line[1]) != 'T') {
        return fail(std::string("line does not start with AT"));
    }
    auto body = drop_spaces(line.substr(2));
    if (!body) {
        return fail(body.error());
    }
    const std::string_view text = *body;
    std::vector<Invocation> commands;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (text[pos] == ';') {
            ++pos;
            continue;
        }
        auto command = text[pos] == '+' ? parse_extended(text, pos) : parse_basic(text, pos);
        if (!command) {
            return fail(command.error());
        }
        commands.push_back(std::move(command).value());
    }
    return commands;
}

Result<std::vector<RawArg>, std::string> split_arguments(std::string_view args) {
    std::vector<RawArg> out;
    std::size_t pos = 0;
    while (true) {
        RawArg arg;
        if (pos < args.size() && args[pos] == '"') {
            const std::size_t close = args.find('"', pos + 1);
            if (close == std::string_view::npos) {
                return fail(std::string("unterminated quoted string"));
            }
            arg.text = std::string(args.substr(pos + 1, close - pos - 1));
            arg.quoted = true;
            pos = close + 1;
            if (pos < args.size() && args[pos] != ',') {
                return fail(std::string("text after a closing quote"));
            }
        } else {
            const std::size_t comma = std::min(args.find(',', pos), args.size());
            arg.text = std::string(args.substr(pos, comma - pos));
            if (arg.text.find('"') != std::string::npos) {
                return fail(std::string("quote inside an unquoted parameter"));
            }
            arg.present = !arg.text.empty();
            pos = comma;
        }
        out.push_back(std::move(arg));
        if (pos >= args.size()) {
            return out;
        }
        ++pos;  // the comma
    }
}

}  // namespace atcoap::at
