// bench_fleet_libcoap_{notls,openssl}: (b), libcoap's client library holding a fleet's
// connections (docs/PERFORMANCE.md, "Fleets"). One coap_context with C client sessions to one
// server:
// - over UDP each session does sequential CON GETs (send, wait for the answer, send the next)
//   until the duration is over; libcoap retransmits as RFC 7252 §4.2 says;
// - over DTLS (the openssl flavour) the C sessions start their PSK handshakes at once, and the
//   line reports handshakes per second until the last one ends (or the duration does).
// One JSON line at the end. Built twice from this source: libcoap-3-openssl defines the same
// symbols as libcoap-3-notls, so no binary links both.

#include <arpa/inet.h>
#include <coap3/coap.h>

#include <CLI/CLI.hpp>
#include <cstring>
#include <map>
#include <vector>

#include "fleet_common.hpp"

namespace atcoap::bench::fleet {

namespace {

constexpr std::uint8_t kToken[4] = {0x5A, 0x1C, 0xE0, 0x07};

struct Options {
    std::string transport = "udp";
    std::size_t connections = 1;
    double duration = 10;
    std::string host = "127.0.0.1";
    std::uint16_t port = 5683;
    std::string path = "time";
    std::string identity = "864508030012428";
    std::string key = "12344FG89";
};

class Fleet;

/// One session's state, found again through coap_session_get_app_data (libcoap 4.3.1 has no
/// application data on a context, so each peer knows its fleet).
struct Peer {
    Fleet* fleet = nullptr;
    coap_session_t* session = nullptr;
    Clock::time_point sent{};
    bool connected = false;
    bool failed = false;
};

class Fleet {
  public:
    explicit Fleet(const Options& options)
        : options_(options), context_(coap_new_context(nullptr)) {
        coap_register_response_handler(context_, &Fleet::on_response);
        coap_register_event_handler(context_, &Fleet::on_event);
        coap_address_init(&server_);
        server_.addr.sin.sin_family = AF_INET;
        server_.addr.sin.sin_port = htons(options.port);
        ::inet_pton(AF_INET, options.host.c_str(), &server_.addr.sin.sin_addr);
        server_.size = sizeof server_.addr.sin;
    }

    ~Fleet() {
        for (Peer& peer : peers_) {
            if (peer.session != nullptr) {
                coap_session_release(peer.session);
            }
        }
        coap_free_context(context_);
    }
    Fleet(const Fleet&) = delete;
    Fleet& operator=(const Fleet&) = delete;

    bool valid() const { return context_ != nullptr; }

    /// C sessions; over DTLS each starts its handshake here. False when one cannot be made.
    bool open() {
        peers_.resize(options_.connections);
        for (Peer& peer : peers_) {
            peer.fleet = this;
            peer.sent = Clock::now();
            peer.session = new_session();
            if (peer.session == nullptr) {
                return false;
            }
            coap_session_set_app_data(peer.session, &peer);
        }
        return true;
    }

    /// UDP: each session's first GET, then its next one after each answer, until `end`.
    void run_requests(Clock::time_point end) {
        for (Peer& peer : peers_) {
            send(peer);
        }
        while (Clock::now() < end) {
            coap_io_process(context_, 50);
            // Sent here rather than in the response handler, which libcoap calls while it
            // still holds the answered exchange.
            const auto now = Clock::now();
            for (Peer* peer : answered_) {
                if (now < end) {
                    send(*peer);
                }
            }
            answered_.clear();
        }
    }

    /// DTLS: until every handshake has ended or `end`; returns when the last one ended.
    Clock::time_point run_handshakes(Clock::time_point end) {
        auto last = Clock::now();
        while (connected_ + failed_ < peers_.size() && Clock::now() < end) {
            coap_io_process(context_, 50);
            last = last_event_;
        }
        return last;
    }

    const Latencies& latencies() const { return latencies_; }
    std::uint64_t connected() const { return connected_; }
    std::uint64_t failed() const { return failed_; }
    std::uint64_t send_errors() const { return send_errors_; }
    std::uint64_t not_content() const { return not_content_; }

  private:
    coap_session_t* new_session() {
        if (options_.transport == "udp") {
            return coap_new_client_session(context_, nullptr, &server_, COAP_PROTO_UDP);
        }
        coap_dtls_cpsk_t setup;
        std::memset(&setup, 0, sizeof setup);
        setup.version = COAP_DTLS_CPSK_SETUP_VERSION;
        setup.psk_info.identity = {options_.identity.size(),
                                   reinterpret_cast<const std::uint8_t*>(options_.identity.data())};
        setup.psk_info.key = {options_.key.size(),
                              reinterpret_cast<const std::uint8_t*>(options_.key.data())};
        return coap_new_client_session_psk2(context_, nullptr, &server_, COAP_PROTO_DTLS, &setup);
    }

    void send(Peer& peer) {
        coap_pdu_t* request = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET,
                                            coap_new_message_id(peer.session),
                                            coap_session_max_pdu_size(peer.session));
        if (request == nullptr) {
            ++send_errors_;
            return;
        }
        coap_add_token(request, sizeof kToken, kToken);
        coap_add_option(request, COAP_OPTION_URI_PATH, options_.path.size(),
                        reinterpret_cast<const std::uint8_t*>(options_.path.data()));
        peer.sent = Clock::now();
        if (coap_send(peer.session, request) == COAP_INVALID_MID) {
            ++send_errors_;
        }
    }

