#pragma once
// The call sequences a host repeats (enumerate, connect, open), with the test failing at the
// first call that does not return SAR_OK.

#include <cstdint>
#include <string>
#include <vector>

#include "skf_host.hpp"

namespace cardbridge::softskf::test {

using Bytes = std::vector<std::uint8_t>;

/// The names in a §4.1 list of `size` bytes.
std::vector<std::string> parse_name_list(const char* list, skf::ULONG size);

/// SKF_EnumDev: size query, then the list.
std::vector<std::string> enumerate_devices(bool present_only = true);

struct Opened {
    skf::DEVHANDLE device = nullptr;
    skf::HAPPLICATION application = nullptr;
    skf::HCONTAINER container = nullptr;
};
/// ConnectDev, OpenApplication, OpenContainer.
Opened open_container(const std::string& device, const std::string& application = "EPORT",
                      const std::string& container = "SIGN");
/// VerifyPIN(USER) with the test PKI's PIN.
void verify_user_pin(skf::HAPPLICATION application, const std::string& pin = "88888888");

Bytes export_certificate(skf::HCONTAINER container, bool sign);
Bytes read_binary_file(const std::string& path);

/// A mutable NUL-terminated copy, for the char* parameters of the C API.
std::vector<char> c_text(const std::string& text);

}  // namespace cardbridge::softskf::test
