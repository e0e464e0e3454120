#pragma once
// The DTLS side of the test server without I/O (docs/ARCHITECTURE.md): one dtls::Session per peer
// address and port in front of a ServerCore. Datagrams and time come in, records and one
// deadline go out; the transport (dtls_server.hpp) only moves them.
//
// - A datagram from an unknown peer opens a session only when it is a ClientHello; anything
//   else from a stranger is dropped without an answer (RFC 6347 §4.2.1: the server keeps no
//   state for a peer before the cookie exchange, and answers nothing but a hello).
// - Plaintext from an established session reaches the core as that peer's datagram; what the
//   core sends to a peer goes out through the peer's session, or nowhere when it has none.
// - A session that fails or closes is dropped at once, so the peer's next ClientHello starts
//   a fresh one. A session that hears nothing for `idle_limit` is dropped too (a handshake that
//   stalls, a client that went away without close_notify).
// - At most `max_sessions` sessions: a new ClientHello beyond it evicts the session heard from
//   least recently, a handshaking one before an established one, so a flood of hellos from
//   forged ports cannot grow memory and cannot easily push out a working client.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "base/result.hpp"
#include "base/time.hpp"
#include "dtls/session.hpp"
#include "server/endpoint.hpp"
#include "server/server_core.hpp"

namespace atcoap::server {

/// One pre-shared key the server accepts (RFC 4279 §2).
struct PskEntry {
    std::string identity;
    Bytes key;
};

/// "IDENTITY:HEXKEY": the identity is the text before the last ':' (so it may hold ':'), the
/// key 1 to dtls::kMaxPskBytes bytes in even-length hex of either case. The error is one line for
/// the user.
Result<PskEntry, std::string> parse_psk(std::string_view text);

struct DtlsOptions {
    std::vector<PskEntry> keys;  // an identity not listed gets alert 115 unknown_psk_identity
    std::string hint;            // PSK identity hint (RFC 4279 §2); empty: none sent
    std::size_t max_sessions = 64;
    Duration idle_limit{60'000};  // a session without a datagram for this long is dropped
};

/// "TLS-PSK-WITH-AES-128-CCM-8" for 0xC0A8, mbedTLS's names for the default suites;
/// "suite 0x1234" for another.
std::string cipher_suite_name(std::uint16_t suite);

class DtlsCore {
  public:
    /// `core` serves the plaintext; `random` feeds the cookie secret and every session.
    DtlsCore(const DtlsOptions& options, ServerCore& core, Random& random, Logger& log);
    ~DtlsCore();
    DtlsCore(const DtlsCore&) = delete;
    DtlsCore& operator=(const DtlsCore&) = delete;

    void on_datagram(const Endpoint& peer, ByteView datagram, TimePoint now);
    void on_timeout(TimePoint now);
    std::optional<TimePoint> next_deadline() const;
    std::vector<Datagram> take_datagrams();
    /// Sends close_notify to every established peer and drops every session.
    void close_all(TimePoint now);

    std::size_t session_count() const { return peers_.size(); }
    /// The state of the session with `peer`, or nullopt when there is none.
    std::optional<dtls::State> session_state(const Endpoint& peer) const;

  private:
    // Forwards a session's own lines at Debug: the listener logs one line per handshake.
    class QuietLogger final : public Logger {
      public:
        explicit QuietLogger(Logger& to) : to_(to) {}
        void log(LogLevel, std::string_view line) override { to_.log(LogLevel::Debug, line); }

      private:
        Logger& to_;
    };

    struct Peer {
        std::unique_ptr<dtls::Session> session;
        TimePoint last_heard;
        bool announced = false;  // the established line is logged for this handshake
    };
    using Peers = std::map<Endpoint, Peer>;

    Peers::iterator admit(const Endpoint& peer, TimePoint now);
    void evict_one(TimePoint now);
    void pass_plaintext(const Endpoint& peer, Peer& entry, TimePoint now);
    void route_core_output(TimePoint now);
    void collect_and_prune();
    bool report(const Endpoint& peer, Peer& entry);
    void drop_idle(TimePoint now);
    Peers::iterator drop(Peers::iterator which, TimePoint now, std::string_view why);
    void log_session(LogLevel level, const Endpoint& peer, std::string_view what);

    ServerCore& core_;
    Random& random_;
    Logger& log_;
    QuietLogger session_log_;
    dtls::ServerSettings settings_;
    dtls::CookieKeeper cookies_;
    std::size_t max_sessions_;
    Duration idle_limit_;
    Peers peers_;
    std::vector<Datagram> outbox_;
};

}  // namespace atcoap::server
