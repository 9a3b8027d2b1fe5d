// What a host reads from a connected device: DEVINFO, applications, containers, certificates
// and public keys, checked against the test PKI files that were imported.

#include <cstring>

#include <doctest/doctest.h>
#include <openssl/core_names.h>
#include <openssl/x509.h>

#include "cardbridge/protocol/crypto.hpp"
#include "skf_calls.hpp"
#include "soft_store.hpp"

using namespace cardbridge;
using namespace cardbridge::skf;
using namespace cardbridge::softskf::test;

namespace {

crypto::X509Ptr parse_certificate(const Bytes& der) {
    const unsigned char* cursor = der.data();
    crypto::X509Ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    REQUIRE(certificate != nullptr);
    return certificate;
}

Bytes public_point(const X509& certificate) {
    std::uint8_t point[65];
    std::size_t size = 0;
    REQUIRE(EVP_PKEY_get_octet_string_param(X509_get0_pubkey(&certificate),
                                            OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof point,
                                            &size) == 1);
    return Bytes(point, point + size);
}

}  // namespace

TEST_CASE("GetDevInfo fills DEVINFO from the device file") {
    const SoftStore store;
    store.cli({"create", "key1", "--serial", "SN-0042", "--label", "E-Port key"});
    DEVHANDLE device = nullptr;
    REQUIRE(soft_skf().ConnectDev(c_text("key1").data(), &device) == SAR_OK);
    // A pack(1) DEVINFO is 294 bytes; the rest of the buffer must stay untouched.
    std::uint8_t buffer[512];
    std::memset(buffer, 0xEE, sizeof buffer);
    REQUIRE(soft_skf().GetDevInfo(device, reinterpret_cast<DEVINFO*>(buffer)) == SAR_OK);
    CHECK(buffer[sizeof(DEVINFO)] == 0xEE);
    DEVINFO info;
    std::memcpy(&info, buffer, sizeof info);
    // Fields of a pack(1) struct are copied (ULONG{…}) before doctest binds references to them.
    CHECK(info.Version.major == 1);
    CHECK(info.Version.minor == 0);
    CHECK(std::string(info.Manufacturer) == "cardbridge soft-skf (TEST ONLY)");
    CHECK(std::string(info.Label) == "E-Port key");
    CHECK(std::string(info.SerialNumber) == "SN-0042");
    CHECK(std::strlen(info.Issuer) < sizeof info.Issuer);
    CHECK(ULONG{info.AlgAsymCap} == (SGD_SM2_1 | SGD_RSA));
    CHECK(ULONG{info.AlgHashCap} == (SGD_SM3 | SGD_SHA1 | SGD_SHA256));
    // AlgAsymCap at offset 202 is what a host parsing by offset (skf-notes.md §6.3) reads.
    ULONG at_offset = 0;
    std::memcpy(&at_offset, buffer + 202, sizeof at_offset);
    CHECK(at_offset == (SGD_SM2_1 | SGD_RSA));
    CHECK(soft_skf().LockDev(device, 0xFFFFFFFF) == SAR_OK);
    CHECK(soft_skf().UnlockDev(device) == SAR_OK);
    std::uint8_t random[32] = {};
    CHECK(soft_skf().GenRandom(device, random, sizeof random) == SAR_OK);
    CHECK(soft_skf().DisConnectDev(device) == SAR_OK);
}

TEST_CASE("EnumApplication and EnumContainer list what the store holds") {
    const SoftStore store;
    store.create("key1");
    store.import_card("key1", "LEGAL", "trade-legal-sm2");
    store.import_card("key1", "OPERATOR", "trade-operator-sm2", false);
    DEVHANDLE device = nullptr;
    REQUIRE(soft_skf().ConnectDev(c_text("key1").data(), &device) == SAR_OK);

    ULONG size = 0;
    REQUIRE(soft_skf().EnumApplication(device, nullptr, &size) == SAR_OK);
    CHECK(size == std::strlen("EPORT") + 2);
    std::vector<char> list(size);
    REQUIRE(soft_skf().EnumApplication(device, list.data(), &size) == SAR_OK);
    CHECK(parse_name_list(list.data(), size) == std::vector<std::string>{"EPORT"});

    HAPPLICATION application = nullptr;
    CHECK(soft_skf().OpenApplication(device, c_text("NOPE").data(), &application) ==
          SAR_APPLICATION_NOT_EXISTS);
    REQUIRE(soft_skf().OpenApplication(device, c_text("EPORT").data(), &application) == SAR_OK);
    REQUIRE(soft_skf().EnumContainer(application, nullptr, &size) == SAR_OK);
    CHECK(size == std::strlen("LEGAL") + std::strlen("OPERATOR") + 3);
    list.assign(size, 'x');
    ULONG short_size = size - 1;
    CHECK(soft_skf().EnumContainer(application, list.data(), &short_size) == SAR_BUFFER_TOO_SMALL);
    CHECK(short_size == size);
    REQUIRE(soft_skf().EnumContainer(application, list.data(), &size) == SAR_OK);
    CHECK(parse_name_list(list.data(), size) == std::vector<std::string>{"LEGAL", "OPERATOR"});

    HCONTAINER container = nullptr;
    CHECK(soft_skf().OpenContainer(application, c_text("NOPE").data(), &container) ==
          SAR_FILE_NOT_EXIST);
    REQUIRE(soft_skf().OpenContainer(application, c_text("OPERATOR").data(), &container) == SAR_OK);
    ULONG type = 0;
    REQUIRE(soft_skf().GetContainerType(container, &type) == SAR_OK);
    CHECK(type == CONTAINER_ECC);
    CHECK(soft_skf().CloseContainer(container) == SAR_OK);
    CHECK(soft_skf().CloseApplication(application) == SAR_OK);
    CHECK(soft_skf().DisConnectDev(device) == SAR_OK);
}

