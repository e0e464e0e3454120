#pragma once
// One-line reasons for the ways a DTLS session ends (Session::failure()).

#include <string>
#include <string_view>

#include "base/time.hpp"

namespace atcoap::dtls {

/// "bad_record_mac" for 20 (RFC 5246 §7.2, RFC 4279 §2 for 115); "unknown" otherwise.
std::string_view alert_name(int description);

/// "alert 20 bad_record_mac".
std::string describe_alert(int description);

/// "10 s", or "1500 ms" when not a whole number of seconds.
std::string describe_duration(Duration duration);

/// A reason for an mbedTLS error code that ends a session. `alert` is the description byte
/// of the alert last received, used for MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE.
std::string describe_error(int mbedtls_error, int alert);

}  // namespace atcoap::dtls
