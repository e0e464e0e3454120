#include "at/framer_prompt.hpp"

#include <algorithm>

namespace atcoap::at {
namespace {

// A phase's payload is reserved up front up to this size; longer ones grow as bytes come.
constexpr std::size_t kReserveLimit = 64 * 1024;

void echo_bytes(ByteView bytes, Bytes* echo) {
    if (echo != nullptr) {
        echo->insert(echo->end(), bytes.begin(), bytes.end());
    }
}

}  // namespace

void PromptReader::expect_exact(std::size_t length) {
    until_ctrl_z_ = false;
    length_ = length;
    overflowed_ = false;
    payload_.clear();
    payload_.reserve(std::min(length, kReserveLimit));
}

void PromptReader::expect_until_ctrl_z(std::size_t max_length) {
    until_ctrl_z_ = true;
    length_ = max_length;
    overflowed_ = false;
    payload_.clear();
    payload_.reserve(std::min(max_length, kReserveLimit));
}

std::optional<FramerEvent> PromptReader::next(FramerInput& input, Bytes* echo) {
    return until_ctrl_z_ ? next_until_ctrl_z(input, echo) : next_exact(input, echo);
}

std::optional<FramerEvent> PromptReader::next_exact(FramerInput& input, Bytes* echo) {
    const ByteView unread = input.unread();
    const std::size_t take = std::min(length_ - payload_.size(), unread.size());
    echo_bytes(unread.first(take), echo);
    payload_.insert(payload_.end(), unread.begin(),
                    unread.begin() + static_cast<std::ptrdiff_t>(take));
    input.consume(take);
    if (payload_.size() < length_) {
        return std::nullopt;
    }
    return finish_with_payload();
}

std::optional<FramerEvent> PromptReader::next_until_ctrl_z(FramerInput& input, Bytes* echo) {
    const ByteView unread = input.unread();
    const auto end = std::find_if(unread.begin(), unread.end(),
                                  [](std::uint8_t b) { return b == kCtrlZ || b == kEscape; });
    const auto data = static_cast<std::size_t>(end - unread.begin());
    // Bytes past the maximum are echoed too: the module echoes what it receives, and only
    // the Ctrl+Z tells it the payload was too long.
    echo_bytes(unread.first(data), echo);
    // Bytes past the maximum are counted, not kept: memory stays bounded (docs/DIALECT.md §7).
    const std::size_t room = length_ - payload_.size();
    if (data > room) {
        overflowed_ = true;
    }
    const auto kept = static_cast<std::ptrdiff_t>(std::min(data, room));
    payload_.insert(payload_.end(), unread.begin(), unread.begin() + kept);
    if (end == unread.end()) {
        input.consume(data);
        return std::nullopt;
    }
    const std::uint8_t terminator = *end;
    input.consume(data + 1);
    if (terminator == kEscape) {
        payload_.clear();
        return PromptCancelled{};
    }
    if (overflowed_) {
        payload_.clear();
        return PromptOverflow{};
    }
    return finish_with_payload();
}

FramerEvent PromptReader::finish_with_payload() {
    PromptData event{std::move(payload_)};
    payload_.clear();
    return event;
}

}  // namespace atcoap::at
