// atcoap: a virtual Quectel BG95/BG77/BG600L module for CoAP, driven over an AT port.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>

#include "base/host_port.hpp"
#include "cli/control.hpp"
#include "cli/ctl.hpp"
#include "cli/fleet_command.hpp"
#include "cli/logging.hpp"
#include "cli/options.hpp"
#include "cli/record.hpp"
#include "cli/script_command.hpp"
#include "cli/side_server.hpp"
#include "cli/wire_trace.hpp"
#include "control/ctl_request.hpp"
#include "dtls/session.hpp"
#include "io/clock.hpp"
#include "io/disk_storage.hpp"
#include "io/host_core.hpp"
#include "io/key_log_file.hpp"
#include "io/pcap_trace.hpp"
#include "io/shell.hpp"
#include "modem/modem.hpp"
#include "server/udp_server.hpp"

namespace atcoap::cli {
namespace {

constexpr const char* kExamples = R"(Examples:
  atcoap                          AT port on this terminal (raw mode; Ctrl+Z and ESC reach it)
  atcoap --pty /tmp/modem         a pseudo-terminal, linked at /tmp/modem, for firmware to open
  atcoap --tcp 127.0.0.1:7000     one host at a time over TCP
  atcoap --serial /dev/ttyUSB0 --baud 115200
  printf 'ATI\r\n' | atcoap       a scripted session on standard input
  atcoap server                   a CoAP test server on 127.0.0.1:5683 (see: atcoap server --help)
  atcoap --with-server            the modem and, beside it, that server; prints how to try it
  atcoap --control /tmp/ctl.sock  a control socket for a test harness (see: atcoap ctl --help)
  atcoap ctl radio off            the network takes the radio away (docs/CONTROL.md)
  atcoap script check.at          an AT script against the modem and the test server, in
                                  virtual time (see: atcoap script --help, docs/SCRIPTS.md)
  atcoap --record s.at            the session, as a script `atcoap script s.at` replays
  atcoap fleet --modems 1000 --script s.at --target 127.0.0.1:5683
                                  1000 modems, each running s.at (docs/FLEET.md)
)";

/// An IMEI is 15 decimal digits (3GPP TS 23.003 §6.2.1); anything else would reach the host
/// through AT+CGSN, a CR or LF in it as a forged line.
bool is_imei(const std::string& text) {
    return text.size() == 15 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Reads `--tcp [HOST:]PORT` into the port options; false when it is not of that form.
bool parse_tcp(const std::string& text, io::PortOptions& port) {
    const auto where = parse_host_port(text, port.tcp_host);
    if (!where.ok()) {
        return false;
    }
    port.kind = io::PortKind::Tcp;
    port.tcp_host = where->host;
    port.tcp_port = where->port;
    return true;
}

void add_modem_options(CLI::App& app, ModemCommandLine& line, std::string& tcp) {
    app.add_option("--pty", line.port.pty_link,
                   "Serve the AT port on a new pseudo-terminal; with LINK, also as a symlink")
        ->expected(0, 1)
        ->type_name("[LINK]");
    app.add_option("--tcp", tcp, "Serve the AT port over TCP (host 127.0.0.1 unless given)")
        ->type_name("[HOST:]PORT");
    app.add_flag("--allow-remote", line.allow_remote,
                 "Let --tcp listen on an address other than loopback: anyone who reaches it "
                 "drives the modem");
    app.add_option("--serial", line.port.serial_device, "Serve the AT port on a serial device")
        ->type_name("DEV");
    app.add_option("--baud", line.port.serial_baud, "Serial line speed")->capture_default_str();
    app.add_option("--ufs", line.ufs_dir,
                   "Directory of the module's file system (default: $XDG_DATA_HOME/atcoap/ufs)")
        ->type_name("DIR");
    app.add_option("--imei", line.imei, "IMEI reported by AT+CGSN: 15 decimal digits")
        ->type_name("N");
    app.add_option("--log-level", line.log_level, "trace, debug, info, warn, error or off")
        ->capture_default_str();
    app.add_option("--log", line.log_file, "Write the log to FILE instead of standard error")
        ->type_name("FILE");
    app.add_option("--log-format", line.log_format,
                   "text, or json: one JSON object per line (docs/TRACES.md)")
        ->capture_default_str();
    app.add_option("--pcap", line.pcap,
                   "Write every datagram the modem sends and receives to FILE, a pcap trace "
                   "for Wireshark (docs/TRACES.md)")
        ->type_name("FILE");
    app.add_option("--record", line.record,
                   "Write the session as an AT script to FILE when atcoap exits "
                   "(docs/SCRIPTS.md, \"Recording a session\")")
        ->type_name("FILE");
    app.add_option("--with-server", line.with_server,
                   "Also run the built-in CoAP test server in this process, and print on standard "
                   "error the lines that replay the note's example 5.1 against it")
        ->expected(0, 1)
        ->type_name("[HOST:PORT]")
        ->capture_default_str();
    app.add_option("--control", line.control,
                   "Listen for a test harness on a Unix socket (mode 0600; default: "
                   "$ATCOAP_CONTROL, $XDG_RUNTIME_DIR/atcoap-control.sock or "
                   "/tmp/atcoap-control-UID.sock); see docs/CONTROL.md")
        ->expected(0, 1)
        ->type_name("[PATH]");
    add_netem_options(app, line.netem);
    app.add_option("--seed", line.seed,
                   "Seed every random choice of the modem (tokens, message IDs, impairments) to "
                   "repeat a run; without it the seed drawn is logged at info level")
        ->type_name("N");
}

int run_modem(const ModemCommandLine& line, bool with_server, bool with_control) {
    const auto format = parse_log_format(line.log_format);
    if (!format) {
        std::fprintf(stderr, "atcoap: --log-format wants text or json, got '%s'\n",
                     line.log_format.c_str());
        return 2;
    }
    const auto netem = plan_netem(line.netem);
    if (!netem) {
        std::fprintf(stderr, "atcoap: %s\n", netem.error().c_str());
        return 2;
    }
    auto logger = SpdLogger::create(line.log_level, line.log_file, *format);
    if (!logger) {
        std::fprintf(stderr, "atcoap: %s\n", logger.error().c_str());
        return 2;
    }
    std::unique_ptr<io::PcapTrace> trace;
    if (!line.pcap.empty()) {
        auto opened = io::PcapTrace::open(line.pcap, **logger);
        if (!opened) {
            std::fprintf(stderr, "atcoap: --pcap: %s\n", opened.error().c_str());
            return 2;
        }
        trace = std::move(*opened);
    }
    std::unique_ptr<RecordFile> record_file;
    if (!line.record.empty()) {
        auto created = RecordFile::create(line.record);
        if (!created) {
            std::fprintf(stderr, "atcoap: %s\n", created.error().c_str());
            return 2;
        }
        record_file = std::move(*created);
    }
    const std::filesystem::path dir =
        line.ufs_dir.empty() ? io::default_ufs_dir() : std::filesystem::path(line.ufs_dir);
    auto storage = io::DiskStorage::open(dir);
    if (!storage) {
        std::fprintf(stderr, "atcoap: file system at %s: %s\n", dir.c_str(),
                     storage.error().detail.c_str());
        return 1;
    }
    modem::ModemOptions options;
    if (!line.imei.empty()) {
        options.identity.imei = line.imei;
    }
    const auto key_log = io::KeyLogFile::from_environment(**logger);
    options.key_log = key_log.get();
    const std::uint64_t seed = choose_seed(line.seed, **logger);
    options.impairment_seed = seed;
    SeededRandom random(seed);
    modem::Modem modem(options, **storage, random, **logger);
    for (const NetemSetting& setting : *netem) {
        (void)modem.set_netem(setting.direction, setting.client, setting.spec);  // checked above
    }
    io::HostCoreOf<modem::Modem> host(modem);
    script::Recorder recorder(**logger);
    RecordingHost recording(host, recorder);
    io::Shell shell(record_file ? static_cast<io::HostCore&>(recording) : host, line.port,
                    **logger);
    std::optional<WireTrace> wire_trace;
    if (trace) {
        wire_trace.emplace(*trace, shell.network());
        modem.add_observer(&*wire_trace);
    }
    std::unique_ptr<SideServer> side;
    if (with_server) {
        auto started = SideServer::start(shell.context(), line.with_server, **logger, seed);
        if (!started) {
            std::fprintf(stderr, "atcoap: %s\n", started.error().c_str());
            return 1;
        }
        side = std::move(*started);
        std::fputs(replay_guide(side->endpoint()).c_str(), stderr);
    }
    std::unique_ptr<ControlSocket> control;
    if (with_control) {
        auto started = ControlSocket::start(
            shell, modem, line.control.empty() ? default_control_path() : line.control, **logger);
        if (!started) {
            std::fprintf(stderr, "atcoap: %s\n", started.error().c_str());
            return 2;
        }
        control = std::move(*started);
    }
    modem.start(io::monotonic_now());
    const int code = shell.run();
    if (record_file && !record_file->write(recorder.script())) {
        return code == 0 ? 1 : code;
    }
    return code;
}

}  // namespace
}  // namespace atcoap::cli

