#include "coap/expected_tokens.hpp"

#include <algorithm>
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
    requests_[key] = expires;
    if (requests_.size() > kMaxRequests) {
        evict_earliest_request();
        forgotten.request = true;
    }
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
    const auto it = requests_.find(key_of(token));
    return (it != requests_.end() && now < it->second) || observing(token, now);
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
    std::erase_if(requests_, [now](const auto& entry) { return entry.second <= now; });
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

void ExpectedTokens::evict_earliest_request() {
    const auto earliest =
        std::min_element(requests_.begin(), requests_.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    requests_.erase(earliest);
}

}  // namespace atcoap::coap
