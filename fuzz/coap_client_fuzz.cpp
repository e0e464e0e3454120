// Feeds arbitrary datagrams, timed as the input says, to two open CoAP clients of the whole
// modem core, each with outstanding CONs and a registered observation (RFC 7641). After every
// step the host may only have received well-formed CoAP URCs (docs/DIALECT.md §3), and every
// datagram the modem sent must decode; at the end AT still answers OK and both clients close
// cleanly. An observer watches every message (modem/message_tap.hpp), so the records and the
// per-message line are built for every datagram too, and must be consistent.
//
// Input: records of [length][timing][length bytes of one datagram]. The timing byte's low bit
// picks the client (0 or 1); its upper seven bits s advance virtual time by s * s * 20 ms
// before the datagram arrives (0 to about 323 s: fine steps near zero, and past
// EXCHANGE_LIFETIME in one record), every deadline on the way firing at its exact time.

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.hpp"
#include "coap/codec.hpp"
#include "modem/message_tap.hpp"
#include "modem/modem.hpp"
#include "ufs/storage.hpp"

namespace {

using namespace atcoap;

constexpr std::string_view kCrLf = "\r\n";
constexpr std::string_view kOk = "\r\nOK\r\n";

void require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

/// A decimal integer, optionally negative, that is the whole of `text`.
bool parse_int(std::string_view text, long& value) {
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    return !text.empty() && ec == std::errc{} && ptr == end;
}

bool is_upper_hex(std::string_view text) {
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

/// A URC's parameters split at commas outside double quotes. String option values escape `"`
/// as \22 (docs/DIALECT.md §7), so a quote always opens or closes a value.
std::vector<std::string_view> split_fields(std::string_view params) {
    std::vector<std::string_view> fields;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i] == '"') {
            quoted = !quoted;
        } else if (params[i] == ',' && !quoted) {
            fields.push_back(params.substr(start, i - start));
            start = i + 1;
        }
    }
    require(!quoted);
    fields.push_back(params.substr(start));
    return fields;
}

/// The client a URC names must be one the step could have touched.
void check_client(std::string_view field, int allowed) {
    long id = 0;
    require(parse_int(field, id));
    require(allowed < 0 ? (id == 0 || id == 1) : id == allowed);
}

/// `<id>,<msgID>,<c.dd>,<TKL>,<token>,<opt_count>[,<number>,"<value>"]...,<payload_length>`;
/// returns the payload length.
std::size_t check_recv(std::string_view params, int allowed) {
    const std::vector<std::string_view> f = split_fields(params);
    require(f.size() >= 7);
    check_client(f[0], allowed);
    long message_id = 0;
    long tkl = 0;
    long count = 0;
    long length = 0;
    require(parse_int(f[1], message_id) && message_id >= 0 && message_id <= 0xFFFF);
    const std::string_view code = f[2];
    require(code.size() == 4 && code[1] == '.' && code[0] >= '0' && code[0] <= '7');
    require(parse_int(f[3], tkl) && tkl >= 0 && tkl <= 8);
    require(f[4].size() == static_cast<std::size_t>(2 * tkl) && is_upper_hex(f[4]));
    require(parse_int(f[5], count) && count >= 0);
    require(f.size() == 7 + 2 * static_cast<std::size_t>(count));
    for (std::size_t i = 6; i + 1 < f.size(); i += 2) {
        long number = 0;
        require(parse_int(f[i], number) && number >= 0 && number <= 0xFFFF);
        require(f[i + 1].size() >= 2 && f[i + 1].front() == '"' && f[i + 1].back() == '"');
    }
    require(parse_int(f.back(), length) && length >= 0);
    return static_cast<std::size_t>(length);
}