TEST_CASE("ExportCertificate returns the imported DER for signing and encryption") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    const Opened opened = open_container("key1");
    const auto card = test_pki_card("trade-legal-sm2");
    CHECK(export_certificate(opened.container, true) == read_binary_file(card / "9c.crt.der"));
    CHECK(export_certificate(opened.container, false) == read_binary_file(card / "9d.crt.der"));

    ULONG size = 0;
    REQUIRE(soft_skf().ExportCertificate(opened.container, 1, nullptr, &size) == SAR_OK);
    Bytes buffer(size);
    ULONG short_size = size - 1;
    CHECK(soft_skf().ExportCertificate(opened.container, 1, buffer.data(), &short_size) ==
          SAR_BUFFER_TOO_SMALL);
    CHECK(short_size == size);

    store.import_card("key1", "NOENC", "trade-operator-sm2", false);
    HCONTAINER no_encryption = nullptr;
    REQUIRE(soft_skf().OpenContainer(opened.application, c_text("NOENC").data(), &no_encryption) ==
            SAR_OK);
    CHECK(soft_skf().ExportCertificate(no_encryption, 0, nullptr, &size) == SAR_CERTNOTFOUNTERR);
    CHECK(soft_skf().ExportPublicKey(no_encryption, 0, nullptr, &size) == SAR_KEYNOTFOUNTERR);
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
}

TEST_CASE("ExportPublicKey gives the certificate's SM2 point right-aligned") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    const Opened opened = open_container("key1");
    ULONG size = 0;
    REQUIRE(soft_skf().ExportPublicKey(opened.container, 1, nullptr, &size) == SAR_OK);
    REQUIRE(size == sizeof(ECCPUBLICKEYBLOB));
    ECCPUBLICKEYBLOB blob{};
    REQUIRE(soft_skf().ExportPublicKey(opened.container, 1, reinterpret_cast<BYTE*>(&blob),
                                       &size) == SAR_OK);
    CHECK(ULONG{blob.BitLen} == 256);
    const Bytes zeros(32, 0);
    CHECK(Bytes(blob.XCoordinate, blob.XCoordinate + 32) == zeros);
    CHECK(Bytes(blob.YCoordinate, blob.YCoordinate + 32) == zeros);
    const auto certificate = parse_certificate(export_certificate(opened.container, true));
    const Bytes point = public_point(*certificate);
    REQUIRE(point.size() == 65);
    CHECK(Bytes(blob.XCoordinate + 32, blob.XCoordinate + 64) ==
          Bytes(point.begin() + 1, point.begin() + 33));
    CHECK(Bytes(blob.YCoordinate + 32, blob.YCoordinate + 64) ==
          Bytes(point.begin() + 33, point.end()));
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
}

TEST_CASE("An RSA container is type 1 and exports an RSAPUBLICKEYBLOB") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-rsa");
    const Opened opened = open_container("key1");
    ULONG type = 0;
    REQUIRE(soft_skf().GetContainerType(opened.container, &type) == SAR_OK);
    CHECK(type == CONTAINER_RSA);
    RSAPUBLICKEYBLOB blob{};
    ULONG size = sizeof blob;
    REQUIRE(soft_skf().ExportPublicKey(opened.container, 1, reinterpret_cast<BYTE*>(&blob),
                                       &size) == SAR_OK);
    CHECK(size == 268);
    CHECK(ULONG{blob.AlgID} == SGD_RSA);
    CHECK(ULONG{blob.BitLen} == 1024);
    const auto certificate = parse_certificate(export_certificate(opened.container, true));
    BIGNUM* n = nullptr;
    REQUIRE(EVP_PKEY_get_bn_param(X509_get0_pubkey(certificate.get()), OSSL_PKEY_PARAM_RSA_N, &n) ==
            1);
    const crypto::BignumPtr modulus(n);
    Bytes expected(128);
    REQUIRE(BN_bn2binpad(modulus.get(), expected.data(), 128) == 128);
    CHECK(Bytes(blob.Modulus, blob.Modulus + 128) == expected);  // the first BitLen/8 bytes
    CHECK(Bytes(blob.PublicExponent, blob.PublicExponent + 4) == Bytes{0, 1, 0, 1});
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
}
