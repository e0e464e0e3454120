#include "coap/expected_tokens.hpp"

#include <algorithm>
#include <optional>

#include "coap/options.hpp"
#include "coap/values.hpp"

namespace atcoap::coap {

namespace {

/// The Observe value of a request, when it carries one that decodes (RFC 7641 §2).
std::optional<std::uint32_t> observe_value(const Message& message) {
    const auto it = std::find_if(message.options.begin(), message.options.end(),
                                 [](const Option& o) { return o.number == option::kObserve; });
    if (it == message.options.end()) {
        return std::nullopt;
    }
    return decode_uint(it->value);
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
    const auto known = std::find(observations_.begin(), observations_.end(), key);
    if (observe == 0u && known == observations_.end()) {
        observations_.push_back(key);
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
    return (it != requests_.end() && now < it->second) || observing(token);
}

bool ExpectedTokens::observing(const Token& token) const {
    return std::find(observations_.begin(), observations_.end(), key_of(token)) !=
           observations_.end();
}

void ExpectedTokens::expire(TimePoint now) {
    std::erase_if(requests_, [now](const auto& entry) { return entry.second <= now; });
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
