#include "host_stream.hpp"

#include <fmt/format.h>

#include <charconv>

namespace atcoap::soak {
namespace {

constexpr std::string_view kCrLf = "\r\n";

std::optional<long long> integer(std::string_view text) {
    long long value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    // Read back exactly: no sign but '-', no leading zeros, nothing left over.
    if (ec != std::errc{} || ptr != end || fmt::format("{}", value) != text) {
        return std::nullopt;
    }
    return value;
}

/// Splits on commas outside quotes; a quote inside a value is always escaped (\22).
std::optional<std::vector<std::string_view>> fields(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '"') {
            quoted = !quoted;
        } else if (text[i] == ',' && !quoted) {
            out.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    if (quoted) {
        return std::nullopt;
    }
    out.push_back(text.substr(start));
    return out;
}

/// `count` integer fields after `prefix`, or nullopt.
std::optional<std::vector<int>> integers(std::string_view line, std::string_view prefix,
                                         std::size_t count) {
    const auto parts = fields(line.substr(prefix.size()));
    if (!parts || parts->size() != count) {
        return std::nullopt;
    }
    std::vector<int> out;
    for (const auto part : *parts) {
        const auto value = integer(part);
        if (!value) {
            return std::nullopt;
        }
        out.push_back(static_cast<int>(*value));
    }
    return out;
}

bool is_code(std::string_view code) {
    return code.size() == 4 && code[0] >= '0' && code[0] <= '7' && code[1] == '.' &&
           code[2] >= '0' && code[2] <= '3' && code[3] >= '0' && code[3] <= '9';
}

bool is_upper_hex(std::string_view text) {
    return text.find_first_not_of("0123456789ABCDEF") == std::string_view::npos;
}

std::optional<RecvUrc> parse_recv(std::string_view line, std::string_view payload) {
    const auto parts = fields(line.substr(std::string_view("+QCOAPRECV: ").size()));
    if (!parts || parts->size() < 7) {
        return std::nullopt;
    }
    const auto& f = *parts;
    const auto client = integer(f[0]);
    const auto message_id = integer(f[1]);
    const auto tkl = integer(f[3]);
    const auto count = integer(f[5]);
    const auto length = integer(f.back());
    if (!client || !message_id || !tkl || !count || !length || !is_code(f[2]) ||
        f[4].size() != static_cast<std::size_t>(*tkl) * 2 || !is_upper_hex(f[4]) ||
        f.size() != 7 + 2 * static_cast<std::size_t>(*count) ||
        static_cast<std::size_t>(*length) != payload.size()) {
        return std::nullopt;
    }
    RecvUrc recv{static_cast<int>(*client),
                 static_cast<int>(*message_id),
                 std::string(f[2]),
                 std::string(f[4]),
                 std::nullopt,
                 payload.size()};
    for (std::size_t i = 6; i + 1 < f.size(); i += 2) {
        const auto number = integer(f[i]);
        const auto value = f[i + 1];
        if (!number || value.size() < 2 || value.front() != '"' || value.back() != '"') {
            return std::nullopt;
        }
        if (*number == 6) {
            const auto observe = integer(value.substr(1, value.size() - 2));
            if (!observe) {
                return std::nullopt;
            }
            recv.observe = static_cast<std::uint32_t>(*observe);
        }
    }
    return recv;
}

}  // namespace

std::variant<std::vector<Piece>, std::string> split_output(std::string_view text) {
    std::vector<Piece> pieces;
    std::size_t at = 0;
    while (at < text.size()) {
        auto rest = text.substr(at);
        // The lines of one information response follow each other with one CR LF between
        // them (AT+QFLST, V.250 §5.7.1); every other line opens with its own CR LF.
        if (!rest.starts_with(kCrLf)) {
            if (pieces.empty() || !rest.starts_with("+QFLST: ") ||
                !pieces.back().line.starts_with("+QFLST: ")) {
                return fmt::format("no CR LF at byte {} of {}", at, text.size());
            }
            at -= 2;
            rest = text.substr(at);
        }
        if (rest.substr(2) == "> ") {
            pieces.push_back(Piece{Piece::Kind::Prompt, {}, {}});
            break;
        }
        const auto end = rest.find(kCrLf, 2);
        if (end == std::string_view::npos) {
            return fmt::format("a line cut short at byte {}", at);
        }
        Piece piece{Piece::Kind::Line, std::string(rest.substr(2, end - 2)), {}};
        at += end + 2;
        if (piece.line.starts_with("+QCOAPRECV: ")) {
            const auto comma = piece.line.rfind(',');
            const auto length = integer(std::string_view(piece.line).substr(comma + 1));
            const auto size = length ? static_cast<std::size_t>(*length) : text.size();
            if (!length || text.size() - at < size + 2 || text.substr(at + size, 2) != kCrLf) {
                return "a +QCOAPRECV payload cut short: " + piece.line;
            }
            piece.payload = std::string(text.substr(at, size));
            at += size + 2;
        }
        pieces.push_back(std::move(piece));
    }
    return pieces;
}

std::variant<Event, std::string> parse_line(const Piece& piece) {
    const std::string_view line = piece.line;
    const auto bad = [&] { return "malformed URC: " + piece.line; };
    if (line.starts_with("+QCOAPACK: ")) {
        const auto v = integers(line, "+QCOAPACK: ", 4);
        if (!v) {
            return bad();
        }
        return Event{AckUrc{(*v)[0], (*v)[1], (*v)[2], (*v)[3]}};
    }
    if (line.starts_with("+QCOAPIND: ")) {
        const auto v = integers(line, "+QCOAPIND: ", 5);
        if (!v || (*v)[1] != 0) {
            return bad();
        }
        return Event{IndUrc{(*v)[0], (*v)[2], (*v)[3], (*v)[4]}};
    }
    if (line.starts_with("+QCOAPRECV: ")) {
        const auto recv = parse_recv(line, piece.payload);
        if (!recv) {
            return bad();
        }
        return Event{*recv};
    }
    if (line.starts_with("+QCOAPOPEN: ")) {
        const auto v = integers(line, "+QCOAPOPEN: ", 2);
        if (!v) {
            return bad();
        }
        return Event{OpenUrc{(*v)[0], (*v)[1]}};
    }
    if (line.starts_with("+QCOAPCLOSE: ")) {
        const auto v = integers(line, "+QCOAPCLOSE: ", 2);
        if (!v) {
            return bad();
        }
        return Event{CloseUrc{(*v)[0], (*v)[1]}};
    }
    if (line.starts_with("+QIURC: ")) {
        constexpr std::string_view kPdp = "+QIURC: \"pdpdeact\",";
        const auto v = line.starts_with(kPdp) ? integers(line, kPdp, 1) : std::nullopt;
        if (!v) {
            return bad();
        }
        return Event{PdpUrc{(*v)[0]}};
    }
    return Event{OtherLine{piece.line}};
}

}  // namespace atcoap::soak
