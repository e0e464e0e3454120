#pragma once
// Which response tokens a client endpoint expects (docs/DIALECT.md §7, RFC 7252 §5.3.2,
// RFC 7641 §3.6): a token it sent in a request within EXCHANGE_LIFETIME, or the token of an
// observation it registered (a request with Observe 0) and has not ended. An observation ends
// when the client sends Observe 1 with its token or is reset, when the server answers it with
// an error or without Observe (RFC 7641 §3.2, §4.1), when the server resets its registration,
// or when the server stays silent past the last notification's Max-Age plus kObservationMargin,
// so that a forgotten observation does not live forever. A response with any other token is
// rejected.

#include <array>
#include <cstddef>
#include <cstdint>
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
    /// Added to a notification's Max-Age (RFC 7252 §5.10.5, 60 s when absent) before silence
    /// ends an observation: a notification may be retransmitted or late.
    static constexpr Duration kObservationMargin{60'000};

    /// What a request_sent() had to forget to stay within the bounds.
    struct Forgotten {
        bool request = false;      // the request token expiring first
        bool observation = false;  // the oldest observation: its notifications now get RST
    };

    /// Records a request's token until `expires`; Observe 0 registers an observation with it
    /// and Observe 1 ends one (RFC 7641 §3.1, §3.6). Messages that are not requests are ignored.
    Forgotten request_sent(const Message& message, TimePoint expires);

    bool expects(const Token& token, TimePoint now) const;
    bool observing(const Token& token, TimePoint now) const;

    /// An accepted response with `response`'s token at `now`: it keeps its observation alive
    /// for its Max-Age plus the margin, or ends it (an error code, no Observe option). True when
    /// it ended an observation.
    bool response_received(const Message& response, TimePoint now);
    /// The server reset the request with this token: an observation it registered ends.
    void request_reset(const Token& token);

    /// Forgets the request tokens whose lifetime has passed at `now`, and the observations
    /// whose server has been silent too long; returns how many observations that ended.
    std::size_t expire(TimePoint now);
    void clear();

    std::size_t request_count() const { return requests_.size(); }
    std::size_t observation_count() const { return observations_.size(); }

  private:
    using Key = std::array<std::uint8_t, 1 + Token::kMaxSize>;
    static Key key_of(const Token& token);

    /// The request tokens held, each with the end of its latest request's lifetime, earliest
    /// end first (expected_tokens.cpp says why this layout).
    class Requests {
      public:
        std::size_t size() const { return entries_.size() - first_; }
        bool expects(const Key& key, TimePoint now) const;
        /// Holds `key` until `expires`, replacing its earlier end. Past kMaxRequests the entry
        /// expiring first goes, which is the new one when it expires before every other; true
        /// when one went.
        bool hold(const Key& key, TimePoint expires);
        void expire(TimePoint now);
        void clear();

      private:
        struct Entry {
            Key key;
            std::array<std::uint8_t, sizeof(Duration::rep)> expires;  // bytes: no padding
        };
        static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
        static TimePoint end_of(const Entry& entry);
        static std::uint8_t print_of(const Key& key);
        std::size_t find(const Key& key) const;  // its index in entries_, or kNone
        void insert(const Key& key, TimePoint expires);
        void erase(std::size_t index);
        void make_room();
        void shrink();

        std::vector<Entry> entries_;
        std::vector<std::uint8_t> prints_;  // each entry's fingerprint, at the same index
        std::size_t first_ = 0;             // the entries before it expired or were forgotten
    };

    struct Observation {
        Key key;
        TimePoint ends;  // unless a notification comes first
    };
    std::vector<Observation>::iterator find_observation(const Key& key);
    std::vector<Observation>::const_iterator find_observation(const Key& key) const;

    Requests requests_;
    std::vector<Observation> observations_;  // oldest registration first
};

}  // namespace atcoap::coap
