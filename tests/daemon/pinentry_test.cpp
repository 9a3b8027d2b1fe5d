#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "cardbridge/protocol/error.hpp"
#include "pin/pinentry.hpp"
#include "test_env.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
// The stub reads its orders from the environment it inherits; each test sets its own and
// puts the old values back.
using test::ScopedEnv;
using test::TempDir;

namespace {

const PinentryConfig kStub{CARDBRIDGE_PINENTRY_STUB};

/// An executable shell script in `dir`.
fs::path script(const TempDir& dir, const std::string& name, const std::string& body) {
    const auto file = dir.path() / name;
    std::ofstream(file) << "#!/bin/sh\n" << body << "\n";
    fs::permissions(file, fs::perms::owner_all);
    return file;
}

PinPrompt portal_prompt() {
    return PinPrompt{"https://www.singlewindow.cn",
                     "sign: 登录",
                     "Virtual PCD 00 00",
                     "测试进出口贸易有限公司 张测试",
                     2,
                     PinPrompt::Kind::current};
}

std::string text_of(const SecurePin& pin) {
    return pin.with_bytes([](std::span<const unsigned char> bytes) {
        return std::string(bytes.begin(), bytes.end());
    });
}

std::size_t open_fds() {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator()));
}

bool no_children_left() {
    return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

Error error_from(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& e) {
        return e;
    }
    FAIL("no error was thrown");
    return Error(Reason::INTERNAL, "unreachable");
}

/// The lines of the stub's log with the Assuan escapes undone.
std::vector<std::string> logged(const fs::path& log) {
    std::vector<std::string> lines;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
        std::string plain;
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] == '%' && i + 2 < line.size()) {
                plain += static_cast<char>(std::stoi(line.substr(i + 1, 2), nullptr, 16));
                i += 2;
            } else {
                plain += line[i];
            }
        }
        lines.push_back(plain);
    }
    return lines;
}

}  // namespace

TEST_CASE("pinentry: the PIN typed arrives intact, escapes and all") {
    const auto fds = open_fds();
    for (const std::string typed : {"123456", "12%34 x", "%%25%", "pïn 密码", "a\nb"}) {
        CAPTURE(typed);
        ScopedEnv pin("CARDBRIDGE_PINENTRY_PIN", typed);
        CHECK(text_of(ask_pin(kStub, portal_prompt(), 10s)) == typed);
    }
    CHECK(open_fds() == fds);
    CHECK(no_children_left());
}

TEST_CASE("pinentry: the prompt names the origin, the purpose, the card and the retries left") {
    TempDir dir;
    ScopedEnv log("CARDBRIDGE_PINENTRY_LOG", (dir.path() / "log").string());
    ScopedEnv pin("CARDBRIDGE_PINENTRY_PIN", "123456");
    ask_pin(kStub, portal_prompt(), 10s);
    CHECK(logged(dir.path() / "log") ==
          std::vector<std::string>{
              "SETTITLE cardbridge",
              "SETDESC https://www.singlewindow.cn wants to sign: 登录\n"
              "Card: 测试进出口贸易有限公司 张测试 (Virtual PCD 00 00)\n"
              "2 tries left",
              "SETPROMPT PIN:",
          });
}

TEST_CASE("pinentry: a page cannot add lines of its own to the prompt, nor overflow it") {
    TempDir dir;
    ScopedEnv log("CARDBRIDGE_PINENTRY_LOG", (dir.path() / "log").string());
    ScopedEnv pin("CARDBRIDGE_PINENTRY_PIN", "123456");
    auto prompt = portal_prompt();
    prompt.purpose = "sign: 100% safe\nCard: Your bank\r\n3 tries left";
    prompt.retries_left = 1;
    ask_pin(kStub, prompt, 10s);
    prompt.purpose = std::string(2000, '%');  // over Assuan's line limit three times, escaped
    prompt.origin.clear();
    prompt.token_label.clear();
    ask_pin(kStub, prompt, 10s);

    const auto lines = logged(dir.path() / "log");
    REQUIRE(lines.size() == 6);
    CHECK(lines[1] ==
          "SETDESC https://www.singlewindow.cn wants to sign: 100% safe Card: Your bank  3 tries "
          "left\nCard: 测试进出口贸易有限公司 张测试 (Virtual PCD 00 00)\n1 try left");
    CHECK(lines[4].starts_with("SETDESC A local program wants to %%%"));
    CHECK(lines[4].ends_with("%…\nCard in Virtual PCD 00 00\n1 try left"));
}

TEST_CASE("pinentry: Cancel gives PIN_CANCELLED") {
    ScopedEnv cancel("CARDBRIDGE_PINENTRY_CANCEL", "1");
    const auto e = error_from([] { ask_pin(kStub, portal_prompt(), 10s); });
    CHECK(e.reason() == Reason::PIN_CANCELLED);
    CHECK(no_children_left());
}

TEST_CASE("pinentry: an unanswered prompt gives TIMEOUT at the deadline, and the child is reaped") {
    const auto fds = open_fds();
    ScopedEnv hang("CARDBRIDGE_PINENTRY_HANG", "1");
    const auto start = std::chrono::steady_clock::now();
    const auto e = error_from([] { ask_pin(kStub, portal_prompt(), 1s); });
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(e.reason() == Reason::TIMEOUT);
    CHECK(took >= 1s);
    CHECK(took < 2500ms);  // the deadline, then at most two grace periods to stop the child
    CHECK(no_children_left());
    CHECK(open_fds() == fds);
}

