#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.hpp"
#include "test_env.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon;
using namespace std::chrono;
namespace fs = std::filesystem;
using test::mode_of;
using test::TempDir;

namespace {

AuditEntry signature() {
    AuditEntry entry;
    entry.time = sys_days{year{2026} / 11 / 27} + 7h + 1min + 2s;
    entry.origin = "https://www.singlewindow.cn";
    entry.token = "piv:0123456789abcdef0123456789abcdef";
    entry.reader = "Virtual PCD 00 00";
    entry.certificate_serial = "030000000000039c";
    entry.purpose = "报关单 123";
    entry.operation = AuditEntry::Operation::sign;
    entry.algorithm = "SM2-SM3";
    return entry;
}

std::vector<std::string> lines_of(const fs::path& file) {
    std::vector<std::string> lines;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("audit log: one line per operation, every field named, the file private") {
    TempDir dir;
    const auto file = dir.path() / "state" / "cardbridge" / "audit.log";
    const AuditLog audit(file);
    CHECK_FALSE(fs::exists(file));  // nothing until the first entry

    audit.append(signature());
    auto login = signature();
    login.operation = AuditEntry::Operation::login;
    login.purpose = "";
    login.failure = Reason::PIN_INCORRECT;
    audit.append(login);

    const auto lines = lines_of(file);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] ==
          R"({"time":"2026-11-27T07:01:02Z","origin":"https://www.singlewindow.cn",)"
          R"("token":"piv:0123456789abcdef0123456789abcdef","reader":"Virtual PCD 00 00",)"
          R"("certificateSerial":"030000000000039c","purpose":"报关单 123","operation":"sign",)"
          R"("algorithm":"SM2-SM3","result":"ok"})");
    const auto second = nlohmann::json::parse(lines[1]);
    CHECK(second["operation"] == "login");
    CHECK(second["result"] == "PIN_INCORRECT");
    CHECK(second.size() == 9);
    CHECK(mode_of(file) == 0600);
    CHECK(mode_of(file.parent_path()) == 0700);
}

TEST_CASE("audit log: what a page or a card says cannot break a line") {
    TempDir dir;
    const AuditLog audit(dir.path() / "audit.log");
    auto entry = signature();
    entry.purpose = "a \"quoted\" \\ purpose\n{\"result\":\"ok\"}\r\x01";
    entry.reader = "bad UTF-8 \xC3\x28 here";
    audit.append(entry);

    const auto lines = lines_of(dir.path() / "audit.log");
    REQUIRE(lines.size() == 1);
    const auto line = nlohmann::json::parse(lines[0]);
    CHECK(line["purpose"] == entry.purpose);
    CHECK(line["reader"] == "bad UTF-8 \xEF\xBF\xBD( here");  // U+FFFD for the bad byte
}

TEST_CASE("audit log: four threads writing at once give whole lines") {
    TempDir dir;
    const AuditLog audit(dir.path() / "audit.log");
    constexpr int kThreads = 4, kEach = 500;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&audit, t] {
            auto entry = signature();
            // Long lines, so that a write split in two would show.
            entry.purpose = std::string(2000, static_cast<char>('a' + t));
            for (int i = 0; i < kEach; ++i) audit.append(entry);
        });
    }
    for (auto& thread : threads) thread.join();

    const auto lines = lines_of(dir.path() / "audit.log");
    REQUIRE(lines.size() == kThreads * kEach);
    std::vector<int> per_thread(kThreads);
    for (const auto& text : lines) {
        const auto purpose = nlohmann::json::parse(text)["purpose"].get<std::string>();
        REQUIRE(purpose.size() == 2000);
        REQUIRE(purpose.find_first_not_of(purpose[0]) == std::string::npos);
        ++per_thread[purpose[0] - 'a'];
    }
    CHECK(per_thread == std::vector<int>(kThreads, kEach));
}

TEST_CASE("audit log: a log that cannot be written does not fail the operation") {
    TempDir dir;
    std::ofstream(dir.path() / "file");
    const AuditLog audit(dir.path() / "file" / "cardbridge" / "audit.log");
    audit.append(signature());  // noexcept; the failure goes to the daemon's log
    CHECK_FALSE(fs::exists(dir.path() / "file" / "cardbridge"));
}
