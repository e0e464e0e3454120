// The host side of the exchange benchmark: what firmware on a microcontroller does with the
// module's UART. AtHost drives atcoap with the note's commands; the floor's host writes the
// same SEND line to the relay. Both read through one LineReader, so the host's own cost is the
// same on both sides.

#include <charconv>

#include "exchange.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace atcoap::bench {

namespace {

using test::ChildProcess;

constexpr int kClients = 6;  // the module's clientIDs 0-5 (the note's §3.3.1)

/// The exchange line: CON (0), GET (1), the slots of bitmask 1 (Uri-Path), no payload (0).
constexpr std::string_view kSendLine = "AT+QCOAPSEND=0,0,1,1,0\r\n";

std::unique_ptr<ChildProcess> start(const std::string& program,
                                    const std::vector<std::string>& arguments) {
    std::string error;
    auto child = ChildProcess::start(program, arguments, error, test::ErrorOutput::Inherit);
    if (child == nullptr) {
        throw Failure(error);
    }
    return child;
}

void finish(ChildProcess& child, std::string_view name) {
    child.in().close();  // both end by themselves at the end of their input (docs/RUNNING.md)
    const auto ended = child.wait_exit(kAnswerBound);
    if (!ended || !ended->exited_zero()) {
        throw Failure(std::string(name) + " did not exit 0 at the end of its input");
    }
}

/// Lines (without their CR LF) from a child's output, read as they are needed.
class LineReader {
  public:
    explicit LineReader(ChildProcess& child) : child_(child) {}

    /// Writes `bytes` to the child.
    void write(std::string_view bytes) {
        if (!child_.in().write_all(bytes, kAnswerBound)) {
            throw Failure("the child's input is closed at " + std::string(bytes));
        }
    }

    /// The next line that is not empty, valid until the next call.
    const std::string& next() {
        test::Channel& out = child_.out();
        for (;;) {
            if (!out.wait_for("\r\n", kAnswerBound)) {
                throw Failure("no answer within the bound; unread: '" + out.unread() + "'");
            }
            const std::size_t end = out.unread().find("\r\n");
            line_.assign(out.unread(), 0, end);
            out.consume(end + 2);
            // An echoed command line ends in its own CR before the response's CR LF (V.250).
            while (line_.ends_with('\r')) {
                line_.pop_back();
            }
            if (!line_.empty()) {
                return line_;
            }
        }
    }

    /// Skips exactly `count` bytes (a payload) and the CR LF after them.
    void skip_payload(std::size_t count) {
        test::Channel& out = child_.out();
        if (!out.wait_for_size(count + 2, kAnswerBound) ||
            out.unread().compare(count, 2, "\r\n") != 0) {
            throw Failure("no payload of " + std::to_string(count) + " bytes");
        }
        out.consume(count + 2);
    }

  private:
    ChildProcess& child_;
    std::string line_;
};

Failure unexpected(std::string_view after, std::string_view line) {
    return Failure(std::string(after) + ": unexpected line '" + std::string(line) + "'");
}

/// The <length> that ends a +QCOAPRECV line (docs/AT_COAP.md): the payload's byte count.
std::size_t payload_length(std::string_view line) {
    std::size_t length = 0;
    const char* last = line.data() + line.size();
    const auto parsed = std::from_chars(line.data() + line.rfind(',') + 1, last, length);
    if (parsed.ec != std::errc() || parsed.ptr != last) {
        throw unexpected("payload length", line);
    }
    return length;
}

class AtHost {
  public:
    explicit AtHost(ChildProcess& modem) : lines_(modem) {}

    /// Waits for the start-up lines (RDY, APP RDY), then turns echo off (ATE0), as a host does.
    void start() {
        while (lines_.next() != "APP RDY") {
        }
        command("ATE0");
    }

    /// Writes `line` and CR LF; returns at the final OK, throws at anything else.
    void command(const std::string& line) {
        lines_.write(line + "\r\n");
        // ATE0's own line is still echoed (echo ends after it); anything else is an error.
        for (std::string_view answer = lines_.next(); answer != "OK"; answer = lines_.next()) {
            if (answer != line) {
                throw unexpected(line, answer);
            }
        }
    }

    /// `command`, then the URC `urc` that ends it.
    void command_then(const std::string& line, const std::string& urc) {
        command(line);
        if (const std::string& answer = lines_.next(); answer != urc) {
            throw unexpected(line, answer);
        }
    }

    void open(int id, std::uint16_t port) {
        const std::string client = std::to_string(id);
        command_then("AT+QCOAPOPEN=" + client + ",\"127.0.0.1\"," + std::to_string(port),
                     "+QCOAPOPEN: " + client + ",0");
    }

    void close(int id) {
        const std::string client = std::to_string(id);
        command_then("AT+QCOAPCLOSE=" + client, "+QCOAPCLOSE: " + client + ",0");
    }

