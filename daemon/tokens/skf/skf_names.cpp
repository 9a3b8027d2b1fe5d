#include "tokens/skf/skf_names.hpp"

#include <algorithm>
#include <cstring>

#include "tokens/skf/skf_error.hpp"

namespace cardbridge::daemon::tokens {

std::vector<std::string> parse_name_list(std::span<const char> list, std::size_t max_name_bytes) {
    std::vector<std::string> names;
    std::size_t at = 0;
    while (at < list.size() && names.size() < kMaxNames) {
        const auto* start = list.data() + at;
        const auto* end = static_cast<const char*>(std::memchr(start, '\0', list.size() - at));
        const std::size_t length = end ? static_cast<std::size_t>(end - start) : list.size() - at;
        if (length == 0) break;
        if (length <= max_name_bytes) names.emplace_back(start, length);
        at += length + 1;
    }
    return names;
}

std::vector<std::string> read_name_list(std::string_view call, const EnumerateNames& enumerate,
                                        std::size_t max_name_bytes) {
    skf::ULONG size = 0;
    skf::ULONG result = enumerate(nullptr, &size);
    // A module may answer the size query as it answers a short buffer; the size is there too.
    if (result != skf::SAR_OK && result != skf::SAR_BUFFER_TOO_SMALL) throw skf_error(call, result);
    for (int attempt = 0;; ++attempt) {
        // No list, or only its terminator (GmSSL reads size ≤ 1 as empty too).
        if (size <= 1) return {};
        if (size > kMaxNameListBytes)
            throw Error(Reason::CARD_ERROR, std::string(call) + " reports a name list of " +
                                                std::to_string(size) + " bytes, over 64 KiB");
        // Two zeroed bytes past what the module may write end the list whatever it writes.
        std::vector<char> buffer(size + 2, '\0');
        skf::ULONG used = size;
        result = enumerate(buffer.data(), &used);
        if (result == skf::SAR_BUFFER_TOO_SMALL && attempt == 0) {
            size = used > size ? used : size * 2;
            continue;
        }
        if (result != skf::SAR_OK) throw skf_error(call, result);
        const std::size_t valid = std::min<std::size_t>(used, size);
        return parse_name_list(std::span<const char>(buffer.data(), valid), max_name_bytes);
    }
}

}  // namespace cardbridge::daemon::tokens
