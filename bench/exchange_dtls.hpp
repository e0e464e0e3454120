#pragma once
// The DTLS measurements of the exchange benchmark, against one coap-server-openssl serving
// DTLS with a pre-shared key: (a) atcoap driven through its AT port, with the note's §5.2 PSK
// file; (b) libcoap's own DTLS client library, in the bench_libcoap_dtls helper process. Each
// times several handshakes, then sequential exchanges on one session.

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "exchange_runs.hpp"

namespace atcoap::bench {

/// The note's §5.2 key: the PSK file holds `<identity>&<key in hex>`; libcoap's tools take
/// the same key as text (313233343446473839 is "12344FG89").
inline constexpr const char* kPskIdentity = "864508030012428";
inline constexpr const char* kPskKeyText = "12344FG89";
inline constexpr const char* kPskFileName = "0_server.psk";
inline constexpr const char* kPskFile = "864508030012428&313233343446473839";

/// atcoap over DTLS: each handshake's time (AT+QCOAPOPEN written to +QCOAPOPEN: 0,0 read), the
/// exchange rate on client 0, and the memory idle after start and configuration, with six DTLS
/// sessions open after one exchange each, and after the timed run.
struct AtcoapDtlsRun {
    std::vector<double> handshake_ms;
    Rate rate;
    Memory idle;
    Memory six_sessions;
    Memory after_run;
};

/// libcoap over DTLS: each handshake's time (session created to COAP_EVENT_DTLS_CONNECTED), the
/// exchange rate (its own loop: no separate host), and the helper's peak resident size.
struct LibcoapDtlsRun {
    std::vector<double> handshake_ms;
    Rate rate;
    long hwm_kib = 0;
};

Result<AtcoapDtlsRun, std::string> run_atcoap_dtls(const RunOptions& options,
                                                   std::uint16_t dtls_port);
Result<LibcoapDtlsRun, std::string> run_libcoap_dtls(const RunOptions& options,
                                                     std::uint16_t dtls_port);

/// The peak resident size (KiB, VmHWM) of `client` (coap-client-openssl) observing the
/// resource over DTLS with the same key for a second: one session.
Result<long, std::string> libcoap_dtls_client_peak(const std::string& client,
                                                   std::uint16_t dtls_port);

}  // namespace atcoap::bench
