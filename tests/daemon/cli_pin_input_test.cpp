#include <doctest/doctest.h>

#include <unistd.h>

#include <string>

#include "cardbridge/protocol/error.hpp"
#include "cli/pin_input.hpp"

using namespace cardbridge;
using namespace cardbridge::cli;

namespace {

// Runs read_pin with `input` as stdin (a pipe, so not a terminal) and gives stdin back after.
std::string pin_from(const std::string& input) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    REQUIRE(::write(fds[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    ::close(fds[1]);
    const int saved = ::dup(STDIN_FILENO);
    ::dup2(fds[0], STDIN_FILENO);
    ::close(fds[0]);
    struct Restore {
        int saved;
        ~Restore() {
            ::dup2(saved, STDIN_FILENO);
            ::close(saved);
        }
    } restore{saved};
    TypedPin pin;
    read_pin(pin, "PIN: ");
    return pin.text();
}

Reason refusal(const std::string& input) {
    try {
        pin_from(input);
    } catch (const Error& e) {
        return e.reason();
    }
    FAIL("the PIN was accepted");
    return Reason::INTERNAL;
}

}  // namespace

TEST_CASE("cli: without a terminal the PIN is the first line of stdin") {
    CHECK(pin_from("123456\n") == "123456");
    CHECK(pin_from("123456\r\nignored\n") == "123456");
    CHECK(pin_from("12345678") == "12345678");  // no newline at the end
}

TEST_CASE("cli: an empty, over-long or absent PIN is refused") {
    CHECK(refusal("\n") == Reason::PIN_FORMAT);
    CHECK(refusal(std::string(TypedPin::kMaxBytes + 1, '1') + "\n") == Reason::PIN_FORMAT);
    CHECK(refusal("") == Reason::PIN_CANCELLED);
}
