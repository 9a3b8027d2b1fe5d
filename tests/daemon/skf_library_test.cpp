// The SKF back-end's pieces that need no device: loading a module (and refusing what is not
// one), reading the standard's name lists as real modules write them, SAR codes as errors, and
// DEVINFO's text fields.
#include <dlfcn.h>
#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <cstring>
#include <fstream>

#include "../unit/expect_error.hpp"
#include "skf_fixture.hpp"
#include "tokens/skf/skf_device_info.hpp"
#include "tokens/skf/skf_error.hpp"
#include "tokens/skf/skf_library.hpp"
#include "tokens/skf/skf_names.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
namespace abi = cardbridge::skf;

namespace {

// An SKF_Enum* function that answers `list` (its size reported as `reported`).
EnumerateNames module_listing(std::string list, abi::ULONG reported, int* calls = nullptr) {
    return [list, reported, calls](char* buffer, abi::ULONG* size) {
        if (calls) ++*calls;
        if (buffer == nullptr) {
            *size = reported;
            return abi::SAR_OK;
        }
        const std::size_t n = std::min<std::size_t>(*size, list.size());
        std::memcpy(buffer, list.data(), n);
        *size = static_cast<abi::ULONG>(n);
        return abi::SAR_OK;
    };
}

std::vector<std::string> names(const EnumerateNames& enumerate) {
    return read_name_list("SKF_EnumContainer", enumerate, 64);
}

}  // namespace

TEST_CASE("skf: a path that is not a usable SKF module is refused with a message naming it") {
    const test::TempDir dir;
    SUBCASE("no such file") {
        const Error e = error_of([] { SkfLibrary::load("/nonexistent/libvendor-skf.so"); });
        CHECK(e.reason() == Reason::NOT_SUPPORTED);
        CHECK(std::string(e.what()).find("/nonexistent/libvendor-skf.so") != std::string::npos);
    }
    SUBCASE("not a shared object") {
        const auto text = dir.path() / "libfake.so";
        std::ofstream(text) << "not ELF\n";
        const Error e = error_of([&] { SkfLibrary::load(text.string()); });
        CHECK(e.reason() == Reason::NOT_SUPPORTED);
        CHECK(std::string(e.what()).find("cannot load the SKF library") != std::string::npos);
    }
    SUBCASE("a shared object without the SKF functions") {
        Dl_info info{};
        REQUIRE(dladdr(reinterpret_cast<void*>(&EVP_sha256), &info) != 0);
        const Error e = error_of([&] { SkfLibrary::load(info.dli_fname); });
        CHECK(e.reason() == Reason::NOT_SUPPORTED);
        CHECK(std::string(e.what()).find("lacks SKF_EnumDev, SKF_ConnectDev") != std::string::npos);
    }
    SUBCASE("a relative path, which dlopen would look up elsewhere") {
        CHECK(reason_of_call([] { SkfLibrary::load("libcardbridge-soft-skf.so"); }) ==
              Reason::NOT_SUPPORTED);
    }
    SUBCASE("the software module loads, its optional functions resolved too") {
        const auto library = SkfLibrary::load(test::soft_skf_library());
        CHECK(library->file_name() == "libcardbridge-soft-skf.so");
        CHECK(library->has<&SkfFunctions::WaitForDevEvent>());
        CHECK(library->has<&SkfFunctions::GetPINInfo>());
    }
}

