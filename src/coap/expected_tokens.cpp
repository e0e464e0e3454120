#include "coap/expected_tokens.hpp"

#include <string.h>  // memrchr (glibc)

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>

#include "coap/options.hpp"
#include "coap/values.hpp"

namespace atcoap::coap {

namespace {

// RFC 7252 §5.10.5: a response without Max-Age may be used for 60 seconds.
constexpr std::uint32_t kDefaultMaxAgeSeconds = 60;

/// The value of the first option `number`, when it is there and decodes as a uint.
std::optional<std::uint32_t> uint_option(const Message& message, std::uint16_t number) {
    const auto it = std::find_if(message.options.begin(), message.options.end(),
                                 [number](const Option& o) { return o.number == number; });
    if (it == message.options.end()) {
        return std::nullopt;
    }
    return decode_uint(it->value);
}

/// The Observe value of a message, when it carries one that decodes (RFC 7641 §2).
std::optional<std::uint32_t> observe_value(const Message& message) {
    return uint_option(message, option::kObserve);
}

// The request tokens' layout. A fast host makes a client hold up to kMaxRequests tokens for
// EXCHANGE_LIFETIME (247 s by default) and a fleet holds thousands of clients, so an entry is
// small: its 9-byte key and its end as 8 bytes (no padding) in one vector, a one-byte
// fingerprint of the key in another, 18 bytes per token (a node-based map takes 56, 64 with
// malloc's header). The entries are ordered by their end, the send time plus EXCHANGE_LIFETIME
// and so nearly always the latest: a new entry goes at the back, and expiry and the bound's
// eviction take from the front by moving first_. A lookup runs memrchr over the fingerprints,
// newest first (1 KiB at the bound), and compares keys only where a fingerprint matches: a
// response to a recent request finds its token at once, an unknown token costs that scan and
// a key compared for one entry in 256. Forgotten entries stay before first_ until the block is
// full, then go in one move; at the bound the block may hold a sixteenth more than the bound,
// so that one move serves 64 requests (19 bytes per token then).
constexpr std::size_t kMaxCapacity =
    ExpectedTokens::kMaxRequests + ExpectedTokens::kMaxRequests / 16;
// Below this capacity an emptied vector keeps its block: a slow host reuses it.
constexpr std::size_t kSmallCapacity = 16;

}  // namespace

ExpectedTokens::Key ExpectedTokens::key_of(const Token& token) {
    Key key{};
    key[0] = static_cast<std::uint8_t>(token.size());
    const ByteView bytes = token.view();
    std::copy(bytes.begin(), bytes.end(), key.begin() + 1);
    return key;
}

ExpectedTokens::Forgotten ExpectedTokens::request_sent(const Message& message, TimePoint expires) {
    Forgotten forgotten;
    if (!message.code.is_request()) {
        return forgotten;
    }
    const Key key = key_of(message.token);
    forgotten.request = requests_.hold(key, expires);
    const std::optional<std::uint32_t> observe = observe_value(message);
    const auto known = find_observation(key);
    if (observe == 0u && known == observations_.end()) {
        // Until its first answer, a registration lives as long as its request.
        observations_.push_back(Observation{key, expires});
        if (observations_.size() > kMaxObservations) {
            observations_.erase(observations_.begin());
            forgotten.observation = true;
        }
    } else if (observe == 1u && known != observations_.end()) {
        observations_.erase(known);
    }
    return forgotten;
}

bool ExpectedTokens::expects(const Token& token, TimePoint now) const {
    return requests_.expects(key_of(token), now) || observing(token, now);
}

bool ExpectedTokens::observing(const Token& token, TimePoint now) const {
    const auto it = find_observation(key_of(token));
    return it != observations_.end() && now < it->ends;
}

bool ExpectedTokens::response_received(const Message& response, TimePoint now) {
    const auto it = find_observation(key_of(response.token));
    if (it == observations_.end()) {
        return false;
    }
    const unsigned code_class = response.code.code_class();
    if (code_class == 4 || code_class == 5 || !observe_value(response)) {
        observations_.erase(it);
        return true;
    }
    const std::optional<std::uint32_t> max_age = uint_option(response, option::kMaxAge);
    it->ends = now + Duration{std::int64_t{max_age.value_or(kDefaultMaxAgeSeconds)} * 1000} +
               kObservationMargin;
    return false;
}

void ExpectedTokens::request_reset(const Token& token) {
    if (const auto it = find_observation(key_of(token)); it != observations_.end()) {
        observations_.erase(it);
    }
}

std::size_t ExpectedTokens::expire(TimePoint now) {
    requests_.expire(now);
    return std::erase_if(observations_, [now](const Observation& o) { return o.ends <= now; });
}

std::vector<ExpectedTokens::Observation>::iterator ExpectedTokens::find_observation(
    const Key& key) {
    return std::find_if(observations_.begin(), observations_.end(),
                        [&key](const Observation& o) { return o.key == key; });
}

std::vector<ExpectedTokens::Observation>::const_iterator ExpectedTokens::find_observation(
    const Key& key) const {
    return std::find_if(observations_.begin(), observations_.end(),
                        [&key](const Observation& o) { return o.key == key; });
}

void ExpectedTokens::clear() {
    requests_.clear();
    observations_.clear();
}

TimePoint ExpectedTokens::Requests::end_of(const Entry& entry) {
    return TimePoint{Duration{std::bit_cast<Duration::rep>(entry.expires)}};
}

std::uint8_t ExpectedTokens::Requests::print_of(const Key& key) {
    // Fibonacci hashing: the product's top byte depends on every byte of the token.
    std::uint64_t token = 0;
    std::memcpy(&token, key.data() + 1, sizeof(token));
    return static_cast<std::uint8_t>(((token ^ std::uint64_t{key[0]}) * 0x9E3779B97F4A7C15U) >> 56);
}

bool ExpectedTokens::Requests::expects(const Key& key, TimePoint now) const {
    const std::size_t index = find(key);
    return index != kNone && now < end_of(entries_[index]);
}

std::size_t ExpectedTokens::Requests::find(const Key& key) const {
    const std::uint8_t print = print_of(key);
    const std::uint8_t* const live = prints_.data() + first_;
    std::size_t before = size();  // the entries left to look at, newest last
    while (before > 0) {
        const void* hit = memrchr(live, print, before);
        if (hit == nullptr) {
            return kNone;
        }
        before = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - live);
        if (entries_[first_ + before].key == key) {
            return first_ + before;
        }
    }
    return kNone;
}

