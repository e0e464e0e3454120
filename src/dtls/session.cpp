// The session state machine: Handshaking -> Established -> Closed, or Failed from either.
// mbedTLS does the protocol; this file feeds it datagrams and time, and turns its return codes
// into states and one-line reasons.

#include "dtls/session.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "dtls/mbedtls_compat.hpp"
#include "dtls/reasons.hpp"
#include "dtls/tls.hpp"

namespace atcoap::dtls {

std::span<const std::uint16_t> default_cipher_suites() {
    static constexpr std::array<std::uint16_t, 3> kSuites{kPskAes128Ccm8, kPskAes128CbcSha256,
                                                          kPskAes128GcmSha256};
    return kSuites;
}

std::string_view state_name(State state) {
    switch (state) {
        case State::Handshaking:
            return "handshaking";
        case State::Established:
            return "established";
        case State::Closed:
            return "closed";
        case State::Failed:
            return "failed";
    }
    return "unknown";
}

Session::Session(Role role, Random& random, Logger& logger, KeyLog* key_log)
    : role_(role),
      logger_(logger),
      log_name_(role == Role::Client ? "dtls client" : "dtls server"),
      tls_(std::make_unique<detail::Tls>(random, key_log)) {}

Session::~Session() = default;

std::unique_ptr<Session> Session::client(const ClientSettings& settings, Random& random,
                                         Logger& logger, KeyLog* key_log) {
    std::unique_ptr<Session> session(new Session(Role::Client, random, logger, key_log));
    session->handshake_limit_ = settings.handshake_limit;
    const std::string error = configure_client(*session->tls_, settings);
    if (!error.empty()) {
        session->enter(State::Failed, error);
    }
    return session;
}

std::unique_ptr<Session> Session::server(const ServerSettings& settings, CookieKeeper& cookies,
                                         ByteView peer_id, Random& random, Logger& logger,
                                         KeyLog* key_log) {
    std::unique_ptr<Session> session(new Session(Role::Server, random, logger, key_log));
    session->log_name_ += " ";
    session->log_name_ += as_text(peer_id);
    session->tls_->peer_id.assign(peer_id.begin(), peer_id.end());
    const std::string error = configure_server(*session->tls_, settings, cookies);
    if (!error.empty()) {
        session->enter(State::Failed, error);
    }
    return session;
}

void Session::start(TimePoint now) {
    tls_->link.now = now;
    if (role_ != Role::Client || state_ != State::Handshaking || handshake_start_) {
        return;
    }
    handshake_start_ = now;
    log(LogLevel::Debug, "handshake started");
    drive_handshake();
}

void Session::on_datagram(ByteView datagram, TimePoint now) {
    tls_->link.now = now;
    // An empty datagram would read as end of file to mbedTLS; it carries no record anyway.
    if (datagram.empty() || state_ == State::Closed || state_ == State::Failed) {
        return;
    }
    if (state_ == State::Established) {
        tls_->link.inbox.emplace_back(datagram.begin(), datagram.end());
        read_records();
        return;
    }
    if (role_ == Role::Client && !handshake_start_) {
        return;  // nothing asked for yet
    }
    if (past_handshake_limit()) {
        on_timeout(now);
        return;
    }
    if (!handshake_start_) {
        handshake_start_ = now;  // a server's handshake begins with the first ClientHello
    }
    tls_->link.inbox.emplace_back(datagram.begin(), datagram.end());
    drive_handshake();
}

void Session::on_timeout(TimePoint now) {
    tls_->link.now = now;
    if (state_ != State::Handshaking || !handshake_start_) {
        return;
    }
    if (past_handshake_limit()) {
        enter(State::Failed, "handshake timed out after " + describe_duration(handshake_limit_));
        return;
    }
    keep_retransmitting();
    drive_handshake();
}

std::optional<TimePoint> Session::next_deadline() const {
    if (state_ != State::Handshaking || !handshake_start_) {
        return std::nullopt;
    }
    std::optional<TimePoint> deadline = tls_->link.timer_final;
    if (handshake_limit_ > Duration::zero()) {
        const TimePoint limit = *handshake_start_ + handshake_limit_;
        deadline = deadline ? std::min(*deadline, limit) : limit;
    }
    return deadline;
}

std::size_t Session::max_plaintext() const {
    const int payload = mbedtls_ssl_get_max_out_record_payload(&tls_->ssl);
    return payload > 0 ? static_cast<std::size_t>(payload) : 0;
}

Status<SendError> Session::send(ByteView plaintext, TimePoint now) {
    tls_->link.now = now;
    if (state_ != State::Established) {
        return fail(SendError::NotEstablished);
    }
    if (plaintext.size() > max_plaintext()) {
        return fail(SendError::TooLong);
    }
    const int written = mbedtls_ssl_write(&tls_->ssl, plaintext.data(), plaintext.size());
    if (written < 0 || static_cast<std::size_t>(written) != plaintext.size()) {
        log(LogLevel::Error, "record not written: " + describe_error(written, -1));
        return fail(SendError::Internal);
    }
    return Done{};
}

void Session::close(TimePoint now) {
    tls_->link.now = now;
    if (state_ == State::Established) {
        // RFC 5246 §7.2.1: announce the end so the peer need not wait for a timeout.
        mbedtls_ssl_close_notify(&tls_->ssl);
    }
    if (state_ == State::Handshaking || state_ == State::Established) {
        enter(State::Closed, {});
    }
}

std::vector<Bytes> Session::take_datagrams() {
    return std::exchange(tls_->link.outbox, {});
}

std::vector<Bytes> Session::take_plaintext() {
    return std::exchange(plaintext_, {});
}

void Session::drive_handshake() {
    for (;;) {
        const int result = run_handshake(*tls_);
        if (result == 0) {
            on_handshake_done();
            return;
        }
        if (result == MBEDTLS_ERR_SSL_WANT_READ || result == MBEDTLS_ERR_SSL_WANT_WRITE) {
            return;
        }
        if (result != MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
            fail_from(result, true);
            return;
        }
        // RFC 6347 §4.2.1: the HelloVerifyRequest went out and the server keeps no state
        // until the ClientHello comes back with the cookie.
        log(LogLevel::Debug, "HelloVerifyRequest sent");
        restart_handshake();
        if (tls_->link.inbox.empty() || state_ != State::Handshaking) {
            return;
        }
    }
}

void Session::restart_handshake() {
    const int reset = mbedtls_ssl_session_reset(&tls_->ssl);
    const int id = reset != 0 ? reset
                              : mbedtls_ssl_set_client_transport_id(
                                    &tls_->ssl, tls_->peer_id.data(), tls_->peer_id.size());
    if (id != 0) {
        fail_from(id, true);
    }
}

void Session::on_handshake_done() {
    const char* name = mbedtls_ssl_get_ciphersuite(&tls_->ssl);
    cipher_suite_ =
        name != nullptr ? static_cast<std::uint16_t>(mbedtls_ssl_get_ciphersuite_id(name)) : 0;
    const auto took = tls_->link.now - handshake_start_.value_or(tls_->link.now);
    enter(State::Established, {});
    log(LogLevel::Info, std::string("handshake done in ") + std::to_string(took.count()) + " ms, " +
                            (name != nullptr ? name : "?"));
    read_records();  // records may have come with the last flight
}

void Session::read_records() {
    mbedtls_ssl_context& ssl = tls_->ssl;
    while (state_ == State::Established) {
        // A zero-length read makes mbedTLS decrypt the next record without copying it, so
        // the plaintext gets a buffer of its exact size.
        unsigned char none = 0;
        const int result = mbedtls_ssl_read(&ssl, &none, 0);
        if (result == MBEDTLS_ERR_SSL_WANT_READ || result == MBEDTLS_ERR_SSL_WANT_WRITE) {
            return;
        }
        if (result == MBEDTLS_ERR_SSL_CLIENT_RECONNECT) {
            // RFC 6347 §4.2.8: a new ClientHello from the same address and port; mbedTLS has
            // reset the context and kept the hello.
            log(LogLevel::Info, "peer reconnected: new handshake");
            state_ = State::Handshaking;
            cipher_suite_ = 0;
            handshake_start_ = tls_->link.now;
            drive_handshake();
            return;
        }
        if (result < 0) {
            fail_from(result, false);
            return;
        }
        const std::size_t available = mbedtls_ssl_get_bytes_avail(&ssl);
        if (available == 0) {
            if (tls_->link.inbox.empty() && mbedtls_ssl_check_pending(&ssl) == 0) {
                return;
            }
            continue;
        }
        Bytes plaintext(available);
        const int copied = mbedtls_ssl_read(&ssl, plaintext.data(), plaintext.size());
        if (copied > 0) {
            plaintext.resize(static_cast<std::size_t>(copied));
            plaintext_.push_back(std::move(plaintext));
        }
    }
}

// mbedTLS gives up once its timer has reached the 60 s cap and expired again, about 123 s in.
// The client's limit is AT+QSSLCFG "negotiatetime" (300 s by default), so until then the
// client keeps retransmitting every 60 s: pulling the timer back below the cap lets mbedTLS's
// doubling land on the cap once more instead of ending the handshake.
void Session::keep_retransmitting() {
    if (role_ == Role::Client) {
        compat::hold_retransmission_below_cap(tls_->ssl);
    }
}

bool Session::past_handshake_limit() const {
    return handshake_limit_ > Duration::zero() && handshake_start_ &&
           tls_->link.now >= *handshake_start_ + handshake_limit_;
}

void Session::fail_from(int mbedtls_error, bool handshaking) {
    if (mbedtls_error == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY && !handshaking) {
        enter(State::Closed, "peer sent close_notify");
        return;
    }
    std::string reason;
    if (mbedtls_error == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
        reason = "peer sent close_notify during the handshake";
    } else if (mbedtls_error == MBEDTLS_ERR_SSL_TIMEOUT) {
        const TimePoint start = handshake_start_.value_or(tls_->link.now);
        reason = "handshake timed out after " + describe_duration(tls_->link.now - start);
    } else {
        reason = describe_error(mbedtls_error, compat::last_alert_received(tls_->ssl));
    }
    if (!tls_->refused_identity.empty()) {
        log(LogLevel::Warn, "no key for identity \"" + tls_->refused_identity + "\"");
    }
    enter(State::Failed, std::move(reason));
}

void Session::enter(State next, std::string reason) {
    if (next == State::Closed || next == State::Failed) {
        tls_->link.inbox.clear();  // records after the end are ignored
        tls_->link.timer_final.reset();
    }
    std::string line = "state ";
    line += state_name(next);
    if (!reason.empty()) {
        line += ": " + reason;
    }
    log(next == State::Failed ? LogLevel::Warn : LogLevel::Info, line);
    state_ = next;
    failure_ = std::move(reason);
}

void Session::log(LogLevel level, std::string_view text) const {
    std::string line = log_name_;
    line += ": ";
    line += text;
    logger_.log(level, line);
}

}  // namespace atcoap::dtls
