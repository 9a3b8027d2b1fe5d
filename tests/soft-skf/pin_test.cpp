// PIN counters as a host and a user see them: counting down, locking, persisting in the store
// across reconnects (and to the CLI), reset by the right PIN, unblocked with the admin PIN.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "skf_calls.hpp"
#include "soft_store.hpp"

using namespace cardbridge::skf;
using namespace cardbridge::softskf::test;

namespace {

ULONG verify(HAPPLICATION application, const std::string& pin, ULONG& retries,
             ULONG type = USER_TYPE) {
    retries = 99;
    return soft_skf().VerifyPIN(application, type, c_text(pin).data(), &retries);
}

struct PinInfo {
    ULONG max = 0;
    ULONG left = 0;
    bool is_default = false;
};

PinInfo pin_info(HAPPLICATION application, ULONG type = USER_TYPE) {
    PinInfo info;
    BoolSlot is_default;
    REQUIRE(soft_skf().GetPINInfo(application, type, &info.max, &info.left, &is_default) == SAR_OK);
    CHECK((is_default.wide >> 32) == 0);  // four bytes written, no more
    info.is_default = is_default.value();
    return info;
}

int cli_retries_left(const SoftStore& store, const std::string& device) {
    const auto shown = nlohmann::json::parse(store.cli({"show", device}).output);
    return shown["applications"]["EPORT"]["userPin"]["retriesLeft"].get<int>();
}

}  // namespace

TEST_CASE("Wrong PINs count down 2 then 1 then lock and the count survives reconnects") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    Opened opened = open_container("key1");
    ULONG retries = 0;
    CHECK(verify(opened.application, "11111111", retries) == SAR_PIN_INCORRECT);
    CHECK(retries == 2);
    CHECK(cli_retries_left(store, "key1") == 2);

    REQUIRE(soft_skf().DisConnectDev(opened.device) == SAR_OK);
    opened = open_container("key1");
    CHECK(pin_info(opened.application).left == 2);
    CHECK(verify(opened.application, "22222222", retries) == SAR_PIN_INCORRECT);
    CHECK(retries == 1);
    CHECK(verify(opened.application, "33333333", retries) == SAR_PIN_LOCKED);
    CHECK(retries == 0);

    REQUIRE(soft_skf().DisConnectDev(opened.device) == SAR_OK);
    opened = open_container("key1");
    const PinInfo info = pin_info(opened.application);
    CHECK(info.max == 3);
    CHECK(info.left == 0);
    // Locked means locked: the right PIN is refused too, and grants nothing.
    CHECK(verify(opened.application, "88888888", retries) == SAR_PIN_LOCKED);
    CHECK(retries == 0);
    CHECK(cli_retries_left(store, "key1") == 0);
    Bytes e(32, 7);
    ECCSIGNATUREBLOB blob{};
    CHECK(soft_skf().ECCSignData(opened.container, e.data(), 32, &blob) == SAR_USER_NOT_LOGGED_IN);
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
}

TEST_CASE("The right PIN resets the counter and grants user rights") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    const Opened opened = open_container("key1");
    ULONG retries = 0;
    CHECK(verify(opened.application, "12121212", retries) == SAR_PIN_INCORRECT);
    CHECK(retries == 2);
    CHECK(verify(opened.application, "88888888", retries) == SAR_OK);
    CHECK(pin_info(opened.application).left == 3);
    CHECK(cli_retries_left(store, "key1") == 3);
    CHECK(pin_info(opened.application).is_default);
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
}

TEST_CASE("A PIN outside 6..16 characters is refused without costing a try") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    const Opened opened = open_container("key1");
    ULONG retries = 0;
    CHECK(verify(opened.application, "12345", retries) == SAR_PIN_LEN_RANGE);
    CHECK(verify(opened.application, std::string(17, '1'), retries) == SAR_PIN_LEN_RANGE);
    CHECK(verify(opened.application, "", retries) == SAR_PIN_LEN_RANGE);
    CHECK(pin_info(opened.application).left == 3);
    CHECK(verify(opened.application, "88888888", retries, 2) == SAR_INVALIDPARAMERR);
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
}

TEST_CASE("ChangePIN and UnblockPIN follow the same rules") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    const Opened opened = open_container("key1");
    ULONG retries = 0;
    CHECK(soft_skf().ChangePIN(opened.application, USER_TYPE, c_text("00000000").data(),
                               c_text("13572468").data(), &retries) == SAR_PIN_INCORRECT);
    CHECK(retries == 2);
    CHECK(soft_skf().ChangePIN(opened.application, USER_TYPE, c_text("88888888").data(),
                               c_text("123").data(), &retries) == SAR_PIN_LEN_RANGE);
    REQUIRE(soft_skf().ChangePIN(opened.application, USER_TYPE, c_text("88888888").data(),
                                 c_text("13572468").data(), &retries) == SAR_OK);
    CHECK_FALSE(pin_info(opened.application).is_default);
    CHECK(verify(opened.application, "88888888", retries) == SAR_PIN_INCORRECT);
    CHECK(verify(opened.application, "13572468", retries) == SAR_OK);

    // Lock the user PIN, then unblock it with the admin PIN.
    for (ULONG expected : {2u, 1u}) {
        CHECK(verify(opened.application, "99999999", retries) == SAR_PIN_INCORRECT);
        CHECK(retries == expected);
    }
    CHECK(verify(opened.application, "99999999", retries) == SAR_PIN_LOCKED);
    CHECK(soft_skf().UnblockPIN(opened.application, c_text("00000000").data(),
                                c_text("24681357").data(), &retries) == SAR_PIN_INCORRECT);
    CHECK(retries == 2);  // the admin PIN's tries
    CHECK(pin_info(opened.application, ADMIN_TYPE).left == 2);
    REQUIRE(soft_skf().UnblockPIN(opened.application, c_text("12345678").data(),
                                  c_text("24681357").data(), &retries) == SAR_OK);
    CHECK(pin_info(opened.application, ADMIN_TYPE).left == 3);
    CHECK(pin_info(opened.application).left == 3);
    CHECK(verify(opened.application, "24681357", retries) == SAR_OK);
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
}
