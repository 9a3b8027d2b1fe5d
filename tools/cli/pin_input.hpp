#pragma once
// Reading the PIN for `verify-pin`: from the terminal with echo off, or one line of stdin when
// it is not a terminal (scripts, tests). The text is wiped when it goes.

#include <string>
#include <string_view>

namespace cardbridge::cli {

class TypedPin {
public:
    /// PIV PINs are 6 to 8 digits; other cards allow more, the daemon checks the format.
    static constexpr std::size_t kMaxBytes = 64;

    TypedPin() { text_.reserve(kMaxBytes + 1); }  // no reallocation leaves copies behind
    ~TypedPin();
    TypedPin(const TypedPin&) = delete;
    TypedPin& operator=(const TypedPin&) = delete;

    const std::string& text() const noexcept { return text_; }

private:
    friend void read_pin(TypedPin& pin, std::string_view prompt);
    std::string text_;
};

/// Shows `prompt` on stderr when stdin is a terminal and reads the PIN with echo off (Ctrl-C or
/// Ctrl-D gives Error(PIN_CANCELLED); the terminal is restored either way); otherwise reads one
/// line of stdin. Throws Error(PIN_FORMAT) for an empty PIN or one over kMaxBytes, and
/// Error(PIN_CANCELLED) when stdin ends before anything was read.
void read_pin(TypedPin& pin, std::string_view prompt);

}  // namespace cardbridge::cli
