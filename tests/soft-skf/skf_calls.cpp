#include "skf_calls.hpp"

#include <fstream>
#include <iterator>

#include <doctest/doctest.h>

namespace cardbridge::softskf::test {

using namespace skf;

std::vector<std::string> parse_name_list(const char* list, ULONG size) {
    std::vector<std::string> names;
    std::size_t at = 0;
    while (at < size && list[at] != '\0') {
        const std::string name(list + at);
        names.push_back(name);
        at += name.size() + 1;
    }
    return names;
}

std::vector<std::string> enumerate_devices(bool present_only) {
    ULONG size = 0;
    REQUIRE(soft_skf().EnumDev(present_only, nullptr, &size) == SAR_OK);
    std::vector<char> list(size);
    REQUIRE(soft_skf().EnumDev(present_only, list.data(), &size) == SAR_OK);
    REQUIRE(size == list.size());
    return parse_name_list(list.data(), size);
}

std::vector<char> c_text(const std::string& text) {
    std::vector<char> copy(text.begin(), text.end());
    copy.push_back('\0');
    return copy;
}

Opened open_container(const std::string& device, const std::string& application,
                      const std::string& container) {
    Opened opened;
    REQUIRE(soft_skf().ConnectDev(c_text(device).data(), &opened.device) == SAR_OK);
    REQUIRE(soft_skf().OpenApplication(opened.device, c_text(application).data(),
                                       &opened.application) == SAR_OK);
    REQUIRE(soft_skf().OpenContainer(opened.application, c_text(container).data(),
                                     &opened.container) == SAR_OK);
    return opened;
}

void verify_user_pin(HAPPLICATION application, const std::string& pin) {
    ULONG retries = 99;
    REQUIRE(soft_skf().VerifyPIN(application, USER_TYPE, c_text(pin).data(), &retries) == SAR_OK);
}

Bytes export_certificate(HCONTAINER container, bool sign) {
    ULONG size = 0;
    REQUIRE(soft_skf().ExportCertificate(container, sign, nullptr, &size) == SAR_OK);
    Bytes certificate(size);
    REQUIRE(soft_skf().ExportCertificate(container, sign, certificate.data(), &size) == SAR_OK);
    REQUIRE(size == certificate.size());
    return certificate;
}

Bytes read_binary_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace cardbridge::softskf::test
