#pragma once
// Which response tokens a client endpoint expects (docs/DIALECT.md §7, RFC 7252 §5.3.2,
// RFC 7641 §3.6): a token it sent in a request within EXCHANGE_LIFETIME, or the token of an
// observation it registered (a request with Observe 0) and has not ended (Observe 1 with that
// token, or a reset). A response with any other token is rejected.

#include <array>
#include <cstddef>
#include <map>
#include <vector>

#include "base/time.hpp"
#include "coap/message.hpp"

namespace atcoap::coap {

class ExpectedTokens {
  public:
    /// Bounds the memory a host can pin with fresh tokens; the entries expiring first go.
    static constexpr std::size_t kMaxRequests = 1024;
    /// Bounds the observations kept; the oldest registration goes first.
    static constexpr std::size_t kMaxObservations = 64;

    /// What a request_sent() had to forget to stay within the bounds.
    struct Forgotten {
        bool request = false;      // the request token expiring first
        bool observation = false;  // the oldest observation: its notifications now get RST
    };

    /// Records a request's token until `expires`; Observe 0 registers an observation with it
    /// and Observe 1 ends one (RFC 7641 §3.1, §3.6). Messages that are not requests are ignored.
    Forgotten request_sent(const Message& message, TimePoint expires);

    bool expects(const Token& token, TimePoint now) const;
    bool observing(const Token& token) const;

    /// Forgets the request tokens whose lifetime has passed at `now`.
    void expire(TimePoint now);
    void clear();

    std::size_t request_count() const { return requests_.size(); }
    std::size_t observation_count() const { return observations_.size(); }

  private:
    using Key = std::array<std::uint8_t, 1 + Token::kMaxSize>;
    static Key key_of(const Token& token);
    void evict_earliest_request();

    std::map<Key, TimePoint> requests_;  // token -> end of its latest request's lifetime
    std::vector<Key> observations_;      // oldest registration first
};

}  // namespace atcoap::coap
