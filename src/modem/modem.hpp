#pragma once
// The modem core: host bytes and time in, host bytes and one deadline out. Pure: no I/O, no
// clock, no randomness of its own (docs/ARCHITECTURE.md). The shell wraps it.

#include <optional>

#include "at/dispatcher.hpp"
#include "at/framer.hpp"
#include "at/responder.hpp"
#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "modem/context.hpp"
#include "modem/identity.hpp"
#include "modem/radio_state.hpp"
#include "ufs/file_store.hpp"
#include "ufs/storage.hpp"

namespace atcoap::modem {

struct ModemOptions {
    Identity identity;
};

class Modem {
  public:
    Modem(ModemOptions options, ufs::Storage& storage, Logger& logger);
    Modem(const Modem&) = delete;
    Modem& operator=(const Modem&) = delete;

    /// Writes the start-up lines `RDY` and `APP RDY` (DIALECT.md §1).
    void start(TimePoint now);

    void on_host_bytes(ByteView bytes, TimePoint now);
    void on_timeout(TimePoint now);
    std::optional<TimePoint> next_deadline() const;
    Bytes take_host_output();

    /// True while a data phase is open: at the end of input the shell waits for it to end.
    bool busy() const;

  private:
    void pump(TimePoint now);
    void handle(at::FramerEvent event);
    void run_command_line(const std::string& line);
    void warn_of_lost_lf();

    ModemOptions options_;
    Logger& logger_;
    at::Responder responder_;
    at::Dispatcher dispatcher_;
    at::Framer framer_;
    RadioState radio_;
    ufs::FileStore files_;
    ModemContext context_;
    bool lost_lf_reported_ = false;
};

}  // namespace atcoap::modem
