#pragma once
// The pages: files under one directory, GET and HEAD only, no listings, nothing outside it.

#include <filesystem>
#include <string_view>

#include "http/message.hpp"

namespace cardbridge::portal {

/// The Content-Type for a file name's extension (text types in UTF-8); octet-stream otherwise.
std::string_view mime_type(const std::filesystem::path& file);

class StaticFiles {
public:
    explicit StaticFiles(std::filesystem::path root);

    /// The file, or a 404 page (also for every path that tries to leave the root).
    HttpResponse serve(const HttpRequest& request) const;

private:
    std::filesystem::path root_;
};

}  // namespace cardbridge::portal
