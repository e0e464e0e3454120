#pragma once
// One device of a fleet (docs/FLEET.md, "Devices"): a modem core with its own file system in
// memory, its own seeded randomness and identity, its sockets on the loop's io::UdpNetwork, and
// one script::Runner per iteration on its AT port, in this process: no shell, no pseudo-terminal.
// The runner's input goes to the modem and the modem's output to the runner in pump(), one side
// after the other, so neither is ever called from inside the other.

#include <asio/io_context.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/log.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
#include "io/udp_network.hpp"
#include "modem/modem.hpp"
#include "script/runner.hpp"
#include "ufs/storage.hpp"

namespace atcoap::fleet {

/// A network impairment a device's modem gets before it boots (docs/FAULTS.md): --netem.
struct DeviceNetem {
    modem::NetemDirection direction = modem::NetemDirection::Up;
    std::optional<int> client;  // nullopt: every client
    netem::Spec spec;
};

/// Who device d is: what IdentitySource derives, and the script's variables for it.
struct DeviceSetup {
    std::uint64_t device = 0;
    std::string imei = "864508030012428";
    std::uint64_t seed = 1;
    std::map<std::string, std::string, std::less<>> variables;  // DEVICE, IMEI, HOST ...
    std::optional<asio::ip::address> source;  // --source: the local address its sockets bind
    /// Its impairments, shared by the devices that have the same; null: none.
    std::shared_ptr<const std::vector<DeviceNetem>> netem;
    /// --rebind-every applies to it (the first round(F * N) devices of --rebind-fraction F).
    bool rebinds = false;
};

/// What a device reports to the loop that runs it.
class DeviceHost {
  public:
    virtual ~DeviceHost() = default;
    /// The device's next_deadline() may have changed.
    virtual void deadline_changed(std::size_t slot) = 0;
    /// An iteration ended with `verdict` (Passed, Failed or ScriptError).
    virtual void iteration_ended(std::size_t slot, script::Verdict verdict, TimePoint now) = 0;
};

/// What every device of one loop shares.
struct DeviceShared {
    asio::io_context& context;
    const script::Script& script;
    Logger& log;
    DeviceHost& host;
    std::shared_ptr<std::uint8_t[]> receive_buffer;  // io::UdpNetwork::make_buffer()
};

/// One pump() exchanges at most this many rounds of bytes between the runner and the modem;
/// past it the rest waits for the loop's next turn (a script that never waits cannot starve
/// the other devices).
inline constexpr int kMaxPumpRounds = 64;

class Device final : public io::NetworkEvents {
  public:
    Device(const DeviceShared& shared, std::size_t slot, DeviceSetup setup);
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;
    ~Device() override;

    /// The modem starts (its RDY and APP RDY are consumed, as a host waiting for them would).
    void boot(TimePoint now);
    /// A fresh run of the script begins; the modem is kept from the previous iteration.
    void begin(TimePoint now);
    /// An iteration under way is ended unfinished (the fleet's duration is over).
    void cut(TimePoint now);
    /// The device shuts down: DTLS sessions say goodbye, sockets close. Nothing runs after.
    void stop(TimePoint now);
    /// The modem restarts (clients dropped, settings lost, files kept), as after a failure.
    void reboot(TimePoint now);

    /// NAT rebinding: its open clients' sockets move to new local ports, unknown to the modem
    /// (io::UdpNetwork::rebind); how many moved.
    std::size_t rebind() { return network_.rebind_all(); }

    /// Time has reached next_deadline() (or any time).
    void on_timer(TimePoint now);
    std::optional<TimePoint> next_deadline() const;

    bool in_iteration() const { return runner_ != nullptr; }
    bool booted() const { return booted_ && !stopped_; }
    modem::Modem& modem() { return modem_; }
    const DeviceSetup& setup() const { return setup_; }

    // io::NetworkEvents
    void on_socket_opened(net::SocketId socket, net::OpenResult result) override;
    void on_datagram(net::SocketId socket, ByteView datagram) override;

  private:
    void pump(TimePoint now);
    void drain_network();
    void check_verdict(TimePoint now);

    const DeviceShared& shared_;
    std::size_t slot_;
    DeviceSetup setup_;
    ufs::MemoryStorage storage_;
    SeededRandom random_;
    modem::Modem modem_;
    io::UdpNetwork network_;
    std::unique_ptr<script::Runner> runner_;
    bool pump_again_ = false;  // kMaxPumpRounds was reached: more next turn, at pump_at_
    TimePoint pump_at_{};
    bool booted_ = false;
    bool stopped_ = false;
};

}  // namespace atcoap::fleet
