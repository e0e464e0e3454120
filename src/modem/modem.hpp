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
    void on_timeout(TimePoint now);
    std::optional<TimePoint> next_deadline() const;
    Bytes take_host_output();

    // The network side (base/network.hpp): requests out, results and datagrams in.
    std::vector<net::Request> take_network_requests();
    void on_socket_opened(net::SocketId socket, net::OpenResult result, TimePoint now);
    void on_datagram(net::SocketId socket, ByteView datagram, TimePoint now);

    /// True while a data phase is open, a socket is opening or a CON awaits its ACK: at the end
    /// of input the shell waits for these to end.
    bool busy() const;

    /// Whoever watches the modem besides the host (modem/observer.hpp). add_observer() is false
    /// when Observers::kMaxObservers already watch.
    bool add_observer(Observer* observer) { return observers_.add(observer); }
    void remove_observer(Observer* observer) { observers_.remove(observer); }

  private:
    void pump(TimePoint now);
    void handle(const at::FramerEvent& event, TimePoint now);
    void run_command_line(const std::string& line, TimePoint now);
    // The data phase a command opened (docs/DIALECT.md §3, §5): the modem writes its `> ` or
    // CONNECT, switches the framer, feeds it, and ends it with the rest of its line.
    void open_phase(TimePoint now);
    void end_phase(const at::FramerEvent& end, TimePoint now);
    void warn_of_lost_lf();

    ModemOptions options_;
    Logger& logger_;
    at::Responder responder_;
    at::Dispatcher dispatcher_;
    at::Framer framer_;
    RadioState radio_;
    Observers observers_;
    ufs::FileStore files_;
    CoapClients coap_;
    SslContexts ssl_;
    std::unique_ptr<at::DataPhase> phase_;
    bool lost_lf_reported_ = false;
    std::string log_line_;
};

}  // namespace atcoap::modem
