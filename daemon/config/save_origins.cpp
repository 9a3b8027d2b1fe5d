// save_origins: the one place the daemon writes its config file, atomically.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "cardbridge/protocol/error.hpp"
#include "config/config.hpp"
#include "config/config_file.hpp"
#include "cardbridge/unique_fd.hpp"

namespace cardbridge::daemon {

namespace fs = std::filesystem;
using protocol::Json;

namespace {

/// A file being written next to its final name, removed unless commit() renamed it there.
class TempFile {
public:
    explicit TempFile(const fs::path& target)
        : target_(target),
          path_((target.parent_path() / ("." + target.filename().string() + ".XXXXXX")).string()),
          fd_(::mkostemp(path_.data(), O_CLOEXEC)) {
        if (!fd_) fail("cannot create a file in " + target.parent_path().string());
    }
    ~TempFile() {
        if (!committed_) ::unlink(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    /// Writes `text`, makes it durable and renames it over the target.
    void commit(std::string_view text) {
        if (::fchmod(fd_.get(), 0600) != 0) fail("cannot set the mode of " + path_);
        while (!text.empty()) {
            const ssize_t n = ::write(fd_.get(), text.data(), text.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail("cannot write " + path_);
            text.remove_prefix(static_cast<std::size_t>(n));
        }
        // Durable before the rename, so a crash leaves the old file or the new, never an empty.
        if (::fsync(fd_.get()) != 0) fail("cannot write " + path_);
        if (::close(fd_.release()) != 0) fail("cannot write " + path_);
        if (::rename(path_.c_str(), target_.c_str()) != 0)
            fail("cannot replace " + target_.string());
        committed_ = true;
    }

private:
    [[noreturn]] static void fail(const std::string& what) {
        throw Error(Reason::INTERNAL, what + ": " + std::strerror(errno));
    }

    fs::path target_;
    std::string path_;  // mkostemp's template, then the name it made
    UniqueFd fd_;
    bool committed_ = false;
};

}  // namespace

Json origins_to_json(const std::vector<OriginRule>& rules) {
    Json list = Json::array();
    for (const auto& rule : rules)
        list.push_back({{"pattern", rule.pattern.str()},
                        {"login", rule.may_login},
                        {"sign", rule.may_sign},
                        {"sendPin", rule.may_send_pin}});
    return list;
}

void save_origins(const fs::path& file, const std::vector<OriginRule>& rules) {
    Json document = Json::object();
    if (const auto text = read_config_file(file)) {
        document = parse_config_file(file, *text);
        if (!document.is_object())
            throw Error(Reason::INVALID_PARAMS,
                        shown_path(file) + ": is not a JSON object ({…}); left as it is");
    }
    document["origins"] = origins_to_json(rules);

    const auto dir = file.parent_path();
    std::error_code ec;
    if (!dir.empty() && !fs::is_directory(dir, ec)) {
        fs::create_directories(dir.parent_path(), ec);
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
            throw Error(Reason::INTERNAL,
                        "cannot create " + dir.string() + ": " + std::strerror(errno));
    }
    TempFile(file).commit(document.dump(2) + "\n");
}

}  // namespace cardbridge::daemon
