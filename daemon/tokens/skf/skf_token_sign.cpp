// Signatures with an SKF container's signing key. The daemon prepares the value (signing.hpp):
// for SM2 the 32 bytes of SM3(Z ‖ M), which SKF_ECCSignData signs as is (notes §4.4, §6.8);
// for RSA the DigestInfo, which SKF_RSASignData pads with PKCS#1 v1.5 type 1 itself (§4.5).
#include <algorithm>
#include <cstring>
#include <optional>

#include "cardbridge/protocol/crypto_key.hpp"
#include "tokens/skf/skf_error.hpp"
#include "tokens/skf/skf_pin_text.hpp"
#include "tokens/skf/skf_token.hpp"

namespace cardbridge::daemon::tokens {
namespace {

constexpr std::size_t kSm2FieldBytes = 32;
// Long enough for another program's signature to finish, short enough that a stuck lock
// fails the request rather than hanging the token's worker.
constexpr skf::ULONG kLockTimeoutMs = 5000;
// RSA-4096; SKF's blobs stop at 2048 bits, but a module may know better.
constexpr std::size_t kMaxRsaSignatureBytes = 512;

// SKF_LockDev for the duration of a PIN check and the signature it is for, so that no other
// program's call comes between them. Without LockDev the module gives no such promise.
class DeviceLock {
public:
    DeviceLock(const SkfLibrary& library, void* device) : library_(library), device_(device) {
        if (!library.has<&SkfFunctions::LockDev>() || !library.has<&SkfFunctions::UnlockDev>())
            return;
        result_ = library.call<&SkfFunctions::LockDev>(device, kLockTimeoutMs);
        locked_ = result_ == skf::SAR_OK;
        if (result_ == skf::SAR_NOTSUPPORTYETERR) result_ = skf::SAR_OK;
    }
    ~DeviceLock() {
        if (!locked_) return;
        try {
            library_.call<&SkfFunctions::UnlockDev>(device_);
        } catch (...) {
            // UnlockDev exists (checked above); nothing else throws.
        }
    }
    DeviceLock(const DeviceLock&) = delete;
    DeviceLock& operator=(const DeviceLock&) = delete;

    skf::ULONG result() const noexcept { return result_; }

private:
    const SkfLibrary& library_;
    void* device_;
    skf::ULONG result_ = skf::SAR_OK;
    bool locked_ = false;
};

bool all_zero(const std::uint8_t* bytes, std::size_t size) {
    return std::all_of(bytes, bytes + size, [](std::uint8_t b) { return b == 0; });
}

// r and s are right-aligned in 64-byte fields; an SM2 value has 32 leading zero bytes.
protocol::Bytes raw_signature(const skf::ECCSIGNATUREBLOB& blob) {
    constexpr std::size_t kPad = skf::ECC_MAX_COORDINATE_LEN - kSm2FieldBytes;
    if (!all_zero(blob.r, kPad) || !all_zero(blob.s, kPad) ||
        all_zero(blob.r + kPad, kSm2FieldBytes) || all_zero(blob.s + kPad, kSm2FieldBytes))
        throw Error(Reason::CARD_ERROR, "SKF_ECCSignData returned no 256-bit SM2 signature");
    protocol::Bytes raw(2 * kSm2FieldBytes);
    std::memcpy(raw.data(), blob.r + kPad, kSm2FieldBytes);
    std::memcpy(raw.data() + kSm2FieldBytes, blob.s + kPad, kSm2FieldBytes);
    return raw;
}

}  // namespace

protocol::Bytes SkfToken::sign_value(const CertificateInfo& certificate, protocol::ByteView value,
                                     const SecurePin* pin) {
    std::optional<SkfPinText> text;
    if (pin) text.emplace(*pin);  // PIN_FORMAT before the key is touched
    const bool sm2 = certificate.key_algorithm == KeyAlgorithm::SM2;
    if (!sm2 && !is_rsa(certificate.key_algorithm))
        throw Error(Reason::UNSUPPORTED_ALGORITHM,
                    "an SKF key signs with SM2 or RSA, not " +
                        std::string(key_algorithm_name(certificate.key_algorithm)));
    if (sm2 && value.size() != kSm2FieldBytes)
        throw Error(Reason::INVALID_PARAMS, "SKF_ECCSignData signs exactly 32 bytes, SM3(Z ‖ M)");
    return guarded([&] {
        snapshot();
        const auto found = places_.find(certificate.key);
        if (found == places_.end())
            throw Error(Reason::INVALID_PARAMS,
                        "the USB key on " + reader_ + " has no key '" + certificate.key + "'");
        const KeyPlace& place = found->second;
        if (!place.signing)
            throw Error(Reason::NOT_SUPPORTED, "'" + certificate.key +
                                                   "' is an encryption key: SKF signs only with "
                                                   "a container's signing key");
        if (!text && !verified_.contains(place.application))
            throw Error(Reason::NOT_PERMITTED,
                        "the USB key wants the PIN before it signs with '" + certificate.key + "'");
        void* handle = container(place);
        const DeviceLock lock(*library_, device());
        if (lock.result() != skf::SAR_OK) fail("SKF_LockDev", lock.result());
        if (text) verify_in(place.application, *text);
        try {
            return sm2 ? sign_sm2(handle, value) : sign_rsa(handle, certificate, value);
        } catch (const Error& e) {
            // The key forgot the PIN (another program, a power glitch): so must we.
            if (e.reason() == Reason::NOT_PERMITTED) verified_.erase(place.application);
            throw;
        }
    });
}

protocol::Bytes SkfToken::sign_sm2(void* container, protocol::ByteView value) {
    protocol::Bytes digest(value.begin(), value.end());  // the module's BYTE* is not const
    skf::ECCSIGNATUREBLOB blob{};
    check("SKF_ECCSignData",
          library_->call<&SkfFunctions::ECCSignData>(
              container, digest.data(), static_cast<skf::ULONG>(digest.size()), &blob));
    return raw_signature(blob);
}

protocol::Bytes SkfToken::sign_rsa(void* container, const CertificateInfo& certificate,
                                   protocol::ByteView value) {
    const std::size_t modulus =
        static_cast<std::size_t>(crypto::key_bits(certificate.public_key()) + 7) / 8;
    protocol::Bytes input(value.begin(), value.end());
    protocol::Bytes signature(std::max(modulus, kMaxRsaSignatureBytes));
    auto size = static_cast<skf::ULONG>(signature.size());
    check("SKF_RSASignData", library_->call<&SkfFunctions::RSASignData>(
                                 container, input.data(), static_cast<skf::ULONG>(input.size()),
                                 signature.data(), &size));
    if (size == 0 || size > modulus)
        throw Error(Reason::CARD_ERROR, "SKF_RSASignData returned " + std::to_string(size) +
                                            " bytes for a " + std::to_string(modulus * 8) +
                                            "-bit key");
    signature.resize(size);
    // A signature is as long as the modulus; a module may drop leading zero bytes.
    signature.insert(signature.begin(), modulus - size, 0x00);
    return signature;
}

}  // namespace cardbridge::daemon::tokens
