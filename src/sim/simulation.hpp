#pragma once
// The whole modem core against the whole test server, over a SimLink, in virtual time. The
// server listens at once on two ports: plain CoAP (a ServerCore) on `server_port` and, when
// `dtls` is set, DTLS-PSK (a DtlsCore in front of a ServerCore of its own) on `dtls_port`.
// The simulation plays the network the modem asks for (base/network.hpp): it resolves every
// name but those ending in ".invalid" (the -5 path), opens sockets at once, carries datagrams
// over the link to the server port they were opened to (to another port they are lost), and
// fires every party's deadline at its exact time. Host output and datagrams are recorded in the
// order they happen.
//
// Tests drive it with type()/advance()/run_until(); a driver that interleaves another party in
// virtual time (the script runner of the builtin target) asks next_event() and calls step_to()
// or advance_to() itself, and settle() after it changed a party from outside.
//
// The link's Forward direction is modem to server, Backward server to modem.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
#include "modem/modem.hpp"
#include "server/dtls_core.hpp"
#include "server/server_core.hpp"
#include "sim/sim_link.hpp"
#include "ufs/storage.hpp"

namespace atcoap::sim {

struct SimulationOptions {
    std::uint64_t seed = 1;  // the modem, the server and the link each draw from their own
    LinkSettings to_server;
    LinkSettings to_modem;
    /// Plain CoAP is served here.
    std::uint16_t server_port = 5683;
    /// Set: DTLS-PSK is also served, on dtls_port (its ServerCore draws from a generator of its
    /// own, seeded as the plain one's).
    std::optional<server::DtlsOptions> dtls;
    std::uint16_t dtls_port = 5684;
    modem::ModemOptions modem;
    /// Where the modem's and the servers' lines go (nullptr: nowhere).
    Logger* modem_log = nullptr;
    Logger* server_log = nullptr;
    /// Keep every host output byte (output()) and every datagram (records()) since the start,
    /// for tests that check a whole run. A driver that only takes output as it comes (the
    /// script runner's builtin target, up to 24 h of virtual time) turns it off, so that a long
    /// run holds nothing but what is unread.
    bool keep_history = true;
};

/// One thing that happened, in order: host output, or a datagram put on the link.
struct Record {
    enum class Kind : std::uint8_t { HostOutput, ModemSent, ServerSent };
    Kind kind;
    TimePoint at;
    int client = -1;  // the modem's CoAP client of a datagram
    Bytes bytes;
};

class Simulation {
  public:
    /// The modem's address as the server sees it; each socket opened gets the next port.
    static constexpr std::string_view kModemAddress = "10.0.0.2";
    static constexpr std::uint16_t kFirstModemPort = 40000;

    explicit Simulation(SimulationOptions options = {});
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    /// Host bytes to the modem at the current time; everything they cause at this time happens.
    void type(std::string_view bytes);
    /// `line` and CR LF.
    void command(std::string_view line);
    /// Moves virtual time forward by `by`, every event on the way at its exact time.
    void advance(Duration by);
    /// advance() to a point in time (none before now).
    void advance_to(TimePoint when);
    /// The earliest time something is due (a deadline of a party, an arrival on the link), or
    /// nullopt when nothing is.
    std::optional<TimePoint> next_event() const;
    /// Moves to `when` (at the earliest now) and runs what is due then, with all it causes.
    void step_to(TimePoint when);
    /// Carries everything the parties produced at the current time where it goes: after a call
    /// into a party from outside (the modem's fault API from a control step).
    void settle();
    /// Runs event by event until `done` holds or `limit` of virtual time passed; whether it held.
    bool run_until(const std::function<bool()>& done, Duration limit);
    /// Runs until the host output not yet taken contains `text`, for at most `limit`.
    bool run_until_output(std::string_view text, Duration limit);

    /// Host output since the last take.
    std::string take_output();
    /// All host output since the start.
    const std::string& output() const { return output_; }
    const std::vector<Record>& records() const { return records_; }
    TimePoint now() const { return now_; }

    modem::Modem& modem() { return modem_; }
    /// The plain CoAP server.
    server::ServerCore& server() { return server_; }
    /// The DTLS listener, or nullptr without options.dtls.
    server::DtlsCore* dtls() { return dtls_.get(); }
    SimLink& link() { return link_; }

  private:
    struct Socket {
        net::SocketId id;
        std::uint16_t port = 0;         // the modem's side
        std::uint16_t server_port = 0;  // the server port it reaches, or 0: none
    };

    /// Takes what every party produced and puts it where it goes; whether anything moved.
    bool drain();
    bool serve_modem_requests();
    void open(const net::OpenSocket& request);
    bool collect_host_output();
    bool move_server_output();
    bool deliver_arrivals();
    void fire_deadlines();
    std::optional<TimePoint> server_deadline() const;
    bool served(std::uint16_t port) const;
    void record(Record::Kind kind, int client, Bytes bytes);
    const Socket* socket_at_port(std::uint16_t port) const;

    SimulationOptions options_;
    SeededRandom modem_random_;
    SeededRandom server_random_;
    SeededRandom link_random_;
    SeededRandom dtls_random_;
    NullLogger quiet_;
    ufs::MemoryStorage storage_;
    SimLink link_;
    modem::Modem modem_;
    server::ServerCore server_;
    // The DTLS side: a core of its own, since a DtlsCore sends all its core's output through
    // the sessions.
    std::unique_ptr<server::ServerCore> dtls_server_;
    std::unique_ptr<server::DtlsCore> dtls_;
    std::map<int, Socket> sockets_;  // open sockets by client
    std::uint16_t next_port_ = kFirstModemPort;
    TimePoint now_ = at_ms(0);
    std::string output_;
    std::string unread_;
    std::vector<Record> records_;
};

}  // namespace atcoap::sim
