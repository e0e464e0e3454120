#pragma once
// The modem core: host bytes and time in, host bytes and one deadline out. Pure: no I/O, no
// clock, no randomness of its own (docs/ARCHITECTURE.md). The shell wraps it.

#include <memory>
#include <optional>

#include "at/dispatcher.hpp"
#include "at/framer.hpp"
#include "at/responder.hpp"
#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/network.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
#include "modem/coap_clients.hpp"
#include "modem/identity.hpp"
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
    void deliver(net::SocketId socket, ByteView datagram, TimePoint now);

    ModemOptions options_;
    Logger& logger_;
    at::Responder responder_;
    at::Dispatcher dispatcher_;
    at::Framer framer_;
    RadioState radio_;
    Observers observers_;
    NetworkImpairment netem_;
    TimePoint now_{};  // of the last call: take_network_requests() is told no time
    ufs::FileStore files_;
    CoapClients coap_;
    SslContexts ssl_;
    std::unique_ptr<at::DataPhase> phase_;
    bool lost_lf_reported_ = false;
    std::string log_line_;
};

}  // namespace atcoap::modem