int main(int argc, char** argv) {
    using namespace atcoap::cli;
    CLI::App app{"atcoap: a virtual Quectel BG95/BG77/BG600L module speaking the CoAP AT commands"};
    app.set_version_flag("--version", std::string("atcoap ") + ATCOAP_VERSION);
    app.footer(kExamples);
    ModemCommandLine line;
    std::string tcp;
    add_modem_options(app, line, tcp);
    atcoap::server::ServerOptions server;
    CLI::App* server_command = app.add_subcommand("server", "Run the built-in CoAP test server");
    server_command->add_option("--listen", server.listen, "Address to serve on")
        ->type_name("HOST:PORT")
        ->capture_default_str();
    server_command->add_option("--loss", server.loss,
                               "Fraction (0 to 1) of outgoing datagrams to drop");
    server_command->add_option(
        "--seed", server.seed,
        "Seed of the loss, impairment and message-ID draws, for repeatable runs");
    server_command
        ->add_option("--netem", server.netem,
                     "Impair the network both ways (tc netem clauses, docs/FAULTS.md)")
        ->type_name("SPEC");
    server_command->add_option("--netem-up", server.netem_up, "Impair what the server receives")
        ->type_name("SPEC");
    server_command->add_option("--netem-down", server.netem_down, "Impair what the server sends")
        ->type_name("SPEC");
    server_command->add_option("--dtls", server.dtls, "Also serve DTLS 1.2 (PSK) here")
        ->type_name("HOST:PORT");
    server_command
        ->add_option("--psk", server.psks,
                     "A PSK the DTLS listener accepts, repeatable; IDENTITY may hold "
                     "':' (the key starts after the last one), HEXKEY is 1 to " +
                         std::to_string(atcoap::dtls::kMaxPskBytes) + " bytes")
        ->type_name("IDENTITY:HEXKEY");
    server_command
        ->add_option("--psk-file", server.psk_file,
                     "PSKs from FILE, one IDENTITY:HEXKEY per line ('#' comments), so that keys "
                     "stay out of the process list")
        ->type_name("FILE");
    server_command->add_option("--hint", server.hint, "PSK identity hint to send (default: none)")
        ->type_name("TEXT");
    server_command
        ->add_option("--pcap", server.pcap,
                     "Write every datagram both listeners receive and send to FILE, a pcap trace "
                     "for Wireshark (docs/TRACES.md)")
        ->type_name("FILE");
    CtlCommandLine ctl;
    CLI::App* ctl_command = app.add_subcommand(
        "ctl", "Send one command to a running atcoap's control socket (docs/CONTROL.md)");
    ctl_command->prefix_command();
    ctl_command->add_option("--socket", ctl.socket, "The control socket (default: as --control)")
        ->type_name("PATH");
    ctl_command->add_option("--timeout", ctl.timeout, "Seconds to wait for the reply")
        ->capture_default_str();
    ctl_command->footer(std::string(atcoap::control::ctl_usage()));
    ScriptCommandLine script;
    CLI::App* script_command = add_script_command(app, script);
    FleetCommandLine fleet;
    CLI::App* fleet_command = add_fleet_command(app, fleet);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // --help and --version exit 0; every usage error exits 2, as the other errors of the
        // command line do (docs/RUNNING.md), not with CLI11's own numbers.
        return app.exit(error) == 0 ? 0 : 2;
    }

    if (server_command->parsed()) {
        return atcoap::server::run_server(server);
    }
    if (script_command->parsed()) {
        return run_script_command(script);
    }
    if (fleet_command->parsed()) {
        return run_fleet_command(fleet);
    }
    if (ctl_command->parsed()) {
        ctl.words = ctl_command->remaining();
        return run_ctl(ctl);
    }
    if (app.count("--pty") > 0) {
        line.port.kind = atcoap::io::PortKind::Pty;
    }
    if (!tcp.empty() && !parse_tcp(tcp, line.port)) {
        std::fprintf(stderr, "atcoap: --tcp wants [HOST:]PORT, got '%s'\n", tcp.c_str());
        return 2;
    }
    // An AT port is a shell to the module: its files, its keys, its network. Only loopback
    // unless the user says otherwise.
    if (!tcp.empty() && !line.allow_remote && !atcoap::is_loopback_host(line.port.tcp_host)) {
        std::fprintf(stderr,
                     "atcoap: --tcp %s is not a loopback address; add --allow-remote to let "
                     "other machines drive the modem\n",
                     line.port.tcp_host.c_str());
        return 2;
    }
    if (!line.imei.empty() && !is_imei(line.imei)) {
        std::fprintf(stderr, "atcoap: --imei wants 15 decimal digits\n");
        return 2;
    }
    if (!line.port.serial_device.empty()) {
        line.port.kind = atcoap::io::PortKind::Serial;
    }
    const int chosen = static_cast<int>(app.count("--pty") > 0) + static_cast<int>(!tcp.empty()) +
                       static_cast<int>(!line.port.serial_device.empty());
    if (chosen > 1) {
        std::fprintf(stderr, "atcoap: choose one of --pty, --tcp and --serial\n");
        return 2;
    }
    return run_modem(line, app.count("--with-server") > 0, app.count("--control") > 0);
}
