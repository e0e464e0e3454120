#pragma once
// The soak's reader of the modem's host output (echo off): it splits what the modem wrote
// into framed lines (`\r\n<line>\r\n`, a +QCOAPRECV with its payload of the announced length
// and `\r\n`) and the `\r\n> ` prompt, and parses each URC strictly. Whatever does not split
// cleanly (a line cut short, a stray byte, a URC whose fields do not read back as written) is
// an error: the soak's "no URC cut" invariant (docs/DIALECT.md §1, docs/AT_COAP.md "URCs").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace atcoap::soak {

struct Piece {
    enum class Kind : std::uint8_t { Line, Prompt };
    Kind kind = Kind::Line;
    std::string line;     // without its framing
    std::string payload;  // a +QCOAPRECV's payload
};

/// Splits `text`, which must hold whole pieces only; the error says where it failed.
std::variant<std::vector<Piece>, std::string> split_output(std::string_view text);

// The URCs of docs/AT_COAP.md "URCs" and docs/DIALECT.md §8, parsed.
struct AckUrc {
    int client, type, message_id, result;
};
struct IndUrc {
    int client, message_id, retry, result;
};
struct RecvUrc {
    int client, message_id;
    std::string code;   // c.dd
    std::string token;  // uppercase hex
    std::optional<std::uint32_t> observe;
    std::size_t length;
};
struct OpenUrc {
    int client, result;
};
struct CloseUrc {
    int client, result;
};
struct PdpUrc {
    int cid;
};
struct OtherLine {
    std::string text;  // a response line (OK, ERROR, +QFUPL: ...)
};
using Event = std::variant<AckUrc, IndUrc, RecvUrc, OpenUrc, CloseUrc, PdpUrc, OtherLine>;

/// Reads one line; a line with a URC prefix that is not well formed is an error.
std::variant<Event, std::string> parse_line(const Piece& piece);

}  // namespace atcoap::soak