TEST_CASE("skf: name lists are read as modules really write them") {
    CHECK(names(module_listing(std::string("EPORT\0SIGN\0\0", 12), 12)) ==
          std::vector<std::string>{"EPORT", "SIGN"});
    SUBCASE("no final double NUL") {
        CHECK(names(module_listing(std::string("a\0bc", 4), 4)) ==
              std::vector<std::string>{"a", "bc"});
    }
    SUBCASE("a size query that over-estimates") {
        CHECK(names(module_listing(std::string("one\0\0", 5), 32 * 1 + 2)) ==
              std::vector<std::string>{"one"});
    }
    SUBCASE("an empty list reported as size 0, 1 or 2") {
        int calls = 0;
        CHECK(names(module_listing("", 0, &calls)).empty());
        CHECK(calls == 1);  // nothing to read after a size of 0
        CHECK(names(module_listing(std::string("\0", 1), 1)).empty());
        CHECK(names(module_listing(std::string("\0\0", 2), 2)).empty());
    }
    SUBCASE("a list that grew after the query is read again, once") {
        int calls = 0;
        const EnumerateNames growing = [&calls](char* buffer, abi::ULONG* size) {
            ++calls;
            const std::string list("first\0second\0\0", 14);
            if (buffer == nullptr || *size < list.size()) {
                *size = buffer == nullptr ? 7 : static_cast<abi::ULONG>(list.size());
                return buffer == nullptr ? abi::SAR_OK : abi::SAR_BUFFER_TOO_SMALL;
            }
            std::memcpy(buffer, list.data(), list.size());
            *size = static_cast<abi::ULONG>(list.size());
            return abi::SAR_OK;
        };
        CHECK(names(growing) == std::vector<std::string>{"first", "second"});
        CHECK(calls == 3);
        const EnumerateNames always_short = [](char*, abi::ULONG* size) {
            *size = 10;
            return abi::SAR_BUFFER_TOO_SMALL;
        };
        CHECK(reason_of_call([&] { names(always_short); }) == Reason::CARD_ERROR);
    }
    SUBCASE("caps: 64 KiB, 64 names, names of 64 bytes") {
        CHECK(reason_of_call([] { names(module_listing("x", 64 * 1024 + 1)); }) ==
              Reason::CARD_ERROR);
        std::string many;
        for (int i = 0; i < 100; ++i) many += "n" + std::to_string(i) + '\0';
        CHECK(names(module_listing(many, static_cast<abi::ULONG>(many.size()))).size() == 64);
        const std::string list = std::string(65, 'L') + '\0' + "ok" + '\0';
        CHECK(names(module_listing(list, static_cast<abi::ULONG>(list.size()))) ==
              std::vector<std::string>{"ok"});
    }
    SUBCASE("a module failure names the call") {
        const EnumerateNames failing = [](char*, abi::ULONG*) { return abi::SAR_FAIL; };
        const Error e = error_of([&] { names(failing); });
        CHECK(e.reason() == Reason::CARD_ERROR);
        CHECK(std::string(e.what()) == "SKF_EnumContainer: the module failed (0x0A000001)");
    }
}

TEST_CASE("skf: SAR codes become the reasons a user is told") {
    const Error wrong = skf_error("SKF_VerifyPIN", abi::SAR_PIN_INCORRECT, 2);
    CHECK(wrong.reason() == Reason::PIN_INCORRECT);
    CHECK(wrong.retries_left() == 2);
    const Error last = skf_error("SKF_VerifyPIN", abi::SAR_PIN_INCORRECT, 0);
    CHECK(last.reason() == Reason::PIN_BLOCKED);
    CHECK(last.retries_left() == 0);
    CHECK(skf_error("SKF_VerifyPIN", abi::SAR_PIN_LOCKED).retries_left() == 0);
    CHECK(skf_error("SKF_VerifyPIN", abi::SAR_PIN_INCORRECT, 0xFFFFFFFF).retries_left() ==
          std::nullopt);
    CHECK(skf_reason(abi::SAR_PIN_LEN_RANGE) == Reason::PIN_FORMAT);
    CHECK(skf_reason(abi::SAR_PIN_INVALID) == Reason::PIN_FORMAT);
    CHECK(skf_reason(abi::SAR_USER_NOT_LOGGED_IN) == Reason::NOT_PERMITTED);
    CHECK(skf_reason(abi::SAR_DEVICE_REMOVED) == Reason::CARD_REMOVED);
    CHECK(skf_reason(abi::SAR_NOTSUPPORTYETERR) == Reason::NOT_SUPPORTED);
    const Error vendor = skf_error("SKF_ECCSignData", 0x0B000037);
    CHECK(vendor.reason() == Reason::CARD_ERROR);
    CHECK(std::string(vendor.what()) == "SKF_ECCSignData failed (0x0B000037)");
}

TEST_CASE("skf: DEVINFO's text fields are read by offset, trimmed, and made readable") {
    std::vector<std::uint8_t> info(kDevInfoBufferBytes, 0);
    const auto put = [&](std::size_t offset, std::string_view text) {
        std::memcpy(info.data() + offset, text.data(), text.size());
    };
    put(2, "Longmai");
    put(130, "\xB2\xE2\xCA\xD4 ");  // "测试" in GBK, then a blank
    put(162, "  0123456789ABCDEF");
    const SkfDeviceInfo parsed = parse_device_info(info);
    CHECK(parsed.manufacturer == "Longmai");
    CHECK(parsed.label == "测试");
    CHECK(parsed.serial == "0123456789ABCDEF");
    const std::uint8_t junk[] = {'k', 0xFF, 0x01, 'y'};
    CHECK(device_text(junk) == "k??y");
    CHECK(parse_device_info(std::span(info.data(), 100)).serial.empty());
}
