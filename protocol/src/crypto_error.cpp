#include <string>

#include <openssl/err.h>

#include "cardbridge/protocol/crypto.hpp"

namespace cardbridge::crypto {

void throw_openssl_error(Reason reason, std::string_view what) {
    std::string message(what);
    const char* separator = ": ";
    while (unsigned long code = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        message += separator;
        message += text;
        separator = "; ";
    }
    throw Error(reason, message);
}

void discard_openssl_errors() noexcept {
    ERR_clear_error();
}

}  // namespace cardbridge::crypto
