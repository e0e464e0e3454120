#include "script/lexer.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "base/hex.hpp"
#include "base/utf8.hpp"

namespace atcoap::script::lex {

namespace {

constexpr std::string_view kBadReference =
    "expected a variable such as ${PORT} after ${ (a name of letters, digits and _, not "
    "starting with a digit, then }; $${ is a literal ${)";
constexpr std::string_view kEscapes = R"(\\, \", \r, \n, \t, \e, \z, \xHH or \$)";

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

void append_literal(Template& out, std::string_view bytes) {
    if (out.parts.empty() || out.parts.back().variable) {
        out.parts.push_back(TemplatePart{false, std::string(bytes)});
    } else {
        out.parts.back().text += bytes;
    }
}

/// The byte an escape stands for (after the backslash at `at`), and how many bytes it took.
Lexed<std::pair<char, std::size_t>> escape(std::string_view s, std::size_t at, int column) {
    const char c = at + 1 < s.size() ? s[at + 1] : '\0';
    switch (c) {
        case '\\':
        case '"':
        case '$':
            return std::pair{c, std::size_t{2}};
        case 'r':
            return std::pair{'\r', std::size_t{2}};
        case 'n':
            return std::pair{'\n', std::size_t{2}};
        case 't':
            return std::pair{'\t', std::size_t{2}};
        case 'e':
            return std::pair{'\x1b', std::size_t{2}};
        case 'z':
            return std::pair{'\x1a', std::size_t{2}};
        case 'x': {
            const int high = at + 2 < s.size() ? hex_digit_value(s[at + 2]) : -1;
            const int low = at + 3 < s.size() ? hex_digit_value(s[at + 3]) : -1;
            if (high < 0 || low < 0) {
                return fail(Error{column, "expected two hex digits after \\x, as in \\x1A"});
            }
            return std::pair{static_cast<char>(high * 16 + low), std::size_t{4}};
        }
        default:
            return fail(Error{column, fmt::format("unknown escape \\{} (expected {})",
                                                  std::string_view(&s[at + 1], 1), kEscapes)});
    }
}

/// Text, quoted (`s` starts with `"`) or not, to a template: see text_argument().
Lexed<Text> scan(Piece piece, bool quoted) {
    const std::string_view s = piece.text;
    Text out;
    std::size_t i = quoted ? 1 : 0;
    while (i < s.size()) {
        const char c = s[i];
        const int column = piece.column + static_cast<int>(i);
        if (quoted && c == '"') {
            const Piece after = skip_blanks(Piece{s.substr(i + 1), column + 1});
            if (!after.text.empty()) {
                return fail(Error{after.column, "expected nothing after the closing quote"});
            }
            return out;
        }
        if (quoted && c == '\\' && i + 1 < s.size()) {
            auto decoded = escape(s, i, column);
            if (!decoded) {
                return fail(decoded.error());
            }
            append_literal(out.value, std::string_view(&decoded->first, 1));
            i += decoded->second;
            continue;
        }
        if (s.substr(i).starts_with("$${")) {
            append_literal(out.value, "${");
            i += 3;
            continue;
        }
        if (s.substr(i).starts_with("${")) {
            std::size_t end = i + 2;
            while (end < s.size() && is_name_char(s[end])) {
                ++end;
            }
            const std::string_view name = s.substr(i + 2, end - i - 2);
            if (end == s.size() || s[end] != '}' || !is_name(name)) {
                return fail(Error{column, std::string(kBadReference)});
            }
            out.value.parts.push_back(TemplatePart{true, std::string(name)});
            out.variable_columns.push_back(column);
            i = end + 1;
            continue;
        }
        append_literal(out.value, std::string_view(&s[i], 1));
        ++i;
    }
    if (quoted) {
        return fail(Error{piece.column, "unterminated quoted string (expected a closing \")"});
    }
    return out;
}

}  // namespace

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

bool is_name(std::string_view text) {
    if (text.empty() || (text[0] >= '0' && text[0] <= '9')) {
        return false;
    }
    for (const char c : text) {
        if (!is_name_char(c)) {
            return false;
        }
    }
    return true;
}

Piece skip_blanks(Piece piece) {
    while (!piece.text.empty() && is_blank(piece.text.front())) {
        piece.text.remove_prefix(1);
        ++piece.column;
    }
    return piece;
}

Piece trim(Piece piece) {
    piece = skip_blanks(piece);
    while (!piece.text.empty() && is_blank(piece.text.back())) {
        piece.text.remove_suffix(1);
    }
    return piece;
}

Piece take_word(Piece& rest) {
    rest = skip_blanks(rest);
    std::size_t end = 0;
    while (end < rest.text.size() && !is_blank(rest.text[end])) {
        ++end;
    }
    const Piece word{rest.text.substr(0, end), rest.column};
    rest = Piece{rest.text.substr(end), rest.column + static_cast<int>(end)};
    return word;
}

Lexed<Text> text_argument(Piece argument) {
    return scan(argument, argument.text.starts_with('"'));
}

Lexed<Text> template_of(Piece raw) {
    return scan(raw, false);
}

Lexed<Duration> duration(Piece word) {
    const Error wrong{word.column, "expected a duration such as 5s or 250ms"};
    const std::string_view s = word.text;
    std::size_t i = 0;
    std::uint64_t whole = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        whole = std::min<std::uint64_t>(whole * 10 + static_cast<unsigned>(s[i] - '0'),
                                        1'000'000'000'000);
        ++i;
    }
    if (i == 0) {
        return fail(wrong);
    }
    std::uint64_t numerator = 0, denominator = 1;  // the fraction, to nine digits
    if (i < s.size() && s[i] == '.') {
        const std::size_t first = ++i;
        for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
            if (denominator < 1'000'000'000) {
                numerator = numerator * 10 + static_cast<unsigned>(s[i] - '0');
                denominator *= 10;
            }
        }
        if (i == first) {
            return fail(wrong);
        }
    }
    const std::string_view unit = s.substr(i);
    const std::uint64_t scale = unit == "ms"    ? 1
                                : unit == "s"   ? 1000
                                : unit == "min" ? 60'000
                                : unit == "h"   ? 3'600'000
                                                : 0;
    if (scale == 0) {
        return fail(wrong);
    }
    const std::uint64_t max = static_cast<std::uint64_t>(kMaxDuration.count());
    const std::uint64_t part = (numerator * scale * 2 + denominator) / (denominator * 2);
    if (whole > max / scale || whole * scale + part > max) {
        return fail(Error{word.column, "a duration is at most 24h"});
    }
    return Duration{static_cast<Duration::rep>(whole * scale + part)};
}

