#pragma once
// An option's value bytes, held inline up to kInlineCapacity bytes. Nearly every option value
// (Uri-Path segments, Content-Format, ETag, Observe, Block) is that short, so decoding a
// message makes no allocation per option; longer values (Proxy-Uri, up to 65804 bytes) go to
// the heap. The interface is the part of std::vector<std::uint8_t> the code uses.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <stdexcept>

#include "base/bytes.hpp"

namespace atcoap::coap {

class OptionValue {
  public:
    static constexpr std::size_t kInlineCapacity = 20;
    using value_type = std::uint8_t;
    using iterator = std::uint8_t*;
    using const_iterator = const std::uint8_t*;

    OptionValue() = default;
    OptionValue(ByteView bytes) { assign_from(bytes); }
    OptionValue(const Bytes& bytes) { assign_from(bytes); }
    OptionValue(std::initializer_list<std::uint8_t> bytes) { assign(bytes.begin(), bytes.end()); }
    template <class It>
    OptionValue(It first, It last) {
        assign(first, last);
    }

    OptionValue(const OptionValue& other) { assign_from(other); }
    OptionValue& operator=(const OptionValue& other) {
        if (this != &other) {
            assign(other.begin(), other.end());
        }
        return *this;
    }
    OptionValue(OptionValue&& other) noexcept { take(other); }
    OptionValue& operator=(OptionValue&& other) noexcept {
        if (this != &other) {
            take(other);
        }
        return *this;
    }
    ~OptionValue() = default;

    template <class It>
    void assign(It first, It last) {
        const auto count = static_cast<std::size_t>(std::distance(first, last));
        // Copy before releasing the old storage: the source may be this value's own bytes.
        if (count <= kInlineCapacity) {
            std::uint8_t staged[kInlineCapacity];
            std::copy(first, last, staged);
            heap_.reset();
            copy_small(staged, count, inline_);
        } else {
            auto block = std::make_unique_for_overwrite<std::uint8_t[]>(count);
            std::copy(first, last, block.get());
            heap_ = std::move(block);
        }
        size_ = count;
    }

    /// Sets the value from bytes outside this value, as decode does for every option: no
    /// staging copy, and a plain loop for the short inline case (cheaper than a memcpy call).
    void assign_from(ByteView bytes) {
        if (bytes.size() <= kInlineCapacity) {
            heap_.reset();
            copy_small(bytes.data(), bytes.size(), inline_);
        } else {
            heap_ = std::make_unique_for_overwrite<std::uint8_t[]>(bytes.size());
            std::memcpy(heap_.get(), bytes.data(), bytes.size());
        }
        size_ = bytes.size();
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::uint8_t* data() { return heap_ ? heap_.get() : inline_; }
    const std::uint8_t* data() const { return heap_ ? heap_.get() : inline_; }
    iterator begin() { return data(); }
    iterator end() { return data() + size_; }
    const_iterator begin() const { return data(); }
    const_iterator end() const { return data() + size_; }
    std::uint8_t operator[](std::size_t i) const { return data()[i]; }
    std::uint8_t& operator[](std::size_t i) { return data()[i]; }
    std::uint8_t at(std::size_t i) const {
        if (i >= size_) {
            throw std::out_of_range("OptionValue::at");
        }
        return data()[i];
    }
    void push_back(std::uint8_t byte) {
        Bytes grown(begin(), end());
        grown.push_back(byte);
        assign(grown.begin(), grown.end());
    }
    void pop_back() { --size_; }

    operator ByteView() const { return {data(), size_}; }
    Bytes to_bytes() const { return {begin(), end()}; }

    friend bool operator==(const OptionValue& a, const OptionValue& b) {
        return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
    }
    friend bool operator==(const OptionValue& a, const Bytes& b) {
        return a.size_ == b.size() && std::equal(a.begin(), a.end(), b.begin());
    }

  private:
    static void copy_small(const std::uint8_t* from, std::size_t count, std::uint8_t* to) {
        for (std::size_t i = 0; i < count; ++i) {
            to[i] = from[i];
        }
    }

    void take(OptionValue& other) {
        heap_ = std::move(other.heap_);
        if (!heap_) {
            copy_small(other.inline_, other.size_, inline_);
        }
        size_ = other.size_;
        other.size_ = 0;
    }

    std::unique_ptr<std::uint8_t[]> heap_;
    std::size_t size_ = 0;
    std::uint8_t inline_[kInlineCapacity];  // only the first size_ bytes are ever read
};

}  // namespace atcoap::coap
