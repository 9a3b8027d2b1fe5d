#include "config/config_checker.hpp"

#include <algorithm>
#include <cctype>

#include "cardbridge/protocol/error.hpp"
#include "config/config_file.hpp"

namespace cardbridge::daemon {

namespace fs = std::filesystem;
using protocol::Json;

namespace {

// How much of a bad value an error message quotes.
constexpr std::size_t kMaxQuoted = 80;

/// A key as the user typed it, quoted when it holds anything but letters, digits, '_', '-'.
std::string key_text(const std::string& key) {
    const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
    return plain ? key : protocol::dump_json(key);
}

}  // namespace

Checker Checker::member(const std::string& key) const {
    auto where = where_;
    where.push_back(key);
    return Checker(layers_, std::move(where));
}

std::string Checker::file() const {
    return shown_path(layers_.file_for(where_));
}

void Checker::refuse(const std::string& key, const Json& value, const std::string& problem) const {
    std::string quoted = protocol::dump_json(value);
    if (quoted.size() > kMaxQuoted) {
        std::size_t cut = kMaxQuoted;
        while (cut > 0 && (static_cast<unsigned char>(quoted[cut]) & 0xC0) == 0x80) --cut;
        quoted = quoted.substr(0, cut) + "…";
    }
    throw Error(Reason::INVALID_PARAMS, file() + ": " + key + ": " + quoted + " " + problem);
}

void Checker::only(const Json& object, const std::string& path,
                   std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : object.items()) {
        bool ok = false;
        std::string list;
        for (const auto k : known) {
            ok = ok || key == k;
            list += (list.empty() ? "" : ", ") + std::string(k);
        }
        if (!ok)
            throw Error(Reason::INVALID_PARAMS, member(key).file() + ": " + path + key_text(key) +
                                                    ": unknown key (known here: " + list + ")");
    }
}

void Checker::object(const Json& value, const std::string& key) const {
    if (!value.is_object()) refuse(key, value, "is not an object ({…})");
}

void Checker::array(const Json& value, const std::string& key) const {
    if (!value.is_array()) refuse(key, value, "is not a list ([…])");
}

std::uint64_t Checker::integer(const Json& value, const std::string& key, std::uint64_t min,
                               std::uint64_t max) const {
    const bool in_range = value.is_number_unsigned() && value.get<std::uint64_t>() >= min &&
                          value.get<std::uint64_t>() <= max;
    if (!in_range)
        refuse(key, value,
               "is not a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return value.get<std::uint64_t>();
}

std::chrono::seconds Checker::seconds(const Json& value, const std::string& key, std::uint64_t min,
                                      std::uint64_t max) const {
    return std::chrono::seconds(static_cast<std::int64_t>(integer(value, key, min, max)));
}

bool Checker::boolean(const Json& value, const std::string& key) const {
    if (!value.is_boolean()) refuse(key, value, "is not true or false");
    return value.get<bool>();
}

std::string Checker::string(const Json& value, const std::string& key) const {
    if (!value.is_string()) refuse(key, value, "is not a string");
    return value.get<std::string>();
}

fs::path Checker::absolute_path(const Json& value, const std::string& key) const {
    const fs::path path = string(value, key);
    if (!path.is_absolute()) refuse(key, value, "is not an absolute path");
    return path;
}

}  // namespace cardbridge::daemon
