#include "login_bench.hpp"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <vector>

#include "apdu_recorder.hpp"
#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_trust.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/login_token.hpp"
#include "daemon_process.hpp"
#include "pcsc/card_handle.hpp"
#include "pcsc/context.hpp"
#include "pcsc/card_link.hpp"
#include "tokens/piv_token.hpp"
#include "tokens/signing.hpp"
#include "ws_client.hpp"

namespace cardbridge::bench {

namespace {

using Clock = std::chrono::steady_clock;
using daemon::tokens::CertificateInfo;
using nlohmann::json;
using protocol::Bytes;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string fresh_nonce() {
    Bytes bytes(32);
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return crypto::base64_encode(bytes);
}

std::uint16_t status_word(const Bytes& response) {
    if (response.size() < 2) throw std::runtime_error("a card answer without a status word");
    return static_cast<std::uint16_t>(response[response.size() - 2] << 8 | response.back());
}

json checked_call(testing::WsClient& client, const std::string& method, const json& params) {
    auto answer = client.call(method, params);
    if (!answer.contains("result")) throw std::runtime_error(method + ": " + answer.dump());
    return answer["result"];
}

/// What the card worker runs for one auth.login once the snapshot is cached and the PIN
/// verified (service/signing_methods.cpp), through the daemon's own PivToken.
std::string login_in_process(daemon::tokens::Token& token, const CertificateInfo& cert,
                             const protocol::Origin& origin, const std::string& nonce) {
    if (!token.pin_state().verified) throw std::runtime_error("the card's PIN is not verified");
    return daemon::tokens::login(token, cert, origin, nonce, nullptr);
}

/// Sends `recording` again on a connection of our own, in the same transactions, and checks
/// that the card answers every APDU as it did then.
void replay(const daemon::pcsc::CardHandle& card, const ApduRecording& recording) {
    for (const auto& sent_together : recording) {
        const daemon::pcsc::Transaction transaction(card);
        for (const auto& [command, sw] : sent_together)
            if (status_word(card.transmit(command)) != sw)
                throw std::runtime_error("the card answered a replayed APDU differently");
    }
}

void check_token(const std::string& token, const std::string& origin, const std::string& nonce,
                 const crypto::TrustAnchors& anchors, const char* whose) {
    try {
        protocol::verify_login_token(token, origin, nonce, anchors, std::time(nullptr));
    } catch (const Error& e) {
        throw std::runtime_error(std::string(whose) + " login token does not verify: " + e.what());
    }
}

}  // namespace

LoginResult measure_login(std::uint16_t port, const std::string& origin, const BenchCard& card,
                          const std::filesystem::path& ca_bundle, int rounds, int warmup) {
    const crypto::TrustAnchors anchors(
        crypto::certificates_from_pem(testing::read_text(ca_bundle), Reason::CERT_UNTRUSTED));
    testing::WsClient client(port, origin);
    checked_call(client, "token.verifyPin", {{"reader", card.reader}, {"pin", card.pin}});
    const auto parsed_origin = protocol::Origin::parse(origin);

    // Connections of our own beside the daemon's, shared as the daemon's is: one for the
    // daemon's card code, one for the replay.
    daemon::tokens::PivToken piv(std::make_unique<daemon::pcsc::PcscCardLink>(card.reader));
    const auto* cert = daemon::tokens::login_certificate(piv.snapshot());
    if (cert == nullptr) throw std::runtime_error(card.name + " has no certificate to log in with");
    const daemon::pcsc::Context context;
    const daemon::pcsc::CardHandle handle(context, card.reader);
    ApduRecording recording;
    std::string nonce = fresh_nonce(), token, own_token;
    const std::array<std::function<void()>, 3> kinds{
        [&] {
            token = checked_call(client, "auth.login",
                                 {{"nonce", nonce}, {"reader", card.reader}})["token"];
        },
        [&] {
            const RecordingScope recording_scope(recording);
            own_token = login_in_process(piv, *cert, parsed_origin, nonce);
        },
        [&] { replay(handle, recording); },
    };
    // A kind measured right after another pays for what that one left behind (~0.2 ms more
    // for whichever follows auth.login here), so the order turns every round. The floor
    // replays the latest in-process login.
    kinds[1]();
    std::array<std::vector<double>, 3> ms;
    for (int round = -warmup; round < rounds; ++round) {
        nonce = fresh_nonce();
        for (std::size_t i = 0; i < kinds.size(); ++i) {
            const std::size_t kind = (static_cast<std::size_t>(round + warmup) + i) % kinds.size();
            const auto start = Clock::now();
            kinds[kind]();
            if (round >= 0) ms[kind].push_back(ms_since(start));
        }
    }
    // Tokens as a portal's server would check them; the last of each kind stands for all.
    check_token(token, origin, nonce, anchors, "the daemon's");
    check_token(own_token, origin, nonce, anchors, "the in-process");
    LoginResult result;
    result.algorithm =
        protocol::login_algorithm_name(protocol::login_algorithm_for_key(cert->public_key()));
    result.transactions = recording.size();
    for (const auto& sent_together : recording) result.apdus += sent_together.size();
    result.daemon = percentiles(std::move(ms[0]));
    result.in_process = percentiles(std::move(ms[1]));
    result.apdu_floor = percentiles(std::move(ms[2]));
    return result;
}

}  // namespace cardbridge::bench
