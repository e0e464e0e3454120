// The values of a session that differ between runs or targets (docs/SCRIPTS.md, "Recording a
// session"): message IDs and tokens captured, the server's address as ${HOST} and ${PORT}.
#include <fmt/format.h>

#include "script/recorder.hpp"

namespace atcoap::script {

using record::arguments_of;
using record::is_delimiter;
using record::number;
using record::Piece;
using record::upper;

namespace {
const std::string kHost = "HOST";
const std::string kPort = "PORT";
const std::string kDtlsPort = "DTLS_PORT";
}  // namespace

/// Remembers the message IDs and tokens the host chose (AT+QCOAPHEADER's, and the IDs its
/// AT+QCOAPSENDs used from there, +1 each), so that those values stay literal in the patterns.
void Recorder::learn_host_fields(std::string_view line) {
    const auto remember = [this](std::string value) {
        if (host_fields_.size() < kMaxHostFields) {
            host_fields_.insert(std::move(value));
        }
    };
    if (const auto args = arguments_of(line, "+QCOAPHEADER=")) {
        const auto fields = record::split_fields(*args);
        const auto client = number(fields[0].text);
        const auto mid = fields.size() > 1 ? number(fields[1].text) : std::nullopt;
        if (client && mid) {
            next_mid_[static_cast<int>(*client)] = *mid;
        }
        if (fields.size() > 4) {
            std::string token(fields[4].text);
            std::erase(token, '"');
            remember(token);
        }
    } else if (const auto send = arguments_of(line, "+QCOAPSEND=")) {
        const auto client = number(record::split_fields(*send)[0].text);
        const auto next = client ? next_mid_.find(static_cast<int>(*client)) : next_mid_.end();
        if (next != next_mid_.end()) {
            remember(std::to_string(next->second));
            next->second = (next->second + 1) % 65536;
        }
    }
}

/// A host line with `${NAME}` for each field equal to a captured value: any field of 3 or more
/// characters, and AT+QCOAPHEADER's message ID and token whatever their length (a token in
/// either case: the modem takes hex in both).
std::vector<Piece> Recorder::substitute(const std::string& line) const {
    const std::string up = upper(line);
    std::vector<Piece> pieces;
    const auto literal = [&](std::size_t from, std::size_t to) {
        if (to <= from) {
            return;
        }
        if (pieces.empty() || pieces.back().kind != Piece::Kind::Literal) {
            pieces.push_back(Piece{Piece::Kind::Literal, {}});
        }
        pieces.back().text.append(line, from, to - from);
    };
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
        if (i < line.size() && !is_delimiter(line[i])) {
            continue;
        }
        const std::string field = up.substr(start, i - start);
        const int slot = record::command_field(up, start, "+QCOAPHEADER=");
        const std::string* found = nullptr;
        for (const bool token : {false, true}) {
            const auto it = captures_.find({token, field});
            if (found == nullptr && it != captures_.end() &&
                (field.size() >= 3 || slot == (token ? 4 : 1))) {
                found = &it->second;
            }
        }
        const int open_slot = record::command_field(up, start, "+QCOAPOPEN=");
        if (open_slot == 1 && !host_.empty() && field == host_) {
            found = &kHost;
        } else if (open_slot == 2 && !field.empty() && (field == port_ || field == dtls_port_)) {
            found = field == port_ ? &kPort : &kDtlsPort;
        }
        if (found != nullptr) {
            pieces.push_back(Piece{Piece::Kind::Variable, *found});
        } else {
            literal(start, i);
        }
        literal(i, std::min(i + 1, line.size()));
        start = i + 1;
    }
    return pieces;
}

/// The server of the first AT+QCOAPOPEN, for ${HOST} and ${PORT} (docs/SCRIPTS.md, "Variables":
/// every target defines them), and which clients have DTLS on (their port is ${DTLS_PORT}).
void Recorder::learn_server(std::string_view line) {
    if (const auto args = arguments_of(line, "+QCOAPCFG=")) {
        const auto fields = record::split_fields(*args);
        const auto client = fields.size() > 2 ? number(fields[1].text) : std::nullopt;
        if (fields[0].text == "\"DTLS\"" && client) {
            if (fields[2].text == "1") {
                dtls_clients_.insert(static_cast<int>(*client));
            } else {
                dtls_clients_.erase(static_cast<int>(*client));
            }
        }
    } else if (const auto open = arguments_of(line, "+QCOAPOPEN=")) {
        const auto fields = record::split_fields(*open);
        const auto client = number(fields[0].text);
        if (fields.size() != 3 || !client || fields[1].text.size() < 3) {
            return;
        }
        const std::string_view host = fields[1].text.substr(1, fields[1].text.size() - 2);
        if (host_.empty()) {
            host_ = host;
        }
        std::string& port = dtls_clients_.contains(static_cast<int>(*client)) ? dtls_port_ : port_;
        if (host == host_ && port.empty() && fields[2].text != port_ &&
            fields[2].text != dtls_port_) {
            port = fields[2].text;
        }
    }
}

/// `+QCOAPOPEN: <id>,"<server>",<port>,<status>`, AT+QCOAPOPEN?'s answer, with the server as
/// its variables.
std::optional<std::string> Recorder::open_status_pattern(std::string_view line) const {
    constexpr std::string_view kPrefix = "+QCOAPOPEN: ";
    if (!line.starts_with(kPrefix) || host_.empty()) {
        return std::nullopt;
    }
    const auto fields = record::split_fields(line.substr(kPrefix.size()));
    if (fields.size() != 4 || upper(fields[1].text) != "\"" + host_ + "\"") {
        return std::nullopt;
    }
    const std::string_view port = fields[2].text;
    const bool known = port == port_ || port == dtls_port_;
    std::vector<Piece> pieces{
        {Piece::Kind::Literal, std::string(kPrefix) + std::string(fields[0].text) + ",\""},
        {Piece::Kind::Variable, kHost},
        {Piece::Kind::Literal, "\","}};
    if (known) {
        pieces.push_back({Piece::Kind::Variable, port == port_ ? kPort : kDtlsPort});
    } else {
        pieces.push_back({Piece::Kind::Literal, std::string(port)});
    }
    pieces.push_back({Piece::Kind::Literal, "," + std::string(fields[3].text)});
    return record::pattern_of(pieces);
}

}  // namespace atcoap::script
