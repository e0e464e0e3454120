#pragma once
// The modem core: host bytes and time in, host bytes and one deadline out. Pure: no I/O, no
// clock, no randomness of its own (docs/ARCHITECTURE.md). The shell wraps it.

#include <array>
#include <memory>
#include <optional>

#include "at/framer.hpp"
#include "at/responder.hpp"
#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/network.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
#include "modem/coap_clients.hpp"
#include "modem/host_latency.hpp"
#include "modem/identity.hpp"
#include "modem/modem_commands.hpp"
#include "modem/network_impairment.hpp"
#include "modem/observer.hpp"
#include "modem/radio_state.hpp"
#include "modem/ssl_config.hpp"
#include "ufs/file_store.hpp"
#include "ufs/storage.hpp"

namespace atcoap::modem {

struct ModemOptions {
    Identity identity;
    /// Where DTLS session keys go (NSS key log format) when the shell was asked to keep them.
    dtls::KeyLog* key_log = nullptr;
    /// Seeds the network impairments' own generators (modem/network_impairment.hpp); the shell
    /// passes its --seed, so one number repeats the whole run.
    std::uint64_t impairment_seed = 0;
};

class Modem {
  public:
    Modem(ModemOptions options, ufs::Storage& storage, Random& random, Logger& logger);
    Modem(const Modem&) = delete;
    Modem& operator=(const Modem&) = delete;

    /// Writes the start-up lines `RDY` and `APP RDY` (docs/DIALECT.md §1).
    void start(TimePoint now);

    void on_host_bytes(ByteView bytes, TimePoint now);
    /// A new host is on the AT port (a TCP connection, a terminal opened again): the previous
    /// host's unread input, half-typed line, open data phase (nothing is sent or stored) and
    /// untaken output are dropped (docs/DIALECT.md §1, "The port").
    void on_host_attached(TimePoint now);
    /// atcoap exits: the DTLS sessions that are up send close_notify (take_network_requests()
    /// has them); the modem is not used afterwards.
    void on_exit(TimePoint now);
    void on_timeout(TimePoint now);
    std::optional<TimePoint> next_deadline() const;
    Bytes take_host_output();

    // The network side (base/network.hpp): requests out, results and datagrams in.
    std::vector<net::Request> take_network_requests();
    void on_socket_opened(net::SocketId socket, net::OpenResult result, TimePoint now);
    void on_datagram(net::SocketId socket, ByteView datagram, TimePoint now);

    /// True while a data phase is open, a socket is opening, a CON awaits its ACK or an
    /// impairment holds a datagram: at the end of input the shell waits for these to end.
    bool busy() const;

    /// Whoever watches the modem besides the host (modem/observer.hpp). add_observer() is false
    /// when Observers::kMaxObservers already watch.
    bool add_observer(Observer* observer) { return observers_.add(observer); }
    void remove_observer(Observer* observer) { observers_.remove(observer); }

    // The network and the test harness (docs/CONTROL.md, in modem_control.cpp): faults on
    // demand, each as a real module meets them (docs/DIALECT.md §8). A refusal changes nothing.
    /// The network takes the radio away or gives it back; AT+CFUN stays as the host set it.
    void set_network_radio(bool on, TimePoint now);
    /// The network deactivates context `cid` (`+QIURC: "pdpdeact",<cid>`), or activates it
    /// again (silently); refused when it already is so, or, to restore, with the radio off.
    Status<std::string> set_context_by_network(int cid, bool active, TimePoint now);
    /// What AT+CSQ reports: <rssi> 0-31 or 99, <ber> 0-7 or 99.
    Status<std::string> set_signal(int rssi, int ber);
    /// Writes `line` to the host as a URC, held back like the module's own.
    Status<std::string> inject_urc(std::string_view line, TimePoint now);
    /// The module restarts: clients dropped, settings lost, files kept, RDY and APP RDY again.
    void reboot(TimePoint now);
    /// Delays what the modem writes to the host by `fixed` plus a uniform draw in [0, jitter];
    /// 0 and 0 turn it off.
    Status<std::string> set_latency(Duration fixed, Duration jitter, TimePoint now);

    const RadioState& radio() const { return radio_; }
    const CoapClients& clients() const { return coap_; }
    const HostLatency& latency() const { return latency_; }
    /// The network impairment of one direction (up: what the modem sends), for one client or,
    /// without one, for all (docs/FAULTS.md); nullopt clears it. Refused: a client outside 0-5.
    Status<std::string> set_netem(NetemDirection direction, std::optional<int> client,
                                  std::optional<netem::Spec> spec) {
        return netem_.set(direction, client, std::move(spec));
    }
    /// The impairments in force and what each stage did (nullopt: never set there).
    const NetworkImpairment& netem() const { return netem_; }

  private:
    void pump(TimePoint now);
    void handle(const at::FramerEvent& event, TimePoint now);
    void run_command_line(const std::string& line, TimePoint now);
    // The data phase a command opened (docs/DIALECT.md §3, §5): the modem writes its `> ` or
    // CONNECT, switches the framer, feeds it, and ends it with the rest of its line.
    void open_phase(TimePoint now);
    void end_phase(const at::FramerEvent& end, TimePoint now);
    void warn_of_lost_lf();
    // The radio or a context changed: the clients, the observers and AT+CEREG's URC hear of it.
    void on_radio_change();
    void report_registration();
    void deliver(net::SocketId socket, ByteView datagram, TimePoint now);

    ModemOptions options_;
    Random& random_;
    Logger& logger_;
    // The time of the call being served: what the modem writes then leaves at (or after) it, and
    // the time of take_network_requests(), which is told none.
    TimePoint now_{};
    HostLatency latency_;
    at::Responder responder_;
    at::Framer framer_;
    RadioState radio_;
    Observers observers_;
    NetworkImpairment netem_;
    ufs::FileStore files_;
    CoapClients coap_;
    SslContexts ssl_;
    // The command table is the process's (modem_commands.hpp); the modem keeps its line state
    // and the parts the table's handlers work with.
    ModemParts parts_;
    at::Dispatcher<ModemParts> dispatcher_;
    std::unique_ptr<at::DataPhase> phase_;
    bool lost_lf_reported_ = false;
    // What the observers and AT+CEREG last heard: changes are reported against these.
    bool radio_reported_ = true;
    std::array<bool, kMaxContextId> active_reported_{};
    std::string log_line_;
};

}  // namespace atcoap::modem
