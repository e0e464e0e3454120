#pragma once
// The whole modem core against the whole test server core, over a SimLink, in virtual time.
// The simulation plays the network the modem asks for (base/network.hpp): it resolves every
// name but those ending in ".invalid" (the -5 path), opens sockets at once, carries datagrams
// over the link to the server's port (to another port they are lost), and fires every party's
// deadline at its exact time. Host output and datagrams are recorded in the order they happen.
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
#include "base/random.hpp"
#include "base/time.hpp"
#include "modem/modem.hpp"
#include "server/dtls_core.hpp"
#include "server/server_core.hpp"
#include "support/capturing_logger.hpp"
#include "support/sim_link.hpp"
#include "ufs/storage.hpp"

namespace atcoap::test {

struct SimulationOptions {
    std::uint64_t seed = 1;  // the modem, the server and the link each draw from their own
    LinkSettings to_server;
    LinkSettings to_modem;
    /// Set: the server speaks DTLS (a DtlsCore in front of the ServerCore), else plain CoAP.
    std::optional<server::DtlsOptions> dtls;
    std::uint16_t server_port = 5683;
    modem::ModemOptions modem;
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
    server::ServerCore& server() { return server_; }
    server::DtlsCore* dtls() { return dtls_.get(); }
    SimLink& link() { return link_; }
    CapturingLogger& modem_log() { return modem_log_; }
    CapturingLogger& server_log() { return server_log_; }

  private:
    struct Socket {
        net::SocketId id;
        std::uint16_t port = 0;  // the modem's side
        bool reaches_server = false;
    };

    void settle();
    /// Takes what every party produced and puts it where it goes; whether anything moved.
    bool drain();
    bool serve_modem_requests();
    void open(const net::OpenSocket& request);
    bool collect_host_output();
    bool move_server_output();
    bool deliver_arrivals();
    void fire_deadlines();
    std::optional<TimePoint> server_deadline() const;
    std::optional<TimePoint> next_event() const;
    void step_to(TimePoint when);
    void record(Record::Kind kind, int client, Bytes bytes);
    const Socket* socket_at_port(std::uint16_t port) const;

    SimulationOptions options_;
    SeededRandom modem_random_;
    SeededRandom server_random_;
    SeededRandom link_random_;
    CapturingLogger modem_log_{LogLevel::Info};
    CapturingLogger server_log_{LogLevel::Info};
    ufs::MemoryStorage storage_;
    SimLink link_;
    modem::Modem modem_;
    server::ServerCore server_;
    std::unique_ptr<server::DtlsCore> dtls_;
    std::map<int, Socket> sockets_;  // open sockets by client
    std::uint16_t next_port_ = kFirstModemPort;
    TimePoint now_ = at_ms(0);
    std::string output_;
    std::string unread_;
    std::vector<Record> records_;
};

}  // namespace atcoap::test
