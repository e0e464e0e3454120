#include "transcript.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <variant>

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

namespace atcoap::modem::testing {
namespace {

/// A name that never resolves, for the -5 path.
constexpr std::string_view kUnresolvable = "unresolvable.invalid";

std::string describe(bool datagram, int client, ByteView bytes) {
    if (datagram) {
        return "datagram of client " + std::to_string(client) + ": " + to_hex_upper(bytes);
    }
    return "host output \"" + escape(bytes) + "\"";
}

}  // namespace

TranscriptRunner::TranscriptRunner() : modem_(ModemOptions{}, storage_, random_, logger_) {
    modem_.start(now_);
    after_call();
}

std::optional<std::string> TranscriptRunner::run(const std::vector<TranscriptStep>& steps) {
    for (const TranscriptStep& s : steps) {
        if (auto failure = step(s)) {
            return "transcript line " + std::to_string(s.line) + ": " + *failure;
        }
    }
    if (auto failure = expect_nothing_more()) {
        return "at the end: " + *failure;
    }
    return std::nullopt;
}

std::optional<std::string> TranscriptRunner::step(const TranscriptStep& step) {
    using Kind = TranscriptStep::Kind;
    switch (step.kind) {
        case Kind::Expect:
            return expect_output(step.bytes);
        case Kind::ExpectDatagram:
            return expect_datagram(step);
        default:
            break;
    }
    // Input to the modem: everything it did before must have been expected.
    if (auto failure = expect_nothing_more()) {
        return failure;
    }
    if (step.kind == Kind::Send) {
        modem_.on_host_bytes(step.bytes, now_);
        after_call();
    } else if (step.kind == Kind::ServerSends) {
        modem_.on_datagram(sockets_[step.client], step.bytes, now_);
        after_call();
    } else {
        advance(Duration{step.advance_ms});
    }
    return std::nullopt;
}

void TranscriptRunner::after_call() {
    const std::uint64_t call = ++calls_;
    if (Bytes out = modem_.take_host_output(); !out.empty()) {
        stream_.push_back(Observed{call, false, 0, std::move(out)});
    }
    std::vector<net::OpenSocket> opens;
    for (net::Request& request : modem_.take_network_requests()) {
        if (auto* send = std::get_if<net::SendDatagram>(&request)) {
            stream_.push_back(Observed{call, true, send->id.client, std::move(send->bytes)});
        } else if (auto* open = std::get_if<net::OpenSocket>(&request)) {
            opens.push_back(std::move(*open));
        }
    }
    // The network answers each open at once, as a call of its own.
    for (const net::OpenSocket& open : opens) {
        sockets_[open.id.client] = open.id;
        const bool resolves = open.host != kUnresolvable;
        modem_.on_socket_opened(
            open.id, resolves ? net::OpenResult::Opened : net::OpenResult::NameNotResolved, now_);
        after_call();
    }
}

TranscriptRunner::Stream::iterator TranscriptRunner::first_of_next_call(bool datagram) {
    if (stream_.empty()) {
        return stream_.end();
    }
    const std::uint64_t call = stream_.front().call;
    for (auto it = stream_.begin(); it != stream_.end() && it->call == call; ++it) {
        if (it->datagram == datagram) {
            return it;
        }
    }
    return stream_.end();
}

std::optional<std::string> TranscriptRunner::expect_output(const Bytes& expected) {
    std::size_t matched = 0;
    while (matched < expected.size()) {
        const auto next = first_of_next_call(false);
        const ByteView want = ByteView(expected).subspan(matched);
        if (next == stream_.end()) {
            const std::string instead =
                stream_.empty() ? "nothing more"
                                : describe(true, stream_.front().client, stream_.front().bytes);
            return "expected host output \"" + escape(want) + "\", but the modem's next act was " +
                   instead;
        }
        const std::size_t n = std::min(want.size(), next->bytes.size());
        if (!std::equal(want.begin(), want.begin() + static_cast<std::ptrdiff_t>(n),
                        next->bytes.begin())) {
            return "expected: " + escape(want) + "\n     got: " + escape(next->bytes);
        }
        matched += n;
        if (n == next->bytes.size()) {
            stream_.erase(next);
        } else {
            next->bytes.erase(next->bytes.begin(),
                              next->bytes.begin() + static_cast<std::ptrdiff_t>(n));
        }
    }
    return std::nullopt;
}

std::optional<std::string> TranscriptRunner::expect_datagram(const TranscriptStep& step) {
    const auto next = first_of_next_call(true);
    if (next == stream_.end()) {
        const std::string instead =
            stream_.empty() ? "nothing more" : describe(false, 0, stream_.front().bytes);
        return "expected a datagram of client " + std::to_string(step.client) +
               ", but the modem's next act was " + instead;
    }
    if (next->client != step.client || next->bytes != step.bytes) {
        return "expected: " + describe(true, step.client, step.bytes) +
               "\n     got: " + describe(true, next->client, next->bytes);
    }
    stream_.erase(next);
    return std::nullopt;
}

std::optional<std::string> TranscriptRunner::expect_nothing_more() const {
    if (stream_.empty()) {
        return std::nullopt;
    }
    const Observed& next = stream_.front();
    return "unexpected " + describe(next.datagram, next.client, next.bytes);
}

/// Virtual time: every deadline on the way fires at its exact time.
void TranscriptRunner::advance(Duration by) {
    const TimePoint target = now_ + by;
    for (auto deadline = modem_.next_deadline(); deadline && *deadline <= target;
         deadline = modem_.next_deadline()) {
        now_ = std::max(now_, *deadline);
        modem_.on_timeout(now_);
        after_call();
    }
    now_ = target;
}

}  // namespace atcoap::modem::testing
