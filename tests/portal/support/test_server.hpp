#pragma once
// The real portal, in-process on its own thread, on a free port, with a fresh database, the
// test PKI's CA bundle, a small web directory and a clock the test can move forward.

#include <atomic>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "portal.hpp"

namespace cardbridge::portal::test {

std::filesystem::path pki_dir();

/// A directory removed with everything in it when the object goes.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

struct ServerSettings {
    /// Empty: the test PKI's bundle.
    std::filesystem::path ca_file;
};

class TestServer {
public:
    explicit TestServer(ServerSettings settings = {});
    ~TestServer();

    std::uint16_t port() const { return portal_->port(); }
    const std::string& origin() const { return portal_->origin(); }
    const std::filesystem::path& db_file() const { return db_file_; }
    /// Moves the server's clock forward.
    void advance(std::time_t seconds) { offset_ += seconds; }

private:
    TempDir dir_;
    std::filesystem::path db_file_;
    std::atomic<std::time_t> offset_{0};
    std::unique_ptr<Portal> portal_;
    std::thread thread_;
};

}  // namespace cardbridge::portal::test
