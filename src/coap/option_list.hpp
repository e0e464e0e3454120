#pragma once
// The options of a message, in order, held inline up to kInlineCapacity entries: a typical
// request or response decodes without allocating. More options spill to the heap. The
// interface is the part of std::vector<Option> the code uses. Only live entries are
// constructed, moved and destroyed, so an empty list costs nothing to make or move.

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <new>
#include <stdexcept>
#include <vector>

namespace atcoap::coap {

template <class T, std::size_t N>
class InlineVector {
  public:
    using value_type = T;
    using iterator = T*;
    using const_iterator = const T*;

    InlineVector() = default;
    InlineVector(std::initializer_list<T> items) { append(items.begin(), items.end()); }
    InlineVector(const std::vector<T>& items) { append(items.begin(), items.end()); }
    InlineVector(const InlineVector& other) { append(other.begin(), other.end()); }
    InlineVector(InlineVector&& other) noexcept { take(other); }
    InlineVector& operator=(const InlineVector& other) {
        if (this != &other) {
            clear();
            append(other.begin(), other.end());
        }
        return *this;
    }
    InlineVector& operator=(InlineVector&& other) noexcept {
        if (this != &other) {
            clear();
            take(other);
        }
        return *this;
    }
    ~InlineVector() { clear(); }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    T* data() { return spilled_ ? spill_.data() : slots(); }
    const T* data() const { return spilled_ ? spill_.data() : slots(); }
    iterator begin() { return data(); }
    iterator end() { return data() + size_; }
    const_iterator begin() const { return data(); }
    const_iterator end() const { return data() + size_; }
    T& operator[](std::size_t i) { return data()[i]; }
    const T& operator[](std::size_t i) const { return data()[i]; }
    T& at(std::size_t i) { return data()[checked(i)]; }
    const T& at(std::size_t i) const { return data()[checked(i)]; }
    T& front() { return data()[0]; }
    T& back() { return data()[size_ - 1]; }
    const T& front() const { return data()[0]; }
    const T& back() const { return data()[size_ - 1]; }

    void push_back(T item) {
        if (!spilled_ && size_ == N) {
            spill();
        }
        if (spilled_) {
            spill_.push_back(std::move(item));
        } else {
            std::construct_at(slots() + size_, std::move(item));
        }
        ++size_;
    }
    /// Constructs the new last entry in place (no temporary to move from).
    template <class... Args>
    T& emplace_back(Args&&... args) {
        if (!spilled_ && size_ == N) {
            spill();
        }
        T* item = nullptr;
        if (spilled_) {
            item = &spill_.emplace_back(std::forward<Args>(args)...);
        } else {
            item = std::construct_at(slots() + size_, std::forward<Args>(args)...);
        }
        ++size_;
        return *item;
    }
    void pop_back() {
        --size_;
        if (spilled_) {
            spill_.pop_back();
        } else {
            std::destroy_at(slots() + size_);
        }
    }
    void clear() {
        if (spilled_) {
            spill_.clear();
            spilled_ = false;
        } else {
            std::destroy(slots(), slots() + size_);
        }
        size_ = 0;
    }
    void resize(std::size_t count) {
        while (size_ > count) {
            pop_back();
        }
        while (size_ < count) {
            push_back(T{});
        }
    }
    void reserve(std::size_t count) {
        if (count > N && !spilled_) {
            spill();
            spill_.reserve(count);
        }
    }

    friend bool operator==(const InlineVector& a, const InlineVector& b) {
        return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
    }

  private:
    T* slots() { return std::launder(reinterpret_cast<T*>(storage_)); }
    const T* slots() const { return std::launder(reinterpret_cast<const T*>(storage_)); }

    std::size_t checked(std::size_t i) const {
        if (i >= size_) {
            throw std::out_of_range("InlineVector::at");
        }
        return i;
    }

    template <class It>
    void append(It first, It last) {
        for (; first != last; ++first) {
            push_back(*first);
        }
    }

    /// Moves the inline entries to the heap; later entries go there too.
    void spill() {
        spill_.reserve(2 * N);
        for (std::size_t i = 0; i < size_; ++i) {
            spill_.push_back(std::move(slots()[i]));
        }
        std::destroy(slots(), slots() + size_);
        spilled_ = true;
    }

    void take(InlineVector& other) {
        if (other.spilled_) {
            spill_ = std::move(other.spill_);
            spilled_ = true;
        } else {
            for (std::size_t i = 0; i < other.size_; ++i) {
                std::construct_at(slots() + i, std::move(other.slots()[i]));
            }
            std::destroy(other.slots(), other.slots() + other.size_);
        }
        size_ = other.size_;
        other.size_ = 0;
        other.spilled_ = false;
        other.spill_.clear();
    }

    alignas(T) std::byte storage_[N * sizeof(T)];
    std::vector<T> spill_;
    std::size_t size_ = 0;
    bool spilled_ = false;
};

}  // namespace atcoap::coap
