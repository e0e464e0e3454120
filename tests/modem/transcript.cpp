#include "transcript.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "base/hex.hpp"

namespace atcoap::modem::testing {

Bytes unescape(std::string_view text) {
    Bytes out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '\\' || i + 1 == text.size()) {
            out.push_back(static_cast<std::uint8_t>(c));
            continue;
        }
        const char e = text[++i];
        switch (e) {
            case 'r':
                out.push_back('\r');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'e':
                out.push_back(0x1B);
                break;
            case 'z':
                out.push_back(0x1A);
                break;
            case '\\':
                out.push_back('\\');
                break;
            case 'x': {
                const auto byte = parse_hex(text.substr(i + 1, 2));
                if (!byte || i + 2 >= text.size()) {
                    throw std::invalid_argument("bad \\x escape");
                }
                out.push_back((*byte)[0]);
                i += 2;
                break;
            }
            default:
                throw std::invalid_argument(std::string("unknown escape \\") + e);
        }
    }
    return out;
}

std::string escape(ByteView bytes) {
    std::string out;
    for (std::uint8_t b : bytes) {
        if (b == '\r') {
            out += "\\r";
        } else if (b == '\n') {
            out += "\\n";
        } else if (b == '\\') {
            out += "\\\\";
        } else if (b >= 0x20 && b < 0x7F) {
            out.push_back(static_cast<char>(b));
        } else {
            out += "\\x" + to_hex_upper(ByteView(&b, 1));
        }
    }
    return out;
}

namespace {

/// `S> <client> <hex bytes>`: the server sends a datagram to a client; `S< <client> <hex>`:
/// the client must have sent exactly this datagram next. Spaces inside the hex are ignored.
TranscriptStep parse_datagram_step(const std::string& line, int number) {
    std::istringstream in(line.substr(3));
    int client = 0;
    in >> client;
    std::string hex;
    std::string part;
    while (in >> part) {
        hex += part;
    }
    const auto bytes = parse_hex(hex);
    if (!bytes) {
        throw std::invalid_argument("line " + std::to_string(number) + ": bad hex datagram");
    }
    const auto kind =
        line[1] == '>' ? TranscriptStep::Kind::ServerSends : TranscriptStep::Kind::ExpectDatagram;
    return TranscriptStep{kind, *bytes, 0, number, client};
}

}  // namespace

std::vector<TranscriptStep> parse_transcript(const std::string& text) {
    std::vector<TranscriptStep> steps;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        if (line.starts_with("S> ") || line.starts_with("S< ")) {
            steps.push_back(parse_datagram_step(line, number));
            continue;
        }
        if (line.size() < 2 || line[1] != ' ') {
            throw std::invalid_argument("line " + std::to_string(number) + ": no '<kind> '");
        }
        const std::string_view body = std::string_view(line).substr(2);
        switch (line[0]) {
            case '>':
                steps.push_back({TranscriptStep::Kind::Send, unescape(body), 0, number});
                break;
            case '<':
                steps.push_back({TranscriptStep::Kind::Expect, unescape(body), 0, number});
                break;
            case '@':
                steps.push_back(
                    {TranscriptStep::Kind::Advance, {}, std::stoll(std::string(body)), number});
                break;
            default:
                throw std::invalid_argument("line " + std::to_string(number) + ": unknown kind");
        }
    }
    return steps;
}

std::vector<std::filesystem::path> transcript_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(ATCOAP_TRANSCRIPT_DIR)) {
        if (entry.path().extension() == ".at") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace atcoap::modem::testing
