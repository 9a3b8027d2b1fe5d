// SKF_EnumDev and SKF_GetDevState as a host's enumeration uses them (skf-notes.md §1.1, §4.1).

#include <cstdlib>
#include <cstring>

#include <doctest/doctest.h>

#include "skf_calls.hpp"
#include "soft_store.hpp"

using namespace cardbridge::skf;
using namespace cardbridge::softskf::test;

TEST_CASE("EnumDev lists no device without a store as the two-NUL empty list") {
    ::unsetenv("CARDBRIDGE_SOFT_SKF_STORE");
    ULONG size = 0;
    REQUIRE(soft_skf().EnumDev(1, nullptr, &size) == SAR_OK);
    CHECK(size == 2);
    char list[8];
    std::memset(list, 'x', sizeof list);
    size = sizeof list;
    REQUIRE(soft_skf().EnumDev(1, list, &size) == SAR_OK);
    CHECK(size == 2);
    CHECK(list[0] == '\0');
    CHECK(list[1] == '\0');
    CHECK(list[2] == 'x');

    ::setenv("CARDBRIDGE_SOFT_SKF_STORE", "/nonexistent/soft-skf-store", 1);
    CHECK(enumerate_devices().empty());
    ::unsetenv("CARDBRIDGE_SOFT_SKF_STORE");

    const SoftStore store;  // exists, holds nothing
    CHECK(enumerate_devices().empty());
}

TEST_CASE("EnumDev lists one and then two devices with the exact size") {
    const SoftStore store;
    store.add_device("beta", "trade-legal-sm2");
    ULONG size = 0;
    REQUIRE(soft_skf().EnumDev(1, nullptr, &size) == SAR_OK);
    CHECK(size == std::strlen("beta") + 2);
    CHECK(enumerate_devices() == std::vector<std::string>{"beta"});

    store.add_device("alpha", "trade-operator-sm2");
    REQUIRE(soft_skf().EnumDev(1, nullptr, &size) == SAR_OK);
    CHECK(size == 12);  // "alpha\0beta\0\0"
    std::vector<char> list(size);
    REQUIRE(soft_skf().EnumDev(1, list.data(), &size) == SAR_OK);
    CHECK(std::memcmp(list.data(), "alpha\0beta\0\0", 12) == 0);
}

TEST_CASE("EnumDev refuses a short buffer with the size it needs and writes nothing") {
    const SoftStore store;
    store.create("alpha");
    store.create("beta");
    char list[11];
    std::memset(list, 'x', sizeof list);
    ULONG size = sizeof list;
    CHECK(soft_skf().EnumDev(1, list, &size) == SAR_BUFFER_TOO_SMALL);
    CHECK(size == 12);
    CHECK(list[0] == 'x');
}

TEST_CASE("EnumDev writes exactly four bytes to pulSize as the 64-bit ULONG probe expects") {
    const SoftStore store;
    store.create("alpha");
    std::uint64_t probe = 0xA5A5A5A5A5A5A5A5ULL;
    REQUIRE(soft_skf().EnumDev(1, nullptr, reinterpret_cast<ULONG*>(&probe)) == SAR_OK);
    CHECK((probe >> 32) == 0xA5A5A5A5ULL);
    CHECK((probe & 0xFFFFFFFFULL) == 7);  // "alpha\0\0"
}

TEST_CASE("EnumDev with bPresent FALSE lists absent devices too and reads only the low 32 bits") {
    const SoftStore store;
    store.create("alpha");
    store.create("beta");
    store.unplug("beta");
    CHECK(enumerate_devices(true) == std::vector<std::string>{"alpha"});
    CHECK(enumerate_devices(false) == std::vector<std::string>{"alpha", "beta"});

    // A 4-byte FALSE with junk above it, as a careless 64-bit caller might pass.
    ULONG size = 0;
    REQUIRE(soft_skf().EnumDev(0xFFFFFFFF00000000UL, nullptr, &size) == SAR_OK);
    CHECK(size == 12);
}

TEST_CASE("GetDevState tells present and unplugged and unknown devices apart") {
    const SoftStore store;
    store.create("alpha");
    store.create("beta");
    store.unplug("beta");
    ULONG state = 99;
    REQUIRE(soft_skf().GetDevState(c_text("alpha").data(), &state) == SAR_OK);
    CHECK(state == DEV_PRESENT_STATE);
    REQUIRE(soft_skf().GetDevState(c_text("beta").data(), &state) == SAR_OK);
    CHECK(state == DEV_ABSENT_STATE);
    REQUIRE(soft_skf().GetDevState(c_text("nobody").data(), &state) == SAR_OK);
    CHECK(state == DEV_ABSENT_STATE);
    REQUIRE(soft_skf().GetDevState(c_text("../alpha").data(), &state) == SAR_OK);
    CHECK(state == DEV_ABSENT_STATE);
    CHECK(soft_skf().GetDevState(c_text(std::string(65, 'a')).data(), &state) == SAR_NAMELENERR);

    DEVHANDLE device = nullptr;
    CHECK(soft_skf().ConnectDev(c_text("beta").data(), &device) == SAR_DEVICE_REMOVED);
    CHECK(soft_skf().ConnectDev(c_text("nobody").data(), &device) == SAR_DEVICE_REMOVED);
}

TEST_CASE("A broken device file hides only that device") {
    const SoftStore store;
    store.create("alpha");
    {
        std::FILE* file = std::fopen((store.path() / "broken.json").c_str(), "w");
        REQUIRE(file != nullptr);
        std::fputs("{\"name\": \"broken\", \"present\": tr", file);
        std::fclose(file);
    }
    CHECK(enumerate_devices() == std::vector<std::string>{"alpha"});
    DEVHANDLE device = nullptr;
    CHECK(soft_skf().ConnectDev(c_text("broken").data(), &device) == SAR_FILEERR);
    const auto listed = store.cli({"list"});
    CHECK(listed.output.find("alpha present") != std::string::npos);
    CHECK(listed.output.find("broken broken") != std::string::npos);
}
