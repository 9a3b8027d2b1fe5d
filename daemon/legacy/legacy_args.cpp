#include "legacy/legacy_args.hpp"

#include "service/pin_source.hpp"

namespace cardbridge::daemon::legacy {

std::optional<std::string> take_text(protocol::Json& args, Names names, std::size_t max_bytes) {
    for (auto name : names) {
        auto found = args.find(name);
        if (found == args.end()) continue;
        if (!found->is_string())
            throw Error(Reason::INVALID_PARAMS, "参数" + std::string(name) + "必须是字符串");
        auto& text = found->get_ref<std::string&>();
        if (text.size() > max_bytes)
            throw Error(Reason::INVALID_PARAMS,
                        "参数" + std::string(name) + "超过" + std::to_string(max_bytes) + "字节");
        if (text.empty()) return std::nullopt;
        return std::move(text);
    }
    return std::nullopt;
}

std::string take_required(protocol::Json& args, Names names, std::size_t max_bytes) {
    auto text = take_text(args, names, max_bytes);
    if (!text) throw Error(Reason::INVALID_PARAMS, "缺少参数" + std::string(*names.begin()));
    return std::move(*text);
}

std::optional<SecurePin> take_pin(protocol::Json& args, std::string_view name, const CallContext& ctx) {
    auto found = args.find(name);
    if (found == args.end()) return std::nullopt;
    if (found->is_string() && found->get_ref<std::string&>().empty()) {
        args.erase(found);
        return std::nullopt;
    }
    if (!ctx.rights.send_pin) {
        if (found->is_string()) wipe(found->get_ref<std::string&>());
        args.erase(found);
        throw Error(Reason::NOT_PERMITTED,
                    "在请求中发送口令(请不带口令调用，在cardbridge弹出的窗口中输入)");
    }
    return PinSource::take(args, name, ctx);
}

}  // namespace cardbridge::daemon::legacy
