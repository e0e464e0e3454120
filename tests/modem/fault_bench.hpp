#pragma once
// A modem in virtual time with a network that opens every socket and keeps what is sent: the
// bench of the fault tests (the control socket's commands, docs/CONTROL.md).

#include <algorithm>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "modem/modem.hpp"
#include "support/capturing_logger.hpp"
#include "support/scripted_random.hpp"
#include "ufs/storage.hpp"

namespace atcoap::modem {

struct RecordingObserver final : Observer {
    void on_urc(std::string_view line) override { urcs.emplace_back(line); }
    void on_state(const StateChange& change) override { states.push_back(change); }
    std::vector<std::string> urcs;
    std::vector<StateChange> states;
};

class FaultBench {
  public:
    FaultBench() : modem(ModemOptions{}, storage, random, logger) {
        modem.start(now);
        modem.take_host_output();  // RDY, APP RDY
        run("ATE0\r\n");
        modem.add_observer(&observer);
    }

    /// The host sends `bytes` at the current time; returns what the host reads at once.
    std::string run(std::string_view bytes) {
        modem.on_host_bytes(as_bytes(bytes), now);
        return drain();
    }
    /// Carries out the network requests (every open succeeds) and takes the host's output.
    std::string drain() {
        for (net::Request& request : modem.take_network_requests()) {
            if (const auto* open = std::get_if<net::OpenSocket>(&request)) {
                modem.on_socket_opened(open->id, net::OpenResult::Opened, now);
                sockets.push_back(open->id);
            } else if (const auto* datagram = std::get_if<net::SendDatagram>(&request)) {
                sent.push_back(datagram->bytes);
            } else if (const auto* close = std::get_if<net::CloseSocket>(&request)) {
                closed.push_back(close->id);
            }
        }
        const Bytes out = modem.take_host_output();
        return std::string(out.begin(), out.end());
    }
    /// Moves virtual time on to `to`, calling the modem at each deadline on the way.
    std::string advance_to(TimePoint to) {
        std::string out;
        while (const auto deadline = modem.next_deadline()) {
            if (*deadline > to) {
                break;
            }
            now = std::max(now, *deadline);
            modem.on_timeout(now);
            out += drain();
        }
        now = to;
        return out;
    }
    /// AT+QCOAPOPEN of client `id` against the loopback; returns the host's output.
    std::string open_client(int id) {
        return run("AT+QCOAPOPEN=" + std::to_string(id) + ",\"127.0.0.1\",5683\r\n");
    }

    ufs::MemoryStorage storage;
    test::ScriptedRandom random;
    test::CapturingLogger logger;
    TimePoint now = at_ms(1000);
    Modem modem;
    RecordingObserver observer;
    std::vector<net::SocketId> sockets;
    std::vector<net::SocketId> closed;
    std::vector<Bytes> sent;
};

}  // namespace atcoap::modem