    /// The header (message ID 1, then +1 per message; the shared token) and the Uri-Path
    /// option in slot 0, set once per client.
    void prepare(int id) {
        const std::string client = std::to_string(id);
        command("AT+QCOAPHEADER=" + client + ",1,0,4," + std::string(kTokenHex));
        command("AT+QCOAPOPTION=" + client + ",0,0,11,\"" + std::string(kResource) + "\"");
    }

    /// One exchange on client `id`: the SEND line, then OK, +QCOAPACK (acknowledged) and a
    /// +QCOAPRECV of 2.05 with its payload. Client 0 carries the timed loop: its line is a
    /// constant, built by nobody per exchange.
    void exchange(int id) {
        if (id == 0) {
            lines_.write(kSendLine);
        } else {
            lines_.write("AT+QCOAPSEND=" + std::to_string(id) + ",0,1,1,0\r\n");
        }
        constexpr std::string_view kRecv = "+QCOAPRECV: ";
        bool ok = false;
        bool acked = false;
        for (;;) {
            const std::string& line = lines_.next();
            if (line == "OK") {
                ok = true;
            } else if (line.starts_with("+QCOAPACK: ") && line.ends_with(",0")) {
                acked = true;
            } else if (line.starts_with(kRecv) && line[kRecv.size()] == '0' + id &&
                       line.find(",2.05,") != std::string::npos) {
                lines_.skip_payload(payload_length(line));
                if (!ok || !acked) {
                    throw Failure("+QCOAPRECV before OK and +QCOAPACK");
                }
                return;
            } else {
                throw unexpected("AT+QCOAPSEND", line);
            }
        }
    }

  private:
    LineReader lines_;
};

/// DTLS on SSL context 0 and every client on it (the note's §5.2 order: the SSL context's
/// switch, then each client's). The PSK file is already in the UFS directory.
void configure_dtls(AtHost& host) {
    host.command("AT+QSSLCFG=\"dtls\",0,1");
    for (int id = 0; id < kClients; ++id) {
        host.command("AT+QCOAPCFG=\"dtls\"," + std::to_string(id) + ",1,0");
    }
}

/// Client 0 opened and closed `count` times; each open timed from its line written to its URC
/// read, as a host sees it.
void time_handshakes(AtHost& host, const Setup& setup, const Json& base) {
    for (std::size_t i = 0; i < setup.handshakes; ++i) {
        const auto start = Clock::now();
        host.open(0, setup.port);
        const std::chrono::duration<double, std::milli> took = Clock::now() - start;
        print_row(base, {{"client", "atcoap"}, {"measure", "handshake"}, {"ms", took.count()}});
        host.close(0);
    }
}

void print_memory(const ChildProcess& modem, const Json& base, std::string_view state) {
    Json fields{{"client", "atcoap"}, {"measure", "memory"}, {"state", state}};
    fields.update(read_memory(modem.pid()));
    print_row(base, fields);
}

}  // namespace

void run_atcoap(const Setup& setup, const Json& base) {
    const test::TempDir ufs;
    if (setup.transport == Transport::dtls && !ufs.write_file(kPskFileName, kPskFile)) {
        throw Failure("cannot write the PSK file into a temporary UFS directory");
    }
    auto modem = start(setup.atcoap, {"--log-level", "off", "--ufs", ufs.path().string()});
    AtHost host(*modem);
    host.start();
    if (setup.transport == Transport::dtls) {
        configure_dtls(host);
    }
    print_memory(*modem, base, "idle");
    if (setup.transport == Transport::dtls) {
        time_handshakes(host, setup, base);
    }
    // Every client open, prepared and through one exchange; then clients 1-5 are closed
    // again, so the timed run has the modem as one client leaves it.
    for (int id = 0; id < kClients; ++id) {
        host.open(id, setup.port);
        host.prepare(id);
        host.exchange(id);
    }
    print_memory(*modem, base, "six");
    for (int id = 1; id < kClients; ++id) {
        host.close(id);
    }
    const Rate rate = timed(setup.warmup, setup.count, modem->pid(), [&host] { host.exchange(0); });
    Json fields{{"client", "atcoap"}, {"measure", "rate"}};
    fields.update(rate_fields(rate));
    print_row(base, fields);
    print_memory(*modem, base, "after");
    finish(*modem, "atcoap");
}

void run_floor(const Setup& setup, const Json& base) {
    auto relay = start(setup.self, {"relay", std::to_string(setup.port)});
    LineReader lines(*relay);
    const Rate rate = timed(setup.warmup, setup.count, relay->pid(), [&lines] {
        lines.write(kSendLine);
        lines.next();
    });
    finish(*relay, "the relay");
    Json fields{{"client", "floor"}, {"measure", "rate"}};
    fields.update(rate_fields(rate));
    print_row(base, fields);
}

}  // namespace atcoap::bench
