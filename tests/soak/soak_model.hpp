#pragma once
// What the soak's host expects of the modem, client by client: the exchanges it started and
// how each may end (docs/AT_COAP.md "URCs", docs/DIALECT.md §4, §7, §8), the tokens whose
// responses may come and how many times, and the URCs its own actions owe it (+QCOAPOPEN,
// +QCOAPCLOSE, +QIURC). Every URC is checked against it as it arrives; the first thing that
// breaks an invariant is kept as the failure. Everything here is bounded: tokens are forgotten
// a fixed time after their exchange, so the model does not grow over a day either.

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "base/time.hpp"
#include "host_stream.hpp"
#include "soak.hpp"

namespace atcoap::soak {

inline constexpr int kClients = 6;

/// How many +QCOAPRECV a request's token may bring.
enum class Answers : std::uint8_t {
    One,        // a CON answered in its ACK: exactly one when acknowledged, none on give-up
    AtMostOne,  // a NON request, a separate response: the answer may be lost
    Observe,    // an observation: any number, no Observe value twice
};

class HostModel {
  public:
    explicit HostModel(SoakTally& tally) : tally_(tally) {}

    // What the host did, told before its command's output is read.
    void sent(int client, int message_id, bool con, const std::string& token, Answers answers,
              TimePoint now);
    void opening(int client, TimePoint now);
    void closing(int client, TimePoint now);
    void radio(bool on) { radio_on_ = on; }
    void pdp(bool active, TimePoint now);

    /// One URC or response line's event; response lines are the driver's to check.
    void on_event(const Event& event, TimePoint now);
    /// Exchanges and URCs overdue at `now`, and tokens old enough to forget, are checked.
    void check(TimePoint now);
    /// At the end, after a quiet period: nothing may still be owed.
    void finish(TimePoint now);

    bool path_up() const { return radio_on_ && pdp_active_; }
    bool open(int client) const { return clients_.at(index(client)).open; }
    /// Registered observations of `client`, oldest first.
    const std::deque<std::string>& observations(int client) const {
        return clients_.at(index(client)).observations;
    }
    /// A CON cancel of an observation was sent (Observe 1, its token).
    void cancelled(int client, int message_id, const std::string& token, TimePoint now);
    std::size_t pending(int client) const { return clients_.at(index(client)).exchanges.size(); }

    const std::string& failure() const { return failure_; }
    void fail(std::string what);

  private:
    struct Exchange {
        bool con = true;
        TimePoint sent;
        int retries = 0;
        bool down_at_send = false;
        std::string token;
    };
    struct Token {
        Answers answers = Answers::One;
        TimePoint since;  // when it was sent, or cancelled
        bool ended = false;
        bool acknowledged = false;
        int recvs = 0;
        std::set<std::uint32_t> seen;  // Observe values, the latest kRecentObserve
        std::deque<std::uint32_t> order;
    };
    struct Client {
        bool open = false;
        std::optional<TimePoint> open_owed;
        int open_result = 0;  // the +QCOAPOPEN result owed
        std::optional<TimePoint> close_owed;
        std::map<int, Exchange> exchanges;  // by message ID
        std::map<std::string, Token> tokens;
        std::deque<std::string> observations;
    };

    static std::size_t index(int client) { return static_cast<std::size_t>(client); }
    Client* client_of(int client, const char* urc);
    void on_ack(const AckUrc& ack, TimePoint now);
    void on_ind(const IndUrc& ind);
    void on_recv(const RecvUrc& recv);
    void on_open(const OpenUrc& open);
    void on_close(const CloseUrc& close);
    void forget_token(int client, const std::string& key, const Token& token);

    SoakTally& tally_;
    std::array<Client, kClients> clients_{};
    bool radio_on_ = true;
    bool pdp_active_ = true;
    int pdp_owed_ = 0;
    std::optional<TimePoint> pdp_since_;
    std::string failure_;
};

}  // namespace atcoap::soak
