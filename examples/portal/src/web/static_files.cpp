#include "web/static_files.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>

namespace cardbridge::portal {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".json", "application/json; charset=utf-8"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".jpg", "image/jpeg"},
    {".woff2", "font/woff2"},
    {".map", "application/json; charset=utf-8"},
}};

constexpr std::string_view kNotFoundPage =
    "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>页面不存在</title>"
    "</head><body><h1>页面不存在</h1><p><a href=\"/\">返回首页</a></p></body></html>\n";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        const int high = hex_value(text[i + 1]), low = hex_value(text[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

// The relative file a URL path names, or nullopt for anything that is not a plain path below
// the root: "..", hidden names, backslashes, NUL and control characters are all refused before
// the file system is asked.
std::optional<fs::path> relative_file(std::string_view url_path) {
    auto decoded = percent_decode(url_path);
    if (!decoded || decoded->empty() || decoded->front() != '/') return std::nullopt;
    if (decoded->back() == '/') *decoded += "index.html";
    fs::path relative;
    std::string_view rest = std::string_view(*decoded).substr(1);
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        const auto segment = rest.substr(0, slash);
        if (segment.empty() || segment.front() == '.') return std::nullopt;
        for (char c : segment)
            if (static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == 0x7f) return std::nullopt;
        relative /= std::string(segment);
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    return relative;
}

HttpResponse not_found() {
    return {404, "text/html; charset=utf-8", std::string(kNotFoundPage), {}};
}

}  // namespace

std::string_view mime_type(const fs::path& file) {
    const auto extension = file.extension().string();
    for (const auto& [known, type] : kTypes)
        if (extension == known) return type;
    return "application/octet-stream";
}

StaticFiles::StaticFiles(fs::path root) : root_(fs::weakly_canonical(root)) {}

HttpResponse StaticFiles::serve(const HttpRequest& request) const {
    if (request.method != "GET" && request.method != "HEAD") return not_found();
    const auto relative = relative_file(request.path());
    if (!relative) return not_found();
    std::error_code ec;
    // Symbolic links inside the root may point anywhere; only what resolves below it is served.
    const auto file = fs::canonical(root_ / *relative, ec);
    if (ec || !fs::is_regular_file(file, ec)) return not_found();
    const auto [end, _] = std::mismatch(root_.begin(), root_.end(), file.begin(), file.end());
    if (end != root_.end()) return not_found();
    std::ifstream in(file, std::ios::binary);
    if (!in) return not_found();
    std::string body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return {200, std::string(mime_type(file)), std::move(body), {}};
}

}  // namespace cardbridge::portal