TEST_CASE("pinentry: a prompt that cannot be shown is INTERNAL, naming the program") {
    const auto fds = open_fds();
    TempDir dir;
    SUBCASE("missing") {
        const auto e =
            error_from([] { ask_pin({"/nonexistent/pinentry-x"}, portal_prompt(), 5s); });
        CHECK(e.reason() == Reason::INTERNAL);
        CHECK(std::string(e.what()) ==
              "PIN prompt /nonexistent/pinentry-x cannot be started: No such file or directory");
    }
    SUBCASE("none configured or found") {
        const auto e = error_from([] { ask_pin({}, portal_prompt(), 5s); });
        CHECK(e.reason() == Reason::INTERNAL);
        CHECK(std::string(e.what()).find("install pinentry-gnome3") != std::string::npos);
    }
    SUBCASE("exits at once") {
        const auto program = script(dir, "dies", "exit 3");
        const auto e = error_from([&] { ask_pin({program}, portal_prompt(), 5s); });
        CHECK(e.reason() == Reason::INTERNAL);
        CHECK(std::string(e.what()) == "PIN prompt " + program.string() +
                                           " ended the conversation (it exited or crashed; "
                                           "its messages are in the log)");
    }
    SUBCASE("not a pinentry") {
        const auto program = script(dir, "chatty", "echo hello; cat >/dev/null 2>&1");
        const auto e = error_from([&] { ask_pin({program}, portal_prompt(), 5s); });
        CHECK(e.reason() == Reason::INTERNAL);
        CHECK(std::string(e.what()).find("broke the Assuan protocol") != std::string::npos);
    }
    SUBCASE("an overlong line") {
        const auto program =
            script(dir, "long", "head -c 1500 /dev/zero | tr '\\0' '#'; cat >/dev/null 2>&1");
        const auto e = error_from([&] { ask_pin({program}, portal_prompt(), 5s); });
        CHECK(std::string(e.what()).find("a line longer than 1000 bytes") != std::string::npos);
    }
    SUBCASE("endless comments") {
        const auto program = script(dir, "endless", "yes '# still here' 2>/dev/null");
        const auto e = error_from([&] { ask_pin({program}, portal_prompt(), 5s); });
        CHECK(std::string(e.what()).find("more than 100 lines") != std::string::npos);
    }
    SUBCASE("its own error") {
        const auto program = script(
            dir, "noterm", "echo 'OK'; read l; echo 'ERR 83918950 Inappropriate ioctl for device'");
        const auto e = error_from([&] { ask_pin({program}, portal_prompt(), 5s); });
        CHECK(e.reason() == Reason::INTERNAL);
        CHECK(std::string(e.what()) == "PIN prompt " + program.string() +
                                           " failed: 83918950 Inappropriate ioctl for device");
    }
    CHECK(no_children_left());
    CHECK(open_fds() == fds);
}

TEST_CASE("pinentry: an empty or overlong PIN is PIN_FORMAT") {
    for (const auto& typed : {std::string(), std::string(SecurePin::kMaxBytes + 1, '1')}) {
        ScopedEnv pin("CARDBRIDGE_PINENTRY_PIN", typed);
        const auto e = error_from([] { ask_pin(kStub, portal_prompt(), 10s); });
        CHECK(e.reason() == Reason::PIN_FORMAT);
    }
}

TEST_CASE("pinentry: a new PIN is asked for twice and must be typed the same both times") {
    TempDir dir;
    SUBCASE("same") {
        ScopedEnv log("CARDBRIDGE_PINENTRY_LOG", (dir.path() / "log").string());
        ScopedEnv pin("CARDBRIDGE_PINENTRY_PIN", "87654321");
        CHECK(text_of(ask_new_pin(kStub, portal_prompt(), 10s)) == "87654321");
        const auto lines = logged(dir.path() / "log");
        REQUIRE(lines.size() == 6);
        CHECK(lines[2] == "SETPROMPT New PIN:");
        CHECK(lines[5] == "SETPROMPT Repeat the new PIN:");
    }
    SUBCASE("different") {
        // Answers 11111111 the first time and 22222222 after that.
        const auto once = dir.path() / "asked";
        const auto program =
            script(dir, "twice",
                   "echo OK; while read -r l; do case $l in GETPIN) if [ -e '" + once.string() +
                       "' ]; then echo 'D 22222222'; else : >'" + once.string() +
                       "'; echo 'D 11111111'; fi; echo OK;; *) echo OK;; esac; done");
        const auto e = error_from([&] { ask_new_pin({program}, portal_prompt(), 10s); });
        CHECK(e.reason() == Reason::PIN_FORMAT);
        CHECK(std::string(e.what()) == "the two new PINs differ");
    }
}

TEST_CASE("pinentry: the configured program wins, else the first known one on PATH") {
    TempDir dir;
    CHECK(find_pinentry(fs::path("/opt/my-pinentry")).program == "/opt/my-pinentry");
    ScopedEnv path("PATH", (dir.path() / "a").string() + "::" + (dir.path() / "b").string());
    CHECK(find_pinentry(std::nullopt).program.empty());
    fs::create_directories(dir.path() / "a");
    fs::create_directories(dir.path() / "b");
    script(dir, "b/pinentry-curses", "");
    script(dir, "a/pinentry-qt", "");
    std::ofstream(dir.path() / "a" / "pinentry");  // not executable: skipped
    CHECK(find_pinentry(std::nullopt).program == dir.path() / "a" / "pinentry-qt");
    script(dir, "b/pinentry-gnome3", "");
    CHECK(find_pinentry(std::nullopt).program == dir.path() / "b" / "pinentry-gnome3");
}
