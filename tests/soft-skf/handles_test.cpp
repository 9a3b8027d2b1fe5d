// Handles and pointers a buggy host might pass: each is refused with a code, none crashes.

#include <doctest/doctest.h>

#include "skf_calls.hpp"
#include "soft_store.hpp"

using namespace cardbridge::skf;
using namespace cardbridge::softskf::test;

TEST_CASE("Unknown and closed and mistyped handles are SAR_INVALIDHANDLEERR") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    const Opened opened = open_container("key1");
    int not_a_handle = 0;
    const std::vector<void*> foreign = {nullptr, &not_a_handle,
                                        reinterpret_cast<void*>(std::uintptr_t{0xdeadbeef})};
    DEVINFO info{};
    ULONG size = 0;
    ULONG value = 0;
    BoolSlot flag;
    Bytes e(32, 1);
    ECCSIGNATUREBLOB blob{};
    for (void* handle : foreign) {
        CHECK(soft_skf().GetDevInfo(handle, &info) == SAR_INVALIDHANDLEERR);
        CHECK(soft_skf().EnumApplication(handle, nullptr, &size) == SAR_INVALIDHANDLEERR);
        CHECK(soft_skf().GetPINInfo(handle, USER_TYPE, &value, &value, &flag) ==
              SAR_INVALIDHANDLEERR);
        CHECK(soft_skf().EnumContainer(handle, nullptr, &size) == SAR_INVALIDHANDLEERR);
        CHECK(soft_skf().ECCSignData(handle, e.data(), 32, &blob) == SAR_INVALIDHANDLEERR);
        CHECK(soft_skf().DisConnectDev(handle) == SAR_INVALIDHANDLEERR);
        CHECK(soft_skf().CloseContainer(handle) == SAR_INVALIDHANDLEERR);
    }
    // The right kind of object matters, not just a live one.
    CHECK(soft_skf().GetDevInfo(opened.application, &info) == SAR_INVALIDHANDLEERR);
    CHECK(soft_skf().EnumContainer(opened.device, nullptr, &size) == SAR_INVALIDHANDLEERR);
    CHECK(soft_skf().ECCSignData(opened.application, e.data(), 32, &blob) == SAR_INVALIDHANDLEERR);
    CHECK(soft_skf().GetContainerType(opened.device, &value) == SAR_INVALIDHANDLEERR);

    // Closing the device closes what was opened through it; closing twice is refused.
    REQUIRE(soft_skf().DisConnectDev(opened.device) == SAR_OK);
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_INVALIDHANDLEERR);
    CHECK(soft_skf().CloseApplication(opened.application) == SAR_INVALIDHANDLEERR);
    CHECK(soft_skf().GetContainerType(opened.container, &value) == SAR_INVALIDHANDLEERR);
}

TEST_CASE("Null pointers are SAR_INVALIDPARAMERR and over-long names SAR_NAMELENERR") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    const Opened opened = open_container("key1");
    ULONG value = 0;
    BoolSlot flag;
    Bytes e(32, 1);
    CHECK(soft_skf().EnumDev(1, nullptr, nullptr) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().ConnectDev(nullptr, nullptr) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().GetDevState(nullptr, &value) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().GetDevInfo(opened.device, nullptr) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().WaitForDevEvent(nullptr, &value, &value) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().EnumApplication(opened.device, nullptr, nullptr) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().OpenApplication(opened.device, nullptr, nullptr) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().GetPINInfo(opened.application, USER_TYPE, nullptr, &value, &flag) ==
          SAR_INVALIDPARAMERR);
    CHECK(soft_skf().VerifyPIN(opened.application, USER_TYPE, nullptr, &value) ==
          SAR_INVALIDPARAMERR);
    CHECK(soft_skf().ChangePIN(opened.application, USER_TYPE, nullptr, nullptr, &value) ==
          SAR_INVALIDPARAMERR);
    CHECK(soft_skf().UnblockPIN(opened.application, nullptr, nullptr, &value) ==
          SAR_INVALIDPARAMERR);
    CHECK(soft_skf().OpenContainer(opened.application, nullptr, nullptr) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().GetContainerType(opened.container, nullptr) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().ExportCertificate(opened.container, 1, nullptr, nullptr) ==
          SAR_INVALIDPARAMERR);
    CHECK(soft_skf().ExportPublicKey(opened.container, 1, nullptr, nullptr) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().ECCSignData(opened.container, nullptr, 32, nullptr) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().RSASignData(opened.container, nullptr, 0, nullptr, nullptr) ==
          SAR_INVALIDPARAMERR);
    CHECK(soft_skf().GenRandom(opened.device, nullptr, 8) == SAR_INVALIDPARAMERR);

    const std::string long_name(65, 'A');
    DEVHANDLE device = nullptr;
    HAPPLICATION application = nullptr;
    HCONTAINER container = nullptr;
    CHECK(soft_skf().ConnectDev(c_text(long_name).data(), &device) == SAR_NAMELENERR);
    CHECK(soft_skf().OpenApplication(opened.device, c_text(long_name).data(), &application) ==
          SAR_NAMELENERR);
    CHECK(soft_skf().OpenContainer(opened.application, c_text(long_name).data(), &container) ==
          SAR_NAMELENERR);
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
}
