// The soak's host actions (soak_driver.hpp): each types its commands and checks the answer
// line by line; the URCs in between go to the model.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <iterator>
#include <variant>

#include "host_stream.hpp"
#include "soak_driver.hpp"

namespace atcoap::soak {
namespace {

constexpr std::size_t kMaxFiles = 16;  // small files, far below the store's 64 MiB
constexpr std::uint32_t kMaxFileSize = 2048;
constexpr int kMaxObservations = 2;  // per client

}  // namespace

sim::SimulationOptions simulation_options(std::uint64_t seed) {
    sim::LinkSettings link;
    link.loss = 0.3;
    link.duplicate = 0.1;
    link.reorder = 0.1;
    link.delay = Duration{50};
    link.reorder_delay = Duration{1'500};
    sim::SimulationOptions options;
    options.seed = seed;
    options.to_server = link;
    options.to_modem = link;
    options.keep_history = false;  // a day of output would otherwise be kept
    return options;
}

namespace {

/// docs/AT_FILES.md: the XOR of big-endian 16-bit words, lowercase hex without padding.
std::string checksum(std::string_view data) {
    unsigned sum = 0;
    for (std::size_t i = 0; i < data.size(); i += 2) {
        const unsigned high = static_cast<unsigned char>(data[i]);
        const unsigned low = i + 1 < data.size() ? static_cast<unsigned char>(data[i + 1]) : 0;
        sum ^= (high << 8) | low;
    }
    return fmt::format("{:x}", sum);
}

/// Output bytes for a failure message: CR, LF and other unprintable bytes escaped.
std::string escaped(std::string_view text) {
    std::string out;
    for (const char byte : text) {
        const auto code = static_cast<unsigned char>(byte);
        if (byte == '\r') {
            out += "\\r";
        } else if (byte == '\n') {
            out += "\\n";
        } else if (code < 0x20 || code >= 0x7F) {
            out += fmt::format("\\x{:02X}", code);
        } else {
            out += byte;
        }
    }
    return out;
}

double seconds(TimePoint at) {
    return static_cast<double>(at.time_since_epoch().count()) / 1000.0;
}

}  // namespace

void Soak::read(std::string_view text, Lines* responses, bool* prompt) {
    if (options_.trace && !text.empty()) {
        std::cout << fmt::format("{:.3f} < {}\n", seconds(sim_.now()), escaped(text));
    }
    auto pieces = split_output(text);
    if (auto* error = std::get_if<std::string>(&pieces)) {
        model_.fail(*error + ": " + escaped(text.substr(0, 400)));
        return;
    }
    for (const Piece& piece : std::get<std::vector<Piece>>(pieces)) {
        if (piece.kind == Piece::Kind::Prompt) {
            if (prompt == nullptr) {
                model_.fail("a prompt nobody asked for");
            } else {
                *prompt = true;
            }
            continue;
        }
        auto event = parse_line(piece);
        if (auto* error = std::get_if<std::string>(&event)) {
            model_.fail(*error);
            return;
        }
        const Event& e = std::get<Event>(event);
        if (const auto* other = std::get_if<OtherLine>(&e); other != nullptr && responses) {
            responses->push_back(other->text);
        } else {
            model_.on_event(e, sim_.now());
        }
    }
}

void Soak::command(const std::string& line, const Lines& expected, bool prompt) {
    if (options_.trace) {
        std::cout << fmt::format("{:.3f} > {}\n", seconds(sim_.now()), line);
    }
    sim_.command(line);
    Lines responses;
    bool prompted = false;
    read(sim_.take_output(), &responses, &prompted);
    if (responses != expected || prompted != prompt) {
        model_.fail(fmt::format("`{}` answered `{}`{}", line, fmt::join(responses, "|"),
                                prompted ? " and a prompt" : ""));
    }
}

void Soak::type_data(const std::string& bytes, const Lines& expected) {
    sim_.type(bytes);
    Lines responses;
    read(sim_.take_output(), &responses, nullptr);
    if (responses != expected) {
        model_.fail(
            fmt::format("data of {} bytes answered `{}`", bytes.size(), fmt::join(responses, "|")));
    }
}

void Soak::start() {
    sim_.run_until_output("APP RDY\r\n", Duration{1'000});
    if (sim_.take_output() != "\r\nRDY\r\n\r\nAPP RDY\r\n") {
        model_.fail("no RDY, APP RDY at start");
    }
    sim_.command("ATE0");
    if (sim_.take_output() != "ATE0\r\r\nOK\r\n") {
        model_.fail("ATE0 not answered");
    }
    for (int client = 0; client < kClients; ++client) {
        command(fmt::format("AT+QCOAPCFG=\"trans\",{},2,4", client), {"OK"});
        message_ids_.at(static_cast<std::size_t>(client)) = 1000 * (client + 1);
    }
}

void Soak::open(int client) {
    // Slots: 0 Uri-Path obs, 1 Observe 0, 2 Observe 1, 3 Uri-Path separate, 4 Uri-Path echo.
    // HEADER and OPTION may be set before OPEN (docs/DIALECT.md §4); CLOSE clears them.
    for (const char* option :
         {"0,11,\"obs\"", "1,6,0", "2,6,1", "3,11,\"separate\"", "4,11,\"echo\""}) {
        command(fmt::format("AT+QCOAPOPTION={},0,{}", client, option), {"OK"});
    }
    model_.opening(client, sim_.now());
    command(fmt::format("AT+QCOAPOPEN={},\"127.0.0.1\",5683", client), {"OK"});
}

void Soak::send(int client, int type, int code, int mask, Answers answers, std::string payload) {
    const int id = message_ids_.at(static_cast<std::size_t>(client))++ % 65536;
    const std::string token = fmt::format("{:02X}{:06X}", client, ++tokens_ % 0x1000000);
    command(fmt::format("AT+QCOAPHEADER={},{},0,4,{}", client, id, token), {"OK"});
    model_.sent(client, id, type == 0, token, answers, sim_.now());
    const auto line =
        fmt::format("AT+QCOAPSEND={},{},{},{},{}", client, type, code, mask, payload.size());
    if (payload.empty()) {
        command(line, {"OK"});
        return;
    }
    command(line, {}, true);
    type_data(payload, {"OK"});
}

void Soak::observe(int client) {
    if (static_cast<int>(model_.observations(client).size()) >= kMaxObservations) {
        cancel(client);
        return;
    }
    send(client, 0, 1, 0b11, Answers::Observe, {});
}

void Soak::cancel(int client) {
    const auto& registered = model_.observations(client);
    if (registered.empty()) {
        return;
    }
    const std::string token = registered.front();
    const int id = message_ids_.at(static_cast<std::size_t>(client))++ % 65536;
    command(fmt::format("AT+QCOAPHEADER={},{},0,4,{}", client, id, token), {"OK"});
    model_.cancelled(client, id, token, sim_.now());
    command(fmt::format("AT+QCOAPSEND={},0,1,5,0", client), {"OK"});
}

void Soak::radio() {
    const bool on = !sim_.modem().radio().network_radio();
    sim_.modem().set_network_radio(on, sim_.now());
    sim_.settle();
    model_.radio(on);
    ++result_.tally.radio_changes;
    read_urcs();
}

void Soak::pdp() {
    const bool active = !sim_.modem().radio().active(1);
    if (active && !sim_.modem().radio().network_radio()) {
        return;  // restoring with the radio off is refused (docs/DIALECT.md §8)
    }
    if (!sim_.modem().set_context_by_network(1, active, sim_.now())) {
        model_.fail("the PDP context could not be changed");
    }
    sim_.settle();
    model_.pdp(active, sim_.now());
    read_urcs();
}

void Soak::upload() {
    if (files_.size() >= kMaxFiles) {
        remove();
        return;
    }
    const std::string name = fmt::format("s{}", ++file_names_);
    std::string data(draw(1, kMaxFileSize), '\0');
    for (char& byte : data) {
        byte = static_cast<char>(draw(0, 255));
    }
    command(fmt::format("AT+QFUPL=\"UFS:{}\",{}", name, data.size()), {"CONNECT"});
    type_data(data, {fmt::format("+QFUPL: {},{}", data.size(), checksum(data)), "OK"});
    files_[name] = data.size();
    ++result_.tally.uploads;
}

void Soak::remove() {
    if (files_.empty()) {
        return;
    }
    auto victim = files_.begin();
    std::advance(victim, draw(0, static_cast<std::uint32_t>(files_.size() - 1)));
    command(fmt::format("AT+QFDEL=\"UFS:{}\"", victim->first), {"OK"});
    files_.erase(victim);
    ++result_.tally.deletes;
}

void Soak::list() {
    Lines expected;
    for (const auto& [name, size] : files_) {
        expected.push_back(fmt::format("+QFLST: \"UFS:{}\",{}", name, size));
    }
    expected.emplace_back("OK");
    command("AT+QFLST", expected);
    ++result_.tally.lists;
}

}  // namespace atcoap::soak
