#pragma once
// The one error type of the store and key code: a message that names the file or argument at
// fault. The CLI prints it; the library turns it into a SAR code at its C boundary.

#include <stdexcept>
#include <string>

namespace cardbridge::softskf {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace cardbridge::softskf
