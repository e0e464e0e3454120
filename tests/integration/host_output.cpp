#include "host_output.hpp"

#include <fmt/format.h>

namespace atcoap::integration {

bool OutputReader::take(std::string_view text) {
    if (!std::string_view(text_).substr(at_).starts_with(text)) {
        return false;
    }
    at_ += text.size();
    return true;
}

std::string OutputReader::rest() const {
    return printable(std::string_view(text_).substr(at_, 200));
}

std::string framed(std::string_view line) {
    return fmt::format("\r\n{}\r\n", line);
}

std::optional<ConReport> read_con(OutputReader& in, int client, int message_id,
                                  int max_retransmissions, std::string_view answer) {
    ConReport report;
    const auto indication = [&](std::string_view result) {
        return framed(fmt::format("+QCOAPIND: {},0,{},{},{}", client, message_id,
                                  report.retransmissions + 1, result));
    };
    while (report.retransmissions < max_retransmissions) {
        if (report.unsent == 0 && in.take(indication("0"))) {
            ++report.retransmissions;
        } else if (in.take(indication("-11"))) {
            ++report.retransmissions;
            ++report.unsent;
        } else {
            break;
        }
    }
    if (in.take(framed(fmt::format("+QCOAPACK: {},0,{},0", client, message_id)))) {
        report.acknowledged = true;
        return in.take(answer) ? std::optional(report) : std::nullopt;
    }
    if (report.retransmissions == max_retransmissions &&
        in.take(framed(fmt::format("+QCOAPACK: {},0,{},-11", client, message_id)))) {
        return report;
    }
    return std::nullopt;
}

std::string recv_block(int client, int message_id, std::string_view code, std::string_view token,
                       std::string_view payload, std::optional<int> content_format) {
    const std::string options =
        content_format ? fmt::format("1,12,\"{}\"", *content_format) : std::string("0");
    return framed(fmt::format("+QCOAPRECV: {},{},{},{},{},{},{}", client, message_id, code,
                              token.size() / 2, token, options, payload.size())) +
           std::string(payload) + "\r\n";
}

std::string printable(std::string_view bytes) {
    std::string out;
    for (const char c : bytes) {
        if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c >= 0x20 && c < 0x7F) {
            out.push_back(c);
        } else {
            out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
        }
    }
    return out;
}

}  // namespace atcoap::integration
