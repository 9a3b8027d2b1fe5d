#include "config/config_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon {

namespace fs = std::filesystem;

namespace {

// A config is a few hundred bytes; this is room for hundreds of origin rules.
constexpr std::size_t kMaxFileBytes = 256 * 1024;

}  // namespace

std::string shown_path(const fs::path& path) {
    const char* home = std::getenv("HOME");
    const std::string text = path.string();
    if (home == nullptr || home[0] != '/') return text;
    const std::string prefix = fs::path(home).lexically_normal().string();
    if (text.size() > prefix.size() && text.starts_with(prefix) && text[prefix.size()] == '/')
        return "~" + text.substr(prefix.size());
    return text;
}

std::optional<std::string> read_config_file(const fs::path& file) {
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (status.type() == fs::file_type::not_found) return std::nullopt;
    const auto where = shown_path(file);
    if (ec) throw Error(Reason::INVALID_PARAMS, where + ": cannot be read: " + ec.message());
    if (status.type() != fs::file_type::regular)
        throw Error(Reason::INVALID_PARAMS, where + ": is not a regular file");
    std::ifstream in(file, std::ios::binary);
    std::string text(kMaxFileBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad() || (!in && !in.eof()))
        throw Error(Reason::INVALID_PARAMS, where + ": cannot be read: " + std::strerror(errno));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes)
        throw Error(Reason::INVALID_PARAMS, where + ": is larger than " +
                                                std::to_string(kMaxFileBytes / 1024) +
                                                " KiB, which no config is");
    return text;
}

protocol::Json parse_config_file(const fs::path& file, const std::string& text) {
    try {
        return protocol::parse_json(text, protocol::JsonLimits{kMaxFileBytes, 16});
    } catch (const Error& e) {
        throw Error(Reason::INVALID_PARAMS, shown_path(file) + ": " + e.what());
    }
}

}  // namespace cardbridge::daemon
