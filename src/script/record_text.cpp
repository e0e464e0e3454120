#include "script/record_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "base/utf8.hpp"

namespace atcoap::script::record {
namespace {

bool is_control(unsigned char c) {
    return c < 0x20 || c == 0x7F;
}

/// One byte of a quoted string (docs/SCRIPTS.md, "Text arguments").
void append_escaped(std::string& out, unsigned char c) {
    switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '$':
            out += "\\$";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case 0x1B:
            out += "\\e";
            break;
        case 0x1A:
            out += "\\z";
            break;
        default:
            if (is_control(c) || c >= 0x80) {
                out += fmt::format("\\x{:02X}", c);
            } else {
                out.push_back(static_cast<char>(c));
            }
    }
}

bool needs_quotes(const std::vector<Piece>& pieces) {
    std::string flat;
    for (const Piece& piece : pieces) {
        if (piece.kind != Piece::Kind::Literal) {
            flat += "${}";
            continue;
        }
        for (std::size_t i = 0; i < piece.text.size(); ++i) {
            const auto c = static_cast<unsigned char>(piece.text[i]);
            if (c == '$' || is_control(c)) {
                return true;
            }
            if (c >= 0x80) {
                const std::size_t length = utf8_sequence_length(piece.text, i);
                if (length == 0) {
                    return true;
                }
                i += length - 1;
            }
        }
        flat += piece.text;
    }
    return flat.empty() || flat.front() == '"' || flat.front() == ' ' || flat.back() == ' ';
}

}  // namespace

bool is_text(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x80) {
            const std::size_t length = utf8_sequence_length(bytes, i);
            if (length == 0) {
                return false;
            }
            i += length - 1;
        } else if (is_control(c) && c != '\r' && c != '\n' && c != '\t') {
            return false;
        }
    }
    return true;
}

std::string text_argument(const std::vector<Piece>& pieces, bool always_quote) {
    const bool quoted = always_quote || needs_quotes(pieces);
    std::string out = quoted ? "\"" : "";
    for (const Piece& piece : pieces) {
        if (piece.kind != Piece::Kind::Literal) {
            out += "${" + piece.text + "}";
            continue;
        }
        for (std::size_t i = 0; i < piece.text.size(); ++i) {
            const auto c = static_cast<unsigned char>(piece.text[i]);
            const std::size_t length = c >= 0x80 ? utf8_sequence_length(piece.text, i) : 0;
            if (!quoted) {
                out.push_back(static_cast<char>(c));
            } else if (length > 0) {
                out.append(piece.text, i, length);  // UTF-8 text stays readable
                i += length - 1;
            } else {
                append_escaped(out, c);
            }
        }
    }
    return quoted ? out + "\"" : out;
}

std::string hex_argument(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        out += fmt::format("{:02X}", static_cast<unsigned char>(c));
    }
    return out;
}

std::string quote_regex(std::string_view line) {
    static constexpr std::string_view kMeta = "\\.+*?()|[]{}^$";
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        const bool edge = i == 0 || i + 1 == line.size();
        if (c >= 0x80) {
            const std::size_t length = utf8_sequence_length(line, i);
            if (length == 0) {
                out += "\\C";  // RE2: any one byte, for a byte that is not UTF-8
            } else {
                out.append(line, i, length);
                i += length - 1;
            }
        } else if (is_control(c) || (c == ' ' && edge)) {
            out += fmt::format("\\x{:02X}", c);  // the parser trims spaces at the ends
        } else if (kMeta.find(static_cast<char>(c)) != std::string_view::npos) {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

std::string pattern_of(const std::vector<Piece>& pieces) {
    std::string out;
    for (const Piece& piece : pieces) {
        switch (piece.kind) {
            case Piece::Kind::Literal:
                out += quote_regex(piece.text);
                break;
            case Piece::Kind::Variable:
                out += "${" + piece.text + "}";
                break;
            case Piece::Kind::Regex:
                out += piece.text;
                break;
        }
    }
    return out;
}

std::string seconds_text(Duration time) {
    return fmt::format("{}s", std::chrono::duration_cast<std::chrono::seconds>(time).count());
}

std::vector<Field> split_fields(std::string_view text) {
    std::vector<Field> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::size_t end = comma == std::string_view::npos ? text.size() : comma;
        fields.push_back(Field{start, text.substr(start, end - start)});
        if (comma == std::string_view::npos) {
            return fields;
        }
        start = comma + 1;
    }
}

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

std::optional<std::string> arguments_of(std::string_view line, std::string_view command) {
    const std::size_t at = line.find(command);
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    std::string out;
    bool quoted = false;
    for (const char c : line.substr(at + command.size())) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ';' && !quoted) {
            break;
        }
        if (c != ' ' || quoted) {
            out.push_back(c);
        }
    }
    return out;
}

std::optional<long> number(std::string_view text) {
    long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

bool is_delimiter(char c) {
    return c == '=' || c == ',' || c == ';' || c == '"';
}

int command_field(std::string_view line, std::size_t at, std::string_view command) {
    const std::size_t start = line.find(command);
    if (start == std::string_view::npos || at < start + command.size()) {
        return -1;
    }
    const std::string_view before =
        line.substr(start + command.size(), at - start - command.size());
    if (before.find(';') != std::string_view::npos) {
        return -1;
    }
    return static_cast<int>(std::count(before.begin(), before.end(), ','));
}

}  // namespace atcoap::script::record