/// `+QCOAPACK: <id>,<type>,<msgID>,<result>` or `+QCOAPIND: <id>,0,<msgID>,<retry>,<result>`.
void check_ack_or_ind(std::string_view params, bool ind, int allowed) {
    const std::vector<std::string_view> f = split_fields(params);
    require(f.size() == (ind ? 5u : 4u));
    check_client(f[0], allowed);
    long type = 0;
    long message_id = 0;
    long result = 0;
    require(parse_int(f[1], type) && type >= 0 && type <= (ind ? 0 : 3));
    require(parse_int(f[2], message_id) && message_id >= 0 && message_id <= 0xFFFF);
    require(parse_int(f.back(), result) && (result == 0 || result == -11));
}

/// Everything written to the host while no command runs: only CoAP URCs, each whole, and a
/// +QCOAPRECV followed by exactly the payload length it declares. `allowed` is the client a
/// datagram went to, or -1 after time passed (then either client may report).
void check_urcs(std::string_view out, int allowed) {
    while (!out.empty()) {
        require(out.starts_with("\r\n+QCOAP"));
        out.remove_prefix(kCrLf.size());
        const std::size_t end = out.find(kCrLf);
        require(end != std::string_view::npos);
        const std::string_view line = out.substr(0, end);
        out.remove_prefix(end + kCrLf.size());
        for (char c : line) {
            require(c >= 0x20 && c < 0x7F);  // one printable line (docs/DIALECT.md §7 escapes)
        }
        if (line.starts_with("+QCOAPRECV: ")) {
            const std::size_t length = check_recv(line.substr(12), allowed);
            // The payload and its CR LF, also when it is empty (docs/DIALECT.md §3).
            require(out.size() >= length + kCrLf.size());
            require(out.substr(length, kCrLf.size()) == kCrLf);
            out.remove_prefix(length + kCrLf.size());
        } else if (line.starts_with("+QCOAPACK: ")) {
            check_ack_or_ind(line.substr(11), false, allowed);
        } else {
            require(line.starts_with("+QCOAPIND: "));
            check_ack_or_ind(line.substr(11), true, allowed);
        }
    }
}

/// The modem core with a network that opens sockets at once and takes every datagram sent.
/// Checks each MessageTrace against what a CoAP message can be, and formats its log line.
class CheckingObserver final : public modem::Observer {
  public:
    void on_message(const modem::MessageTrace& m) override {
        require(m.client == 0 || m.client == 1);
        require(m.size >= 4 + m.token.size());
        require(m.path.empty() || m.path.front() == '/');
        require(!m.round_trip || m.round_trip->count() >= 0);
        require((m.retransmission == 0) == !m.since_first);
        require(m.direction == modem::Direction::Sent || m.retransmission == 0);
        line_.clear();
        modem::append_message_line(line_, m);
        require(std::string_view(line_.data(), line_.size()).starts_with("client "));
    }

  private:
    fmt::memory_buffer line_;
};

class Harness {
  public:
    Harness() : modem_(modem::ModemOptions{}, storage_, random_, logger_) {
        require(modem_.add_observer(&observer_));
        modem_.start(now_);
        (void)modem_.take_host_output();
    }

    /// Runs one command line and requires exactly `expected` back (URCs it causes included).
    void command(std::string_view line, std::string_view expected) {
        std::string bytes(line);
        bytes += '\r';
        modem_.on_host_bytes(as_bytes(bytes), now_);
        serve();
        require(as_text(modem_.take_host_output()) == expected);
    }

    /// Lets `by` pass, firing every deadline at its time; then checks what was written.
    void advance(Duration by) {
        const TimePoint target = now_ + by;
        for (auto deadline = modem_.next_deadline(); deadline && *deadline <= target;
             deadline = modem_.next_deadline()) {
            now_ = std::max(now_, *deadline);
            modem_.on_timeout(now_);
            serve();
        }
        now_ = target;
        check_urcs(as_text(modem_.take_host_output()), -1);
    }

