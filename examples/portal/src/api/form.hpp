#pragma once
// Reading a request body's members the way a form is checked: each problem is a VALIDATION
// error naming the member (the page shows it next to the input of that name) and saying what
// the rule is.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace cardbridge::portal {

class Form {
public:
    explicit Form(const nlohmann::json& object) : object_(object) {}

    /// A string member; absent, null or empty is "必填". Longer than `max_bytes` is refused.
    std::string required(const char* name, std::size_t max_bytes = 256) const;
    /// Absent, null or "" is nullopt.
    std::optional<std::string> optional(const char* name, std::size_t max_bytes = 256) const;
    std::int64_t id(const char* name) const;
    /// A nested object (the manual registration's `enterprise` and `account`).
    Form object(const char* name) const;
    /// The agreement checkbox: must be true.
    void agreed(const char* name) const;

    // The account rules (validation/account_fields.hpp), each refusing with its own text.
    std::string username(const char* name, bool operator_account) const;
    /// The new password and its repetition.
    std::string new_password(const char* name, const char* repeat) const;
    std::string phone(const char* name) const;
    std::optional<std::string> email(const char* name) const;
    std::string person_name(const char* name) const;
    std::optional<std::string> optional_person_name(const char* name) const;
    /// GB 11643; a final 'x' is taken as 'X'.
    std::string id_number(const char* name) const;
    std::optional<std::string> optional_id_number(const char* name) const;

    // The enterprise codes (validation/codes.hpp).
    std::optional<std::string> uscc(const char* name) const;
    std::optional<std::string> org_code(const char* name) const;
    std::optional<std::string> customs_code(const char* name) const;

private:
    const nlohmann::json* member(const char* name) const;

    const nlohmann::json& object_;
};

}  // namespace cardbridge::portal
