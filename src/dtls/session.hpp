#pragma once
// One DTLS 1.2 PSK session (RFC 6347, RFC 4279) on mbedTLS, client or server side, without I/O:
// datagrams and the time come in through the calls, records and a deadline go out. mbedTLS
// reads and writes through memory buffers, its timer callbacks answer from the `now` of the
// last call, and its random numbers come from the injected Random, so a test with SeededRandom
// runs the same handshake every time, in virtual time (same datagrams at the same times; only
// the gmt_unix_time in the hello randoms follows the wall clock inside mbedTLS, see tls.cpp).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/time.hpp"

namespace atcoap::dtls {

namespace detail {
struct Tls;  // the mbedTLS objects and the memory link they call back into (tls.hpp)
}  // namespace detail

// IANA numbers (RFC 6655, RFC 5487)
inline constexpr std::uint16_t kPskAes128Ccm8 = 0xC0A8;  // RFC 7252's mandatory suite
inline constexpr std::uint16_t kPskAes128CbcSha256 = 0x00AE;
inline constexpr std::uint16_t kPskAes128GcmSha256 = 0x00A8;

/// The three suites above, CCM_8 first (RFC 7252 §9.1.3.1 makes it mandatory).
std::span<const std::uint16_t> default_cipher_suites();

/// Receives NSS key log lines ("CLIENT_RANDOM <64 hex> <96 hex>", no newline) when set.
class KeyLog {
  public:
    virtual ~KeyLog() = default;
    virtual void write_line(std::string_view line) = 0;
};

struct ClientSettings {
    Bytes identity;                            // PSK identity
    Bytes key;                                 // PSK (binary)
    std::vector<std::uint16_t> cipher_suites;  // empty: default_cipher_suites()
    Duration handshake_limit{300'000};         // AT+QSSLCFG "negotiatetime": give up after this
};

/// The longest identity hint a server sends. RFC 4279 §2 allows 2^16-1 bytes; a hint is a short
/// label (libcoap's server sends "CoAP"), and this bound keeps the ServerKeyExchange small
/// enough to share the ServerHello's datagram.
inline constexpr std::size_t kMaxIdentityHintBytes = 255;
/// The longest pre-shared key mbedTLS takes (its MBEDTLS_PSK_MAX_LEN, checked where it is used).
inline constexpr std::size_t kMaxPskBytes = 32;

struct ServerSettings {
    // PSK for an identity the client names; nullopt refuses the handshake.
    std::function<std::optional<Bytes>(ByteView identity)> key_for_identity;
    std::string identity_hint;                 // empty: none sent; kMaxIdentityHintBytes at most
    std::vector<std::uint16_t> cipher_suites;  // empty: default_cipher_suites()
};

enum class State { Handshaking, Established, Closed, Failed };

enum class SendError { NotEstablished, TooLong, Internal };

std::string_view state_name(State state);

/// The HelloVerifyRequest cookie secret of one server (RFC 6347 §4.2.1), shared by all its
/// sessions. A cookie is an HMAC-SHA-256 of the client's transport address under a key drawn
/// from the server's Random. mbedTLS's own cookie module stamps cookies with the wall clock,
/// which the core must not read, so these cookies carry no time and never expire.
class CookieKeeper {
  public:
    explicit CookieKeeper(Random& random);

    static constexpr std::size_t kCookieSize = 16;
    /// The cookie the server hands to the client at `peer_id`.
    Bytes cookie_for(ByteView peer_id) const;
    /// Whether `cookie` is the one issued to `peer_id` (compared in constant time).
    bool check(ByteView cookie, ByteView peer_id) const;

  private:
    std::uint8_t secret_[32];
};

class Session {
  public:
    // Client: call start() to send the ClientHello.
    static std::unique_ptr<Session> client(const ClientSettings& settings, Random& random,
                                           Logger& logger, KeyLog* key_log = nullptr);
    // Server side of one peer; `peer_id` (e.g. "127.0.0.1:40000") keys the HelloVerifyRequest
    // cookie (RFC 6347 §4.2.1). `cookies` is shared by all sessions of one server.
    static std::unique_ptr<Session> server(const ServerSettings& settings, CookieKeeper& cookies,
                                           ByteView peer_id, Random& random, Logger& logger,
                                           KeyLog* key_log = nullptr);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void start(TimePoint now);                                  // client: begin the handshake
    void on_datagram(ByteView datagram, TimePoint now);         // one UDP datagram from the peer
    void on_timeout(TimePoint now);                             // call at/after next_deadline()
    std::optional<TimePoint> next_deadline() const;             // handshake retransmission or limit
    Status<SendError> send(ByteView plaintext, TimePoint now);  // only when Established
    void close(TimePoint now);                                  // close_notify, then Closed
    std::vector<Bytes> take_datagrams();  // records to send, one datagram each
    std::vector<Bytes> take_plaintext();  // application data received, one per record
    State state() const { return state_; }
    /// One-line reason once Failed or Closed by the peer ("handshake timed out after 10 s",
    /// "alert 20 bad_record_mac", "peer sent close_notify", "no common cipher suite", ...).
    /// A close_notify before the handshake ends is a failure: "peer sent close_notify during
    /// the handshake". Empty after a local close().
    std::string_view failure() const { return failure_; }
    std::uint16_t cipher_suite() const { return cipher_suite_; }  // negotiated, once Established

    /// The largest plaintext send() accepts in one record.
    std::size_t max_plaintext() const;

  private:
    enum class Role { Client, Server };

    Session(Role role, Random& random, Logger& logger, KeyLog* key_log);

    void drive_handshake();
    void on_handshake_done();
    void read_records();
    void restart_handshake();
    void keep_retransmitting();
    bool past_handshake_limit() const;
    void enter(State next, std::string reason);
    void fail_from(int mbedtls_error, bool handshaking);
    void log(LogLevel level, std::string_view text) const;

    Role role_;
    Logger& logger_;
    std::string log_name_;
    std::unique_ptr<detail::Tls> tls_;
    State state_ = State::Handshaking;
    std::string failure_;
    std::vector<Bytes> plaintext_;
    std::uint16_t cipher_suite_ = 0;
    std::optional<TimePoint> handshake_start_;
    Duration handshake_limit_{0};  // zero: only mbedTLS's own give-up
};

}  // namespace atcoap::dtls