Lexed<std::string> hex_bytes(Piece argument) {
    const std::string_view s = argument.text;
    std::string bytes;
    for (std::size_t i = 0; i < s.size();) {
        const int column = argument.column + static_cast<int>(i);
        if (is_blank(s[i])) {
            ++i;
            continue;
        }
        if (hex_digit_value(s[i]) < 0) {
            return fail(Error{column, "expected hex digits in pairs, such as 1a 2b"});
        }
        if (i + 1 == s.size() || hex_digit_value(s[i + 1]) < 0) {
            return fail(Error{column + 1, "expected the second hex digit of a pair"});
        }
        bytes += static_cast<char>(hex_digit_value(s[i]) * 16 + hex_digit_value(s[i + 1]));
        i += 2;
    }
    if (bytes.empty()) {
        return fail(Error{argument.column, "expected hex digits in pairs, such as 1a 2b"});
    }
    return bytes;
}

std::optional<NotText> check_text(std::string_view bytes) {
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t length = bytes[i] == '\0' ? 0 : utf8_sequence_length(bytes, i);
        if (length == 0) {
            return NotText{line, static_cast<int>(i - line_start) + 1,
                           static_cast<unsigned char>(bytes[i])};
        }
        if (bytes[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
        i += length;
    }
    return std::nullopt;
}

std::string excerpt(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) {
        return std::string(text);
    }
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;  // not inside a UTF-8 sequence
    }
    return std::string(text.substr(0, end)) + "...";
}

std::vector<std::string_view> split_lines(std::string_view bytes) {
    std::vector<std::string_view> lines;
    while (!bytes.empty()) {
        const std::size_t end = bytes.find('\n');
        std::string_view line = bytes.substr(0, end);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
    }
    return lines;
}

}  // namespace atcoap::script::lex
