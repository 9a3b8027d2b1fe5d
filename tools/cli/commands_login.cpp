// login-test: the whole login path once, as a portal would run it: a fresh challenge, the card
// signs it for the page origin through the daemon, and the token is verified here.

#include <openssl/rand.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/login_token.hpp"
#include "commands.hpp"
#include "connection.hpp"

namespace cardbridge::cli {
namespace {

using protocol::Json;
using Clock = std::chrono::steady_clock;

// The daemon may show its PIN prompt first, and a person takes a while to answer it.
constexpr std::chrono::minutes kLoginTimeout{3};
constexpr std::size_t kMaxCaFileBytes = 4 * 1024 * 1024;

std::string fresh_nonce() {
    crypto::Bytes nonce(protocol::kMinNonceBytes);
    if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1)
        crypto::throw_openssl_error(Reason::INTERNAL, "RAND_bytes");
    return crypto::base64_encode(nonce);
}

// The CA certificates in `file`, PEM (any number) or one DER certificate.
crypto::TrustAnchors load_anchors(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    if (!in || !(content << in.rdbuf()) || content.view().size() > kMaxCaFileBytes)
        throw Error(Reason::INVALID_PARAMS, "cannot read CA certificates from " + file.string());
    const auto text = content.view();
    if (text.find("-----BEGIN") != std::string_view::npos)
        return crypto::TrustAnchors(crypto::certificates_from_pem(text, Reason::INVALID_PARAMS));
    std::vector<crypto::X509Ptr> one;
    one.push_back(crypto::certificate_from_der(
        {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, Reason::INVALID_PARAMS));
    return crypto::TrustAnchors(std::move(one));
}

// Without a CA the token's own certificate is the anchor: the path then ends at once, and what
// remains checked is its validity, key usage and the signature.
crypto::TrustAnchors own_certificate(const std::string& token) {
    auto parsed = protocol::parse_json(token, {.max_bytes = protocol::kMaxLoginTokenBytes});
    auto certificate = parsed.is_object() ? parsed.find("certificate") : parsed.end();
    std::optional<crypto::Bytes> der;
    if (certificate != parsed.end() && certificate->is_string())
        der = crypto::base64_decode(certificate->get<std::string>());
    if (!der) throw Error(Reason::TOKEN_MALFORMED, "the token carries no certificate");
    std::vector<crypto::X509Ptr> one;
    one.push_back(crypto::certificate_from_der(*der, Reason::TOKEN_MALFORMED));
    return crypto::TrustAnchors(std::move(one));
}

std::string utc(std::time_t t) {
    std::tm tm{};
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", ::gmtime_r(&t, &tm));
    return text;
}

double milliseconds(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

ExitStatus run_login_test(const Invocation& inv, const Output& out) {
    // Mistakes in what was typed are reported before the card is touched.
    const auto origin = protocol::Origin::parse(*inv.origin);  // checked by parse_arguments
    std::optional<crypto::TrustAnchors> anchors;
    if (inv.ca) anchors.emplace(load_anchors(*inv.ca));
    auto daemon = connect(inv, out, origin.str());
    if (!daemon) return kExitNotRunning;

    const auto nonce = fresh_nonce();
    Json params{{"nonce", nonce}};
    if (inv.reader) params["reader"] = *inv.reader;
    const auto started = Clock::now();
    const auto result = daemon->call("auth.login", params, kLoginTimeout);
    const auto signed_at = Clock::now();
    const auto token = result.at("token").get<std::string>();
    const auto own = anchors ? std::nullopt : std::optional(own_certificate(token));
    const auto verified = protocol::verify_login_token(
        token, origin.str(), nonce, anchors ? *anchors : *own, std::time(nullptr));
    const auto verified_at = Clock::now();

    const auto algorithm = std::string(protocol::login_algorithm_name(verified.algorithm));
    if (out.json) {
        out.value(Json{{"origin", origin.str()},
                       {"algorithm", algorithm},
                       {"certificateSerial", verified.serial_hex},
                       {"subject", verified.subject},
                       {"notBefore", utc(verified.not_before)},
                       {"notAfter", utc(verified.not_after)},
                       {"chainChecked", anchors.has_value()},
                       {"loginMilliseconds", milliseconds(signed_at - started)},
                       {"verifyMilliseconds", milliseconds(verified_at - signed_at)},
                       {"token", token}});
        return kExitOk;
    }
    auto ms = [](double v) { return std::to_string(static_cast<long>(v + 0.5)) + " ms"; };
    out.line(out.text(Msg::login_verified, {origin.str()}));
    out.line(out.text(Msg::label_algorithm) + ": " + algorithm);
    out.line(out.text(Msg::label_certificate) + ": " + out.text(Msg::label_serial) + " " +
             verified.serial_hex + ", " + verified.subject);
    out.line("  " + out.text(Msg::label_valid) + " " + utc(verified.not_before) + " – " +
             utc(verified.not_after));
    out.line(out.text(Msg::label_login_time) + ": " + ms(milliseconds(signed_at - started)));
    out.line(out.text(Msg::label_verify_time) + ": " + ms(milliseconds(verified_at - signed_at)));
    out.line(anchors ? out.text(Msg::chain_checked, {inv.ca->string()})
                     : out.text(Msg::chain_not_checked));
    return kExitOk;
}

}  // namespace cardbridge::cli
