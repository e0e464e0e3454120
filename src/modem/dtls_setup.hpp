#pragma once
// What AT+QCOAPOPEN needs before a DTLS handshake (note §3.3.1, docs/DIALECT.md §4): the PSK file
// `<ctx>_server.psk` from the UFS, holding `<identity>&<hexadecimal key>`, and the SSL
// context's settings, turned into the session's settings, or the result code OPEN reports.

#include <string>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "dtls/session.hpp"
#include "modem/ssl_config.hpp"
#include "ufs/file_store.hpp"

namespace atcoap::modem {

struct PskFile {
    Bytes identity;
    Bytes key;
};

/// `<identity>&<key>`: a non-empty identity, then the key as an even number of hex digits
/// (case-insensitive). The error says what is wrong, for the log.
Result<PskFile, std::string> parse_psk_file(ByteView content);

/// Why an OPEN cannot start its handshake: the +QCOAPOPEN result and one line for the log.
struct DtlsSetupError {
    int result;
    std::string why;
};

/// The session settings of SSL context `context_id`, or why OPEN fails: -1 for a missing or
/// malformed PSK file, -9 for a context whose settings cannot make a DTLS 1.2 session.
Result<dtls::ClientSettings, DtlsSetupError> dtls_settings(const SslContexts& contexts,
                                                           int context_id,
                                                           const ufs::FileStore& files);

}  // namespace atcoap::modem
