#include "legacy/legacy_api.hpp"

#include <array>

#include "cardbridge/protocol/legacy_envelope.hpp"
#include "cardbridge/protocol/legacy_failure.hpp"

namespace cardbridge::daemon::legacy {

namespace envelope = protocol::legacy;

namespace {

// Whole modules that read or write files, print, start programs, or belong to other vendors'
// keys; and single methods that update software, decrypt with the card or need RA keys.
constexpr std::array kRefusedPrefixes{
    std::string_view("base_"),     std::string_view("upload_"),
    std::string_view("pdf-scan_"), std::string_view("pdf-sign_"),
    std::string_view("pdf-es_"),   std::string_view("mofcom_"),
    std::string_view("jsca_"),     std::string_view("txrn_"),
    std::string_view("ra_"),       std::string_view("security_Pdf"),
    std::string_view("security_LocalPdf"),
};
constexpr std::array kRefusedNames{
    std::string_view("update"),
    std::string_view("fullupdate"),
    std::string_view("getfilepath"),
    std::string_view("swc_postdata"),
    std::string_view("security_DeleteSignedTempFile"),
};
constexpr std::array kRefusedSecurityFunctions{
    std::string_view("SpcRSAEncrypt"),
    std::string_view("SpcRSADecrypt"),
    std::string_view("SpcGetCardAttachInfo"),
    std::string_view("SpcGetCardAttachInfoAsPEM"),
};

bool is_security_function(std::string_view method, std::string_view function) {
    for (std::string_view prefix : {"cus-sec_", "security_"})
        if (method.size() == prefix.size() + function.size() && method.starts_with(prefix) &&
            method.ends_with(function))
            return true;
    return false;
}

}  // namespace

bool is_refused(std::string_view method) noexcept {
    for (auto prefix : kRefusedPrefixes)
        if (method.starts_with(prefix)) return true;
    for (auto name : kRefusedNames)
        if (method == name) return true;
    for (auto function : kRefusedSecurityFunctions)
        if (is_security_function(method, function)) return true;
    return false;
}

void LegacyApi::add(std::string name, LegacyMethod method) {
    methods_[std::move(name)] = std::move(method);
}

void LegacyApi::add_security(std::string_view function, const LegacyMethod& method) {
    add("cus-sec_" + std::string(function), method);
    add("security_" + std::string(function), method);
}

void LegacyApi::handle(Json message, const CallContext& ctx, const Reply& reply,
                       const protocol::JsonLimits& limits) const {
    auto outcome = envelope::call_from_json(std::move(message), limits);
    const auto method = outcome.method.value_or("");
    if (auto* error = std::get_if<Error>(&outcome.result))
        return reply(envelope::make_failure(outcome.id, method, *error));
    auto& call = std::get<envelope::Call>(outcome.result);
    auto complete = [id = call.id, method, reply](Outcome result) {
        if (auto* error = std::get_if<Error>(&result))
            return reply(envelope::make_failure(id, method, *error));
        reply(envelope::make_response(id, method, std::get<Json>(result)));
    };
    if (!ctx.origin_allowed)
        return complete(Error(Reason::ORIGIN_NOT_ALLOWED, ""));
    // Ours take precedence over the refusal patterns: ra_Is903Reader is answered.
    auto found = methods_.find(call.method);
    if (found == methods_.end()) {
        return complete(Error(is_refused(call.method) ? Reason::NOT_SUPPORTED : Reason::METHOD_NOT_FOUND,
                              call.method));
    }
    try {
        found->second(ctx, std::move(call.args), complete);
    } catch (const Error& e) {
        // Methods check their args by throwing before they start any work.
        complete(e);
    }
}

}  // namespace cardbridge::daemon::legacy
