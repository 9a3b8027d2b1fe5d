#include "api/form.hpp"

#include "api/error.hpp"
#include "validation/account_fields.hpp"
#include "validation/codes.hpp"

namespace cardbridge::portal {

namespace {

std::string normalized_id(std::string number) {
    if (!number.empty() && number.back() == 'x') number.back() = 'X';
    return number;
}

}  // namespace

const nlohmann::json* Form::member(const char* name) const {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
}

std::optional<std::string> Form::optional(const char* name, std::size_t max_bytes) const {
    const auto* value = member(name);
    if (!value) return std::nullopt;
    if (!value->is_string()) throw invalid(name, "格式不正确");
    const auto& text = value->get_ref<const std::string&>();
    if (text.size() > max_bytes) throw invalid(name, "内容过长");
    if (text.empty()) return std::nullopt;
    return text;
}

std::string Form::required(const char* name, std::size_t max_bytes) const {
    auto text = optional(name, max_bytes);
    if (!text) throw invalid(name, "此项为必填项");
    return *text;
}

std::int64_t Form::id(const char* name) const {
    const auto* value = member(name);
    if (!value || !value->is_number_integer()) throw invalid(name, "缺少编号");
    return value->get<std::int64_t>();
}

Form Form::object(const char* name) const {
    const auto* value = member(name);
    if (!value || !value->is_object()) throw invalid(name, "此项为必填项");
    return Form(*value);
}

void Form::agreed(const char* name) const {
    const auto* value = member(name);
    if (!value || !value->is_boolean() || !value->get<bool>())
        throw invalid(name, "请阅读并同意《中国国际贸易单一窗口平台服务使用协议》");
}

std::string Form::username(const char* name, bool operator_account) const {
    auto text = required(name, 64);
    if (!valid_username(text, operator_account))
        throw invalid(name, operator_account
                                ? "用户名须为6-18位小写英文字母，或小写字母与数字的组合"
                                : "用户名须为6-18位英文字母，或字母与数字的组合");
    return text;
}

std::string Form::new_password(const char* name, const char* repeat) const {
    auto password = required(name, 64);
    if (!valid_password(password))
        throw invalid(name, "密码须为8-16位，由字母、数字、符号中的两种以上组合");
    const auto* again = member(repeat);
    if (!again || !again->is_string() || again->get_ref<const std::string&>() != password)
        throw invalid(repeat, "两次输入的密码不一致");
    return password;
}

std::string Form::phone(const char* name) const {
    auto text = required(name, 32);
    if (!valid_phone(text)) throw invalid(name, "手机号码须为以1开头的11位数字");
    return text;
}

std::optional<std::string> Form::email(const char* name) const {
    auto text = optional(name, 200);
    if (text && !valid_email(*text)) throw invalid(name, "邮箱格式不正确");
    return text;
}

std::string Form::person_name(const char* name) const {
    auto text = required(name, 256);
    if (!valid_name(text)) throw invalid(name, "须为1-50个字符");
    return text;
}

std::optional<std::string> Form::optional_person_name(const char* name) const {
    if (!optional(name, 256)) return std::nullopt;
    return person_name(name);
}

std::string Form::id_number(const char* name) const {
    auto number = normalized_id(required(name, 32));
    if (!valid_id_number(number)) throw invalid(name, "身份证件号码须为18位且校验位正确");
    return number;
}

std::optional<std::string> Form::optional_id_number(const char* name) const {
    if (!optional(name, 32)) return std::nullopt;
    return id_number(name);
}

std::optional<std::string> Form::uscc(const char* name) const {
    auto code = optional(name, 32);
    if (code && !valid_uscc(*code)) throw invalid(name, "统一社会信用代码须为18位且校验位正确");
    return code;
}

std::optional<std::string> Form::org_code(const char* name) const {
    auto code = optional(name, 32);
    if (code && !valid_org_code(*code)) throw invalid(name, "组织机构代码须为9位且校验位正确");
    return code;
}

std::optional<std::string> Form::customs_code(const char* name) const {
    auto code = optional(name, 32);
    if (code && !valid_customs_code(*code)) throw invalid(name, "海关编码须为10位数字或大写字母");
    return code;
}

}  // namespace cardbridge::portal
