#pragma once
// The whole modem core beside an in-memory DTLS server (dtls::Session, server side) that
// answers CoAP, all in virtual time: what the note's §5.2 does against a real server, with
// every datagram countable and droppable.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/log.hpp"
#include "base/random.hpp"
#include "coap/codec.hpp"
#include "dtls/session.hpp"
#include "modem/modem.hpp"
#include "support/capturing_logger.hpp"
#include "ufs/storage.hpp"

namespace atcoap::modem::testing {

/// The note's §5.2 PSK file and what it means.
inline constexpr std::string_view kNotePskFile = "864508030012428&313233343446473839";
inline constexpr std::string_view kNoteIdentity = "864508030012428";
inline constexpr std::string_view kNoteKey = "12344FG89";  // the key's hex digits as text

class DtlsModemHarness {
  public:
    DtlsModemHarness();

    /// Sends `line` and CR LF to the modem, then lets the network settle.
    void send(std::string_view line);
    /// Sends raw bytes (prompt data, uploads).
    void send_bytes(std::string_view bytes);
    /// Moves virtual time forward by `by`; every deadline on the way fires at its time.
    void advance(Duration by);
    /// All host output since the last call.
    std::string take_output();

    /// Echo off and the note's §5.2 settings for client 0 and SSL context 0, with the note's
    /// PSK file uploaded.
    void configure_note_example();

    TimePoint now() const { return now_; }
    test::CapturingLogger& log() { return log_; }
    dtls::Session* server_session() { return server_.get(); }

    /// What the server answers to each CoAP message it receives; nullopt: nothing.
    std::function<std::optional<coap::Message>(const coap::Message&)> answer;
    /// The key the server holds for the note's identity.
    Bytes server_key = to_bytes(kNoteKey);
    /// Drop everything the server sends (a server that stays silent, as OpenSSL's on a bad key).
    bool drop_server_output = false;
    std::vector<coap::Message> received;  // CoAP messages the server got
    int records_to_server = 0;            // datagrams the modem sent the server
    bool socket_closed = false;

  private:
    void settle();
    bool move_modem_requests();
    bool move_server_output();
    std::optional<TimePoint> next_deadline() const;

    ufs::MemoryStorage storage_;
    SeededRandom modem_random_{11};
    SeededRandom server_random_{12};
    test::CapturingLogger log_;
    NullLogger server_log_;
    Modem modem_;
    dtls::CookieKeeper cookies_{server_random_};
    std::unique_ptr<dtls::Session> server_;
    std::optional<net::SocketId> socket_;
    TimePoint now_ = at_ms(0);
    std::string output_;
};

}  // namespace atcoap::modem::testing
