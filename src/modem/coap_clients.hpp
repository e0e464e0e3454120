#pragma once
// The six CoAP clients of the modem (clientID 0-5, the note's §3.3) and their link to the
// network: each has its settings, header and option slots, a sans-IO endpoint, and a socket
// the shell opens on request. Endpoint events become the note's URCs here.

#include <fmt/format.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "at/responder.hpp"
#include "base/log.hpp"
#include "base/network.hpp"
#include "base/random.hpp"
#include "coap/client_endpoint.hpp"
#include "dtls/session.hpp"
#include "modem/message_tap.hpp"
#include "modem/observer.hpp"
#include "modem/radio_state.hpp"

namespace atcoap::modem {

inline constexpr int kClientCount = 6;

// The note's chapter 4 result codes, as the URCs print them.
inline constexpr int kResultOk = 0;
inline constexpr int kResultPskFile = -1;
inline constexpr int kResultNotAllowed = -3;
inline constexpr int kResultDnsError = -5;
inline constexpr int kResultSocketError = -7;
inline constexpr int kResultDtlsFailed = -9;
inline constexpr int kResultClientBusy = -10;
inline constexpr int kResultSendFailed = -11;

/// AT+QCOAPOPEN's <status> (the note's §3.3.2).
enum class ClientStatus { Idle = 0, Opening = 1, Connecting = 2, Connected = 3, Disconnecting = 4 };

/// AT+QCOAPHEADER: the message ID of the next message and how tokens are made (docs/DIALECT.md §3).
struct HeaderConfig {
    std::uint16_t next_message_id = 0;
    bool random_token = true;
    coap::Token token;
};

struct OptionSlot {
    std::uint16_t number = 0;
    Bytes value;
};

struct CoapClient {
    int id = 0;
    ClientStatus status = ClientStatus::Idle;
    std::string server;
    std::uint16_t port = 0;
    int pdp_context = 1;
    bool dtls = false;
    int dtls_context = 0;
    coap::TransmissionSettings transmission{};
    HeaderConfig header;
    std::array<std::optional<OptionSlot>, 8> options{};
    net::SocketId socket{};
    // Made by the client's first AT+QCOAPOPEN and kept from then on, so that a reopen costs
    // nothing: until then both are null, and a fleet modem does not pay ~1.6 KiB each for the
    // clients its script never opens (docs/TESTING.md, "Memory per modem").
    std::unique_ptr<coap::ClientEndpoint> endpoint;
    std::unique_ptr<MessageTap> tap;  // the endpoint's watcher: the log line, MessageTrace
    // With DTLS (docs/DIALECT.md §4): the settings OPEN prepared, then the session under the
    // endpoint.
    std::optional<dtls::ClientSettings> dtls_settings;
    std::unique_ptr<dtls::Session> session;
    bool session_loss_logged = false;
};

class CoapClients {
  public:
    CoapClients(Random& random, Logger& logger, at::Responder& responder, const RadioState& radio,
                const Observers& observer, dtls::KeyLog* key_log = nullptr);

    CoapClient& client(int id) { return clients_.at(static_cast<std::size_t>(id)); }
    const CoapClient& client(int id) const { return clients_.at(static_cast<std::size_t>(id)); }

    /// AT+QCOAPOPEN after its checks: asks the shell for a socket, then runs the DTLS handshake
    /// when `dtls` is given; +QCOAPOPEN follows.
    void open(int id, std::string server, std::uint16_t port,
              std::optional<dtls::ClientSettings> dtls = std::nullopt);
    /// AT+QCOAPCLOSE: sends a DTLS close_notify if a session is up, drops the socket and every
    /// pending exchange; +QCOAPCLOSE follows.
    void close(int id, TimePoint now);
    /// Builds the next message ID and token as AT+QCOAPHEADER says.
    std::uint16_t take_message_id(int id);
    coap::Token make_token(int id);
    /// Sends a message built by AT+QCOAPSEND; results come as +QCOAPACK / +QCOAPIND.
    Status<coap::EncodeError> send(int id, const coap::Message& message, TimePoint now);
    /// AT+QCOAPCFG="pdpcid": binds the client to another PDP context; its link follows.
    void set_pdp_context(int id, int context_id);
    /// The radio or a PDP context changed (RadioState's listener): each endpoint learns
    /// whether its data path is up (docs/DIALECT.md §6).
    void on_data_path_change();
    /// A restart of the module (the control socket's `reboot`): every client is dropped
    /// without a URC or a close_notify (its socket is closed through a request) and every
    /// setting, header and option slot is back to its default.
    void restart();

    /// atcoap exits (a signal, the end of input, `quit`): each DTLS session that is up sends
    /// its close_notify, so the server need not wait for its idle timeout. Nothing else
    /// changes and nothing goes to the host.
    void say_goodbye(TimePoint now);

    void on_socket_opened(net::SocketId socket, net::OpenResult result, TimePoint now);
    void on_datagram(net::SocketId socket, ByteView datagram, TimePoint now);
    void on_timeout(TimePoint now);
    std::optional<TimePoint> next_deadline() const;
    std::vector<net::Request> take_requests();
    bool busy() const;

  private:
    /// The client's endpoint, made with its tap on first use.
    coap::ClientEndpoint& endpoint_of(CoapClient& client);
    void drain(CoapClient& client, TimePoint now);
    // DTLS (coap_clients_dtls.cpp): the session between the endpoint and the socket.
    void start_session(CoapClient& client, TimePoint now);
    void after_session_call(CoapClient& client, TimePoint now);
    void finish_handshake(CoapClient& client);
    void note_session_loss(CoapClient& client);
    void send_through_session(CoapClient& client, Bytes plaintext, TimePoint now);
    void flush_session(CoapClient& client);
    bool link_up(const CoapClient& client) const;
    void update_link(CoapClient& client);
    void transition(CoapClient& client, ClientStatus to, int open_result = kResultOk);
    void fail_open(CoapClient& client, int code);
    void report(const CoapClient& client, const coap::ClientEvent& event);
    CoapClient* find(net::SocketId socket);

    Random& random_;
    Logger& logger_;
    at::Responder& responder_;
    const RadioState& radio_;
    const Observers& observers_;
    dtls::KeyLog* key_log_;
    std::array<CoapClient, kClientCount> clients_;
    std::vector<net::Request> requests_;
    std::uint32_t next_generation_ = 1;
    // Reused for every URC line, and for the endpoint's outboxes, which drain() swaps with
    // these so that no exchange allocates them anew.
    fmt::memory_buffer urc_line_;
    std::vector<Bytes> datagrams_;
    std::vector<coap::ClientEvent> events_;
};

}  // namespace atcoap::modem
