#include "cardbridge/protocol/legacy_envelope.hpp"
#include "legacy_envelope_rules.hpp"

namespace cardbridge::protocol::legacy {
namespace {

// The head of a request is its first few members; a client that puts 10 MiB of args first
// gets a failure without id or method, as for text that is not JSON.
constexpr std::size_t kMaxPeekBytes = 4096;

// Reads members of the top-level object only, skipping nested values whole, so that an
// `_id` inside `args` is never taken for the request's. It checks just enough syntax to find
// member boundaries: text that is not JSON may still yield a head, which only names a reply.
class HeadScanner {
public:
    explicit HeadScanner(std::string_view text) : text_(text) {}

    CallHead scan() {
        CallHead head;
        if (!skip('{')) return head;
        while (true) {
            skip_space();
            const auto key = string();
            if (!key || !skip(':')) break;
            skip_space();
            const std::size_t value_start = at_;
            if (*key == "_method" && !head.method)
                head.method = method();
            else if (*key == "_id" && !head.id)
                head.id = id();
            at_ = value_start;
            if (!skip_value() || !skip(',')) break;
        }
        return head;
    }

private:
    static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
    static bool ends_scalar(char c) { return is_space(c) || c == ',' || c == '}' || c == ']'; }

    void skip_space() {
        while (at_ < text_.size() && is_space(text_[at_])) ++at_;
    }

    bool skip(char expected) {
        skip_space();
        if (at_ >= text_.size() || text_[at_] != expected) return false;
        ++at_;
        return true;
    }

    /// The raw text between the quotes of a complete string, escapes left as they are.
    std::optional<std::string_view> string() {
        if (at_ >= text_.size() || text_[at_] != '"') return std::nullopt;
        const std::size_t start = ++at_;
        for (; at_ < text_.size(); ++at_) {
            if (text_[at_] == '\\')
                ++at_;
            else if (text_[at_] == '"')
                return text_.substr(start, at_++ - start);
        }
        return std::nullopt;
    }

    /// A scalar that is followed by a delimiter: one cut off by the prefix's end might be
    /// longer in the full text.
    std::optional<std::string_view> scalar() {
        const std::size_t start = at_;
        while (at_ < text_.size() && !ends_scalar(text_[at_])) ++at_;
        if (at_ == start || at_ >= text_.size()) return std::nullopt;
        return text_.substr(start, at_ - start);
    }

    std::optional<std::string> method() {
        const auto raw = string();
        if (!raw || raw->find('\\') != std::string_view::npos || !rules::is_method_name(*raw))
            return std::nullopt;
        return std::string(*raw);
    }

    std::optional<Id> id() {
        if (at_ < text_.size() && text_[at_] == '"') {
            const auto raw = string();
            if (raw && rules::int64_from_text(*raw)) return std::string(*raw);
            return std::nullopt;
        }
        const auto raw = scalar();
        if (!raw) return std::nullopt;
        if (const auto value = rules::int64_from_text(*raw)) return *value;
        return std::nullopt;
    }

    bool skip_value() {
        if (at_ >= text_.size()) return false;
        const char first = text_[at_];
        if (first == '"') return string().has_value();
        if (first != '{' && first != '[') return scalar().has_value();
        for (std::size_t depth = 0; at_ < text_.size();) {
            const char c = text_[at_];
            if (c == '"') {
                if (!string()) return false;
                continue;
            }
            ++at_;
            if (c == '{' || c == '[') ++depth;
            if ((c == '}' || c == ']') && --depth == 0) return true;
        }
        return false;
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

}  // namespace

CallHead peek_call_head(std::string_view json_prefix) noexcept {
    try {
        return HeadScanner(json_prefix.substr(0, kMaxPeekBytes)).scan();
    } catch (...) {
        // Only allocation can throw here; a head we cannot build is a head we do not know.
        return {};
    }
}

}  // namespace cardbridge::protocol::legacy
