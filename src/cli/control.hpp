#pragma once
// `atcoap --control [PATH]`: the control socket wired to the shell and the modem
// (docs/CONTROL.md). The listener (io::ControlServer) gives each client a protocol session
// (control::Session) over one control::ModemControl; events go to every client, a command's
// changes are drained by the shell at once, and quit ends the program once replies are out.

#include <memory>
#include <string>

#include "base/log.hpp"
#include "base/result.hpp"
#include "control/modem_control.hpp"
#include "io/control_server.hpp"
#include "io/shell.hpp"
#include "modem/modem.hpp"

namespace atcoap::cli {

/// Where `--control` without a PATH listens and `atcoap ctl` connects by default:
/// $ATCOAP_CONTROL, else $XDG_RUNTIME_DIR/atcoap-control.sock, else
/// /tmp/atcoap-control-<uid>.sock.
std::string default_control_path();

class ControlSocket {
  public:
    static Result<std::unique_ptr<ControlSocket>, std::string> start(io::Shell& shell,
                                                                     modem::Modem& modem,
                                                                     const std::string& path,
                                                                     Logger& log);

  private:
    ControlSocket(io::Shell& shell, modem::Modem& modem);

    io::Shell& shell_;
    std::unique_ptr<io::ControlServer> server_;
    control::ModemControl control_;
};

}  // namespace atcoap::cli