    void datagram(int client, ByteView bytes) {
        modem_.on_datagram(sockets_.at(static_cast<std::size_t>(client)), bytes, now_);
        serve();
        check_urcs(as_text(modem_.take_host_output()), client);
    }

    bool busy() const { return modem_.busy(); }

  private:
    /// Opens sockets at once; whatever the modem sends must be a well-formed CoAP message
    /// (empty ACKs and RSTs, retransmissions byte for byte) on a socket it opened.
    void serve() {
        for (auto requests = modem_.take_network_requests(); !requests.empty();
             requests = modem_.take_network_requests()) {
            for (net::Request& request : requests) {
                if (auto* open = std::get_if<net::OpenSocket>(&request)) {
                    require(open->id.client == 0 || open->id.client == 1);
                    sockets_.at(static_cast<std::size_t>(open->id.client)) = open->id;
                    modem_.on_socket_opened(open->id, net::OpenResult::Opened, now_);
                } else if (auto* send = std::get_if<net::SendDatagram>(&request)) {
                    require(send->id == sockets_.at(static_cast<std::size_t>(send->id.client)));
                    require(coap::decode(send->bytes).ok());
                }
            }
        }
    }

    ufs::MemoryStorage storage_;
    NullLogger logger_;
    CheckingObserver observer_;
    SeededRandom random_{1};
    TimePoint now_ = at_ms(0);
    std::array<net::SocketId, 2> sockets_{};
    modem::Modem modem_;
};

/// Client 0: an Observe registration GET /obs (MID 0x1234, token A1B2) and a plain GET /obs
/// (MID 0x1240, token C3D4), both CON and unanswered. Client 1: an Observe registration GET /t
/// (MID 0x2000, token E5). The seeds in fuzz/corpus/coap_client answer these.
void open_clients(Harness& h) {
    h.command("ATE0", "ATE0\r\r\nOK\r\n");
    h.command("AT+QCOAPCFG=\"trans\",0,2,4", kOk);
    h.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683", "\r\nOK\r\n\r\n+QCOAPOPEN: 0,0\r\n");
    h.command("AT+QCOAPOPEN=1,\"127.0.0.1\",5684", "\r\nOK\r\n\r\n+QCOAPOPEN: 1,0\r\n");
    h.command("AT+QCOAPHEADER=0,4660,0,2,A1B2", kOk);
    h.command("AT+QCOAPOPTION=0,0,0,6,0", kOk);
    h.command("AT+QCOAPOPTION=0,0,1,11,\"obs\"", kOk);
    h.command("AT+QCOAPSEND=0,0,1,3,0", kOk);
    h.command("AT+QCOAPHEADER=0,4672,0,2,C3D4", kOk);
    h.command("AT+QCOAPSEND=0,0,1,2,0", kOk);
    h.command("AT+QCOAPHEADER=1,8192,0,1,E5", kOk);
    h.command("AT+QCOAPOPTION=1,0,0,6,0", kOk);
    h.command("AT+QCOAPOPTION=1,0,1,11,\"t\"", kOk);
    h.command("AT+QCOAPSEND=1,0,1,3,0", kOk);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Harness h;
    open_clients(h);
    std::size_t pos = 0;
    while (pos + 2 <= size) {
        const std::size_t length = data[pos];
        const int client = data[pos + 1] & 1;
        const int steps = data[pos + 1] >> 1;
        pos += 2;
        const std::size_t take = std::min(length, size - pos);
        h.advance(Duration{std::int64_t{steps} * steps * 20});
        h.datagram(client, ByteView(data + pos, take));
        pos += take;
    }
    h.command("AT", kOk);
    h.command("AT+QCOAPCLOSE=0", "\r\nOK\r\n\r\n+QCOAPCLOSE: 0,0\r\n");
    h.command("AT+QCOAPCLOSE=1", "\r\nOK\r\n\r\n+QCOAPCLOSE: 1,0\r\n");
    require(!h.busy());
    return 0;
}
