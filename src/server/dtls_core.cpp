#include "server/dtls_core.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "base/hex.hpp"

namespace atcoap::server {

namespace {

// RFC 6347 §4.1: content type 22 (handshake), epoch 0; §4.2.2: handshake type 1 (ClientHello)
// right after the 13-byte record header.
bool starts_with_client_hello(ByteView datagram) {
    constexpr std::size_t kRecordHeader = 13;
    return datagram.size() > kRecordHeader && datagram[0] == 22 && datagram[3] == 0 &&
           datagram[4] == 0 && datagram[kRecordHeader] == 1;
}

// "60 s", or "1500 ms" when not a whole number of seconds.
std::string describe(Duration duration) {
    const auto ms = duration.count();
    return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

std::optional<TimePoint> earlier(std::optional<TimePoint> a, std::optional<TimePoint> b) {
    if (a && b) {
        return std::min(*a, *b);
    }
    return a ? a : b;
}

}  // namespace

Result<PskEntry, std::string> parse_psk(std::string_view text) {
    const std::size_t colon = text.rfind(':');
    // No message quotes the text or the key: it may be a real device's secret, and error
    // messages end up in CI logs.
    if (colon == std::string_view::npos || colon == 0) {
        return fail(std::string("a PSK is IDENTITY:HEXKEY, with the key after the last ':'"));
    }
    const std::string identity(text.substr(0, colon));
    std::optional<Bytes> key = parse_hex(text.substr(colon + 1));
    if (!key || key->empty()) {
        return fail("the key of identity \"" + identity + "\" must be even-length hex");
    }
    // mbedTLS takes at most dtls::kMaxPskBytes of PSK, as the module does.
    if (key->size() > dtls::kMaxPskBytes) {
        return fail("the key of identity \"" + identity + "\" must be 1 to " +
                    std::to_string(dtls::kMaxPskBytes) + " bytes, got " +
                    std::to_string(key->size()));
    }
    return PskEntry{identity, std::move(*key)};
}

std::string cipher_suite_name(std::uint16_t suite) {
    switch (suite) {
        case dtls::kPskAes128Ccm8:
            return "TLS-PSK-WITH-AES-128-CCM-8";
        case dtls::kPskAes128CbcSha256:
            return "TLS-PSK-WITH-AES-128-CBC-SHA256";
        case dtls::kPskAes128GcmSha256:
            return "TLS-PSK-WITH-AES-128-GCM-SHA256";
        default:
            break;
    }
    char text[16];
    std::snprintf(text, sizeof text, "suite 0x%04X", static_cast<unsigned>(suite));
    return text;
}

DtlsCore::DtlsCore(const DtlsOptions& options, ServerCore& core, Random& random, Logger& log)
    : core_(core),
      random_(random),
      log_(log),
      session_log_(log),
      cookies_(random),
      max_sessions_(std::max<std::size_t>(options.max_sessions, 1)),
      idle_limit_(options.idle_limit) {
    settings_.key_for_identity = [keys = options.keys](ByteView identity) -> std::optional<Bytes> {
        for (const PskEntry& entry : keys) {
            if (entry.identity == as_text(identity)) {
                return entry.key;
            }
        }
        return std::nullopt;
    };
    settings_.identity_hint = options.hint;
}

DtlsCore::~DtlsCore() = default;

void DtlsCore::on_datagram(const Endpoint& peer, ByteView datagram, TimePoint now) {
    auto found = peers_.find(peer);
    if (found == peers_.end()) {
        if (!starts_with_client_hello(datagram)) {
            log_.log(LogLevel::Debug, "DTLS datagram from " + to_string(peer) +
                                          " without a session and not a ClientHello: dropped");
            return;
        }
        found = admit(peer, now);
    }
    found->second.last_heard = now;
    found->second.session->on_datagram(datagram, now);
    pass_plaintext(found->first, found->second, now);
    route_core_output(now);
    collect_and_prune();
}

void DtlsCore::on_timeout(TimePoint now) {
    for (auto& [peer, entry] : peers_) {
        if (const auto due = entry.session->next_deadline(); due && *due <= now) {
            entry.session->on_timeout(now);
        }
    }
    if (const auto due = core_.next_deadline(); due && *due <= now) {
        core_.on_timeout(now);
    }
    route_core_output(now);
    collect_and_prune();
    drop_idle(now);
}

std::optional<TimePoint> DtlsCore::next_deadline() const {
    std::optional<TimePoint> deadline = core_.next_deadline();
    for (const auto& [peer, entry] : peers_) {
        deadline = earlier(deadline, entry.session->next_deadline());
        deadline = earlier(deadline, entry.last_heard + idle_limit_);
    }
    return deadline;
}

std::vector<Datagram> DtlsCore::take_datagrams() {
    return std::exchange(outbox_, {});
}

void DtlsCore::close_all(TimePoint now) {
    for (auto& [peer, entry] : peers_) {
        entry.session->close(now);
    }
    collect_and_prune();
}

std::optional<dtls::State> DtlsCore::session_state(const Endpoint& peer) const {
    const auto found = peers_.find(peer);
    if (found == peers_.end()) {
        return std::nullopt;
    }
    return found->second.session->state();
}

DtlsCore::Peers::iterator DtlsCore::admit(const Endpoint& peer, TimePoint now) {
    if (peers_.size() >= max_sessions_) {
        evict_one(now);
    }
    const std::string id = to_string(peer);
    Peer entry{dtls::Session::server(settings_, cookies_, as_bytes(id), random_, session_log_),
               now};
    return peers_.emplace(peer, std::move(entry)).first;
}

// The victim is the session heard from least recently, handshaking ones first: a flood of
// hellos then mostly pushes out its own half-open sessions.
void DtlsCore::evict_one(TimePoint now) {
    auto victim = peers_.end();
    for (auto it = peers_.begin(); it != peers_.end(); ++it) {
        if (victim == peers_.end()) {
            victim = it;
            continue;
        }
        const bool it_handshaking = it->second.session->state() == dtls::State::Handshaking;
        const bool victim_handshaking = victim->second.session->state() == dtls::State::Handshaking;
        if (it_handshaking != victim_handshaking
                ? it_handshaking
                : it->second.last_heard < victim->second.last_heard) {
            victim = it;
        }
    }
    drop(victim, now,
         "dropped to make room for a new peer (" + std::to_string(max_sessions_) + " sessions)");
}

void DtlsCore::pass_plaintext(const Endpoint& peer, Peer& entry, TimePoint now) {
    for (const Bytes& plaintext : entry.session->take_plaintext()) {
        core_.on_datagram(peer, plaintext, now);
    }
}

// What the core answers goes through the session of its peer. A peer without an established
// session (dropped, or handshaking again) loses the datagram, as a lossy network would.
void DtlsCore::route_core_output(TimePoint now) {
    for (const Datagram& datagram : core_.take_datagrams()) {
        const auto found = peers_.find(datagram.peer);
        if (found == peers_.end() || found->second.session->state() != dtls::State::Established) {
            log_.log(LogLevel::Debug,
                     "no DTLS session with " + to_string(datagram.peer) + ": reply dropped");
            continue;
        }
        if (const auto sent = found->second.session->send(datagram.bytes, now); !sent) {
            log_.log(LogLevel::Debug, "DTLS send to " + to_string(datagram.peer) + " failed");
        }
    }
}

void DtlsCore::collect_and_prune() {
    for (auto it = peers_.begin(); it != peers_.end();) {
        for (Bytes& bytes : it->second.session->take_datagrams()) {
            outbox_.push_back(Datagram{it->first, std::move(bytes)});
        }
        it = report(it->first, it->second) ? std::next(it) : peers_.erase(it);
    }
}

// Logs the handshake result once; false when the session has ended and is to be dropped.
bool DtlsCore::report(const Endpoint& peer, Peer& entry) {
    const dtls::Session& session = *entry.session;
    switch (session.state()) {
        case dtls::State::Handshaking:
            entry.announced = false;  // a reconnect (RFC 6347 §4.2.8) is a new handshake
            return true;
        case dtls::State::Established:
            if (!entry.announced) {
                entry.announced = true;
                log_session(LogLevel::Info, peer, cipher_suite_name(session.cipher_suite()));
            }
            return true;
        case dtls::State::Failed:
            log_session(LogLevel::Warn, peer, "failed: " + std::string(session.failure()));
            return false;
        case dtls::State::Closed:
            log_session(LogLevel::Info, peer,
                        session.failure().empty() ? std::string("closed")
                                                  : "closed: " + std::string(session.failure()));
            return false;
    }
    return false;
}

void DtlsCore::drop_idle(TimePoint now) {
    for (auto it = peers_.begin(); it != peers_.end();) {
        if (now < it->second.last_heard + idle_limit_) {
            ++it;
            continue;
        }
        it = drop(it, now, "dropped after " + describe(idle_limit_) + " without a datagram");
    }
}

// An established peer hears close_notify (RFC 5246 §7.2.1) and gets a line in the log; a
// hello that never came back with its cookie is no handshake worth a line of its own.
DtlsCore::Peers::iterator DtlsCore::drop(Peers::iterator which, TimePoint now,
                                         std::string_view why) {
    dtls::Session& session = *which->second.session;
    const bool established = session.state() == dtls::State::Established;
    log_session(established ? LogLevel::Info : LogLevel::Debug, which->first, why);
    session.close(now);
    for (Bytes& bytes : session.take_datagrams()) {
        outbox_.push_back(Datagram{which->first, std::move(bytes)});
    }
    return peers_.erase(which);
}

void DtlsCore::log_session(LogLevel level, const Endpoint& peer, std::string_view what) {
    std::string line = "DTLS session with " + to_string(peer) + ": ";
    line += what;
    log_.log(level, line);
}

}  // namespace atcoap::server
