// `atcoap script --target HOST:PORT` (docs/SCRIPTS.md): the modem core in real time, its sockets
// real, in an io::Shell whose AT port is in this process: the Runner is the host.

#include <algorithm>
#include <asio/post.hpp>
#include <chrono>

#include "control/modem_control.hpp"
#include "io/clock.hpp"
#include "io/host_core.hpp"
#include "io/shell.hpp"
#include "io/stderr_logger.hpp"
#include "modem/modem.hpp"
#include "script/run.hpp"
#include "script/targets/realtime.hpp"
#include "ufs/storage.hpp"

namespace atcoap::script {
namespace {

/// The shell's AT port, with the Runner on the host's end. Both directions go through the loop
/// (asio::post), so neither side is ever called from inside the other's call: the Runner's
/// control step calls the modem, whose output the shell then writes here.
class RunnerPort final : public io::Port {
  public:
    explicit RunnerPort(asio::io_context& context) : context_(context) {}
    ~RunnerPort() override { life_.reset(); }

    /// Where the modem's output goes (the Runner).
    void set_host(std::function<void(ByteView)> to_host) { to_host_ = std::move(to_host); }
    /// The host's bytes, to the modem.
    void send(Bytes bytes) {
        post([this, bytes = std::move(bytes)] { events_->on_port_bytes(bytes); });
    }

    Status<std::string> open(io::PortEvents& events) override {
        events_ = &events;
        return Done{};
    }
    void write(Bytes bytes) override {
        post([this, bytes = std::move(bytes)] {
            if (to_host_) {
                to_host_(bytes);
            }
        });
    }
    bool drained() const override { return true; }
    std::size_t queued_bytes() const override { return 0; }
    void pause_input() override {}
    void resume_input() override {}
    void close() override { open_ = false; }
    std::string name() const override { return "script"; }

  private:
    template <class Handler>
    void post(Handler handler) {
        asio::post(context_, [this, handler = std::move(handler), life = std::weak_ptr(life_)] {
            if (!life.expired() && open_ && events_ != nullptr) {
                handler();
            }
        });
    }

    asio::io_context& context_;
    io::PortEvents* events_ = nullptr;
    std::function<void(ByteView)> to_host_;
    bool open_ = true;
    std::shared_ptr<char> life_ = std::make_shared<char>();
};

control::Timestamp wall_clock() {
    const auto since = std::chrono::system_clock::now().time_since_epoch();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since).count();
    return {micros / 1'000'000, micros % 1'000'000};
}

/// An IMEI is 15 decimal digits (3GPP TS 23.003 §6.2.1).
bool is_imei(const std::string& text) {
    return text.size() == 15 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

RunResult run_live(const Script& script, Variables variables, const OnStep& on_step) {
    const auto began = std::chrono::steady_clock::now();
    // The modem's warnings and errors (a refused handshake, a server gone) on standard error,
    // beside the step lines; its info and debug lines would drown them.
    io::StderrLogger log("atcoap: ", LogLevel::Warn);
    modem::ModemOptions options;
    // -D IMEI=... makes the modem report that IMEI, so ${IMEI} and AT+CGSN agree.
    if (const auto given = variables.values.find("IMEI");
        given != variables.values.end() && is_imei(given->second)) {
        options.identity.imei = given->second;
    }
    variables.values.try_emplace("IMEI", options.identity.imei);
    const std::uint64_t seed = io::random_seed();
    options.impairment_seed = seed;
    SeededRandom random(seed);
    ufs::MemoryStorage storage;
    modem::Modem modem(options, storage, random, log);
    io::HostCoreOf<modem::Modem> host(modem);

    RunnerPort* port = nullptr;
    io::Shell shell(
        host,
        [&port](asio::io_context& context, Logger&) {
            auto made = std::make_unique<RunnerPort>(context);
            port = made.get();
            return made;
        },
        log);
    control::ModemControl control(modem, control::ControlHooks{
                                             .now = [] { return io::monotonic_now(); },
                                             .wall = wall_clock,
                                             .listening = [] { return false; },
                                             .event = [](const std::string&) {},
                                             .changed = [&shell] { shell.core_changed(); },
                                             .quit = [] {},
                                         });
    // The script finds a modem that has started: RDY and APP RDY are behind it.
    modem.start(io::monotonic_now());
    (void)modem.take_host_output();
    if (auto opened = shell.open(); !opened) {
        return target_failed(opened.error());
    }
    RealTimeRun run(shell.context(), script, std::move(variables), &control, on_step);
    port->set_host([&run](ByteView bytes) { run.on_output(bytes); });
    RunResult result = run.run([port](Bytes bytes) { port->send(std::move(bytes)); }, began);
    // The modem's goodbyes (a DTLS close_notify) leave before its sockets close.
    shell.stop(0);
    return result;
}

}  // namespace atcoap::script
