#pragma once
// The command line of `atcoap` (CLI11): which port, where the file system lives, logging.

#include <cstdint>
#include <optional>
#include <string>

#include "cli/netem_options.hpp"
#include "io/port.hpp"

namespace atcoap::cli {

struct ModemCommandLine {
    io::PortOptions port;
    std::string ufs_dir;  // empty: the default under the XDG data home
    std::string imei;
    std::string log_level = "warn";
    std::string log_file;                        // empty: standard error
    std::string log_format = "text";             // text or json
    std::string pcap;                            // a pcap trace of the datagrams; empty: none
    std::string record;                          // --record FILE: the session as a script
    std::string with_server = "127.0.0.1:5683";  // used when --with-server is given
    bool allow_remote = false;                   // --tcp on an address other than loopback
    std::string control;                         // --control PATH; empty: the default path
    NetemCommandLine netem;
    std::optional<std::uint64_t> seed;  // every random choice of the modem; else drawn, logged
};

}  // namespace atcoap::cli
