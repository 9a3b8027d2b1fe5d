#include "support/test_server.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace cardbridge::portal::test {

namespace fs = std::filesystem;

fs::path pki_dir() {
    return CARDBRIDGE_TEST_PKI_DIR;
}

TempDir::TempDir() {
    std::string pattern = (fs::temp_directory_path() / "portal-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

namespace {

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

}  // namespace

TestServer::TestServer(ServerSettings settings) : db_file_(dir_.path() / "portal.db") {
    const auto web = dir_.path() / "web";
    write(web / "index.html", "<!doctype html><title>门户首页</title>");
    write(web / "js" / "app.js", "export const ok = true;\n");
    write(web / "css" / "site.css", "body{}\n");
    write(web / "img" / "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    write(web / "data.json", "{}");
    write(dir_.path() / "secret.txt", "outside the web root");

    Options options;
    options.listen_address = "127.0.0.1";
    options.listen_port = 0;
    options.ca_file = settings.ca_file.empty() ? (pki_dir() / "ca" / "bundle.pem").string()
                                               : settings.ca_file.string();
    options.db_file = db_file_.string();
    options.web_dir = web.string();
    portal_ = std::make_unique<Portal>(
        options, [this] { return std::time(nullptr) + offset_.load(); }, web);
    thread_ = std::thread([this] { portal_->run(); });
}

TestServer::~TestServer() {
    portal_->stop();
    thread_.join();
}

}  // namespace cardbridge::portal::test
