#pragma once
// A small value-or-error type: g++ 12 has no std::expected. Errors inside the core are values
// (docs/ARCHITECTURE.md), never exceptions across modules.

#include <cassert>
#include <utility>
#include <variant>

namespace atcoap {

template <class E>
struct Failure {
    E error;
};

/// Wraps an error so that it converts into any Result<T, E>, also when T and E are one type.
template <class E>
Failure<E> fail(E error) {
    return Failure<E>{std::move(error)};
}

template <class T, class E>
class [[nodiscard]] Result {
  public:
    Result(T&& value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(const T& value) : state_(std::in_place_index<0>, value) {}
    Result(Failure<E> failure) : state_(std::in_place_index<1>, std::move(failure.error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(state_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(state_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(state_));
    }
    const E& error() const {
        assert(!ok());
        return std::get<1>(state_);
    }

    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

  private:
    std::variant<T, E> state_;
};

/// The outcome of an operation that yields nothing but may fail.
struct Done {};
template <class E>
using Status = Result<Done, E>;

}  // namespace atcoap