    static coap_response_t on_response(coap_session_t* session, const coap_pdu_t*,
                                       const coap_pdu_t* received, coap_mid_t) {
        auto* peer = static_cast<Peer*>(coap_session_get_app_data(session));
        Fleet& fleet = *peer->fleet;
        fleet.latencies_.record(Clock::now() - peer->sent);
        if (coap_pdu_get_code(received) != COAP_RESPONSE_CODE_CONTENT) {
            ++fleet.not_content_;
        }
        fleet.answered_.push_back(peer);
        return COAP_RESPONSE_OK;
    }

    static int on_event(coap_session_t* session, coap_event_t event) {
        auto* peer = static_cast<Peer*>(coap_session_get_app_data(session));
        if (peer == nullptr || peer->connected || peer->failed) {
            return 0;
        }
        Fleet& fleet = *peer->fleet;
        if (event == COAP_EVENT_DTLS_CONNECTED) {
            peer->connected = true;
            ++fleet.connected_;
            fleet.last_event_ = Clock::now();
            fleet.latencies_.record(fleet.last_event_ - peer->sent);
        } else if (event == COAP_EVENT_DTLS_ERROR || event == COAP_EVENT_DTLS_CLOSED) {
            peer->failed = true;
            ++fleet.failed_;
            fleet.last_event_ = Clock::now();
        }
        return 0;
    }

    const Options& options_;
    coap_context_t* context_;
    coap_address_t server_;
    std::vector<Peer> peers_;
    std::vector<Peer*> answered_;
    Latencies latencies_;
    Clock::time_point last_event_ = Clock::now();
    std::uint64_t connected_ = 0;
    std::uint64_t failed_ = 0;
    std::uint64_t send_errors_ = 0;
    std::uint64_t not_content_ = 0;
};

int run(const Options& options) {
    const rlim_t open_files = raise_open_files();
    if (open_files < options.connections + 16) {
        std::fprintf(stderr, "bench_fleet_libcoap: %zu sessions need more open files than %lu\n",
                     options.connections, static_cast<unsigned long>(open_files));
        return 1;
    }
    const bool dtls = options.transport == "dtls";
    if (dtls && coap_dtls_is_supported() == 0) {
        std::fprintf(stderr,
                     "bench_fleet_libcoap: this libcoap has no DTLS: use the openssl one\n");
        return 1;
    }
    Fleet fleet(options);
    if (!fleet.valid()) {
        std::fprintf(stderr, "bench_fleet_libcoap: coap_new_context failed\n");
        return 1;
    }
    const Memory start = read_memory();
    const auto opening = Clock::now();
    if (!fleet.open()) {
        std::fprintf(stderr, "bench_fleet_libcoap: a session could not be made\n");
        return 1;
    }
    const std::chrono::duration<double> open_time = Clock::now() - opening;
    // Over UDP the clock starts once every session is made; a DTLS handshake starts inside
    // coap_new_client_session_psk2, so its clock started before.
    const double cpu_before = cpu_seconds();
    const auto begin = dtls ? opening : Clock::now();
    const auto end = begin + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(options.duration));
    auto finished = Clock::now();
    if (dtls) {
        finished = fleet.run_handshakes(end);
    } else {
        fleet.run_requests(end);
        finished = Clock::now();
    }
    const std::chrono::duration<double> elapsed = finished - begin;
    Json line{{"peer", "libcoap"}, {"transport", options.transport}};
    line.update(result_fields(options.connections, elapsed.count(), fleet.latencies().count(),
                              fleet.latencies(), start, read_memory(), cpu_seconds() - cpu_before));
    if (dtls) {
        line["handshakes"] = fleet.connected();
        line["handshake_failures"] = fleet.failed();
    } else {
        line["not_content"] = fleet.not_content();
    }
    line["send_errors"] = fleet.send_errors();
    line["open_s"] = open_time.count();
    line["open_files"] = open_files;
    print_line(line);
    return fleet.latencies().count() > 0 ? 0 : 1;
}

}  // namespace

}  // namespace atcoap::bench::fleet

int main(int argc, char** argv) {
    using namespace atcoap::bench::fleet;
    CLI::App app{"(b) libcoap's client library with C sessions (docs/PERFORMANCE.md)"};
    Options options;
    app.add_option("--transport", options.transport, "udp: CON GETs; dtls: PSK handshakes")
        ->check(CLI::IsMember({"udp", "dtls"}))
        ->capture_default_str();
    app.add_option("--connections,-c", options.connections)->check(CLI::Range(1, 60000));
    app.add_option("--duration,-d", options.duration, "seconds")->check(CLI::Range(0.1, 3600.0));
    app.add_option("--host", options.host, "the server's IPv4 address")->capture_default_str();
    app.add_option("--port,-p", options.port)->check(CLI::Range(1, 65535))->capture_default_str();
    app.add_option("--path", options.path, "Uri-Path")->capture_default_str();
    app.add_option("--psk-identity", options.identity)->capture_default_str();
    app.add_option("--psk-key", options.key, "the key as text, as coap-server -k takes it")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    in_addr parsed{};
    if (::inet_pton(AF_INET, options.host.c_str(), &parsed) != 1) {
        std::fprintf(stderr, "bench_fleet_libcoap: %s is not an IPv4 address\n",
                     options.host.c_str());
        return 1;
    }
    coap_startup();
    coap_set_log_level(LOG_EMERG);  // a fleet's worth of session messages is no result
    const int code = run(options);
    coap_cleanup();
    return code;
}
