#pragma once
// SSLKEYLOGFILE, as browsers and curl honour it: when the variable names a file, the DTLS
// session keys are appended there in the NSS key log format, so that Wireshark can decrypt a
// capture of the modem's traffic (Preferences > Protocols > TLS > (Pre)-Master-Secret log).

#include <cstdio>
#include <memory>
#include <string>

#include "base/log.hpp"
#include "dtls/session.hpp"

namespace atcoap::io {

class KeyLogFile final : public dtls::KeyLog {
  public:
    /// The file named by SSLKEYLOGFILE, opened for appending; nullptr when the variable is
    /// unset or empty, or the file cannot be opened (which `log` is told).
    static std::unique_ptr<KeyLogFile> from_environment(Logger& log);

    ~KeyLogFile() override;
    KeyLogFile(const KeyLogFile&) = delete;
    KeyLogFile& operator=(const KeyLogFile&) = delete;

    /// Appends the line and a newline, flushed at once: a capture may be read while the
    /// modem still runs.
    void write_line(std::string_view line) override;

  private:
    explicit KeyLogFile(std::FILE* file) : file_(file) {}
    std::FILE* file_;
};

}  // namespace atcoap::io
