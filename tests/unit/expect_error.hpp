#pragma once
// Asserting the one error type: the test fails when `f` does not throw cardbridge::Error.

#include <doctest/doctest.h>

#include "cardbridge/protocol/error.hpp"

template <typename F>
cardbridge::Error error_of(F&& f) {
    try {
        f();
    } catch (const cardbridge::Error& e) {
        return e;
    }
    FAIL("no cardbridge::Error was thrown");
    return cardbridge::Error(cardbridge::Reason::INTERNAL, "unreachable");
}

template <typename F>
cardbridge::Reason reason_of_call(F&& f) {
    return error_of(std::forward<F>(f)).reason();
}