bool ExpectedTokens::Requests::hold(const Key& key, TimePoint expires) {
    if (const std::size_t known = find(key); known != kNone) {
        erase(known);  // its new end takes its place in the order
    } else if (size() == kMaxRequests) {
        if (expires < end_of(entries_[first_])) {
            return true;  // it would expire first: it is the one forgotten
        }
        ++first_;
        insert(key, expires);
        return true;
    }
    insert(key, expires);
    return false;
}

void ExpectedTokens::Requests::insert(const Key& key, TimePoint expires) {
    make_room();
    const Entry entry{key,
                      std::bit_cast<decltype(Entry::expires)>(expires.time_since_epoch().count())};
    std::size_t at = entries_.size();  // nearly always: the latest end goes last
    if (size() > 0 && expires < end_of(entries_.back())) {
        // An end before the newest (EXCHANGE_LIFETIME shortened since, AT+QCOAPCFG="trans"):
        // after every entry ending at or before it.
        const auto after =
            std::upper_bound(entries_.begin() + static_cast<std::ptrdiff_t>(first_), entries_.end(),
                             expires, [](TimePoint t, const Entry& e) { return t < end_of(e); });
        at = static_cast<std::size_t>(after - entries_.begin());
    }
    entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(at), entry);
    prints_.insert(prints_.begin() + static_cast<std::ptrdiff_t>(at), print_of(key));
}

void ExpectedTokens::Requests::erase(std::size_t index) {
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(index));
    prints_.erase(prints_.begin() + static_cast<std::ptrdiff_t>(index));
}

void ExpectedTokens::Requests::make_room() {
    const std::size_t capacity = entries_.capacity();
    if (entries_.size() < capacity) {
        return;
    }
    // Forgotten entries go in one move once they are a sixteenth of the block (so that as many
    // requests pay for a move), or when the block is as large as it may grow.
    if ((first_ > 0 && first_ >= capacity / 16) || capacity >= kMaxCapacity) {
        const auto forgotten = static_cast<std::ptrdiff_t>(first_);
        entries_.erase(entries_.begin(), entries_.begin() + forgotten);
        prints_.erase(prints_.begin(), prints_.begin() + forgotten);
        first_ = 0;
        return;
    }
    const std::size_t grown = std::min(std::max(2 * capacity, kSmallCapacity / 2), kMaxCapacity);
    entries_.reserve(grown);
    prints_.reserve(grown);
}

void ExpectedTokens::Requests::expire(TimePoint now) {
    // Ordered by end: the entries that ended are a prefix.
    while (first_ < entries_.size() && end_of(entries_[first_]) <= now) {
        ++first_;
    }
    shrink();
}

void ExpectedTokens::Requests::shrink() {
    // A host that slowed down gives its tokens' memory back, half at a time, or all of it.
    const std::size_t capacity = entries_.capacity();
    if (size() == 0 && capacity > kSmallCapacity) {
        clear();
    } else if (size() == 0) {
        entries_.clear();
        prints_.clear();
        first_ = 0;
    } else if (capacity > kSmallCapacity && size() <= capacity / 4) {
        std::vector<Entry> entries;
        std::vector<std::uint8_t> prints;
        entries.reserve(capacity / 2);
        prints.reserve(capacity / 2);
        const auto live = static_cast<std::ptrdiff_t>(first_);
        entries.assign(entries_.begin() + live, entries_.end());
        prints.assign(prints_.begin() + live, prints_.end());
        entries_.swap(entries);
        prints_.swap(prints);
        first_ = 0;
    }
}

void ExpectedTokens::Requests::clear() {
    entries_ = {};
    prints_ = {};
    first_ = 0;
}

}  // namespace atcoap::coap
