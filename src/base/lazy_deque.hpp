#pragma once
// A std::deque that allocates nothing until its first push_back. libstdc++'s std::deque
// allocates its map and a first 512-byte node when it is constructed, even empty: a queue that
// most objects never use (a fleet modem's dedup history, its host latency's held chunks) would
// cost each of thousands of modems that much (docs/TESTING.md, "Memory per modem").

#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

namespace atcoap {

template <typename T>
class LazyDeque {
  public:
    bool empty() const { return !items_ || items_->empty(); }
    std::size_t size() const { return items_ ? items_->size() : 0; }
    T& front() { return items_->front(); }
    const T& front() const { return items_->front(); }
    void push_back(T item) {
        if (!items_) {
            items_.emplace();
        }
        items_->push_back(std::move(item));
    }
    void pop_front() { items_->pop_front(); }
    /// Empties the queue; what it allocated stays, for the next push_back.
    void clear() {
        if (items_) {
            items_->clear();
        }
    }

  private:
    std::optional<std::deque<T>> items_;
};

}  // namespace atcoap
