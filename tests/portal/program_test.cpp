// The program itself, as a child process: the ready line with the real port, serving, the
// usage errors, and a clean stop on SIGTERM.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <string>
#include <vector>

#include "support/api.hpp"

using namespace cardbridge::portal::test;

namespace {

struct Child {
    pid_t pid = -1;
    int out = -1;
    int err = -1;
};

Child spawn(const std::vector<std::string>& args) {
    int out[2], err[2];
    REQUIRE(pipe2(out, O_CLOEXEC) == 0);
    REQUIRE(pipe2(err, O_CLOEXEC) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        std::vector<char*> argv;
        for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    return {pid, out[0], err[0]};
}

// Everything up to the first newline, waiting at most `ms`.
std::string read_line(int fd, int ms) {
    std::string line;
    char c;
    while (line.find('\n') == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, ms) <= 0) break;
        if (read(fd, &c, 1) != 1) break;
        line += c;
    }
    return line;
}

int wait_exit(pid_t pid) {
    for (int i = 0; i < 100; ++i) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        usleep(50 * 1000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return -2;
}

}  // namespace

TEST_CASE("the program says where it serves, serves, and stops cleanly on SIGTERM") {
    TempDir dir;
    const auto child = spawn({CARDBRIDGE_PORTAL_BINARY, "--listen", "127.0.0.1:0", "--ca",
                              (pki_dir() / "ca" / "bundle.pem").string(), "--db",
                              (dir.path() / "portal.db").string()});
    const auto line = read_line(child.out, 10000);
    std::smatch match;
    const std::regex ready(
        R"(cardbridge-portal: serving http://127\.0\.0\.1:(\d+) \(listening on 127\.0\.0\.1:(\d+)\)\n)");
    REQUIRE_MESSAGE(std::regex_match(line, match, ready), line);
    CHECK(match[1] == match[2]);
    const auto port = static_cast<std::uint16_t>(std::stoi(match[1]));
    CHECK(port != 0);
    Browser browser(port, "http://127.0.0.1:" + match[1].str());
    check_ok(browser.open());
    // The default --web is web/ next to the program, where the build copies the pages and
    // the extension's page library.
    const auto library = browser.get("/lib/cardbridge.js");
    CHECK(library.status == 200);
    CHECK(library.header("content-type") == "text/javascript; charset=utf-8");
    // One log line per request, without the cookie.
    const auto log = read_line(child.err, 5000);
    CHECK(log == "cardbridge-portal: GET /api/session 200 " + log.substr(40));
    CHECK(log.find(browser.cookie()) == std::string::npos);
    kill(child.pid, SIGTERM);
    CHECK(wait_exit(child.pid) == 0);
    close(child.out);
    close(child.err);
}

TEST_CASE("the program refuses a missing option or an unreadable CA bundle") {
    TempDir dir;
    const auto usage = spawn({CARDBRIDGE_PORTAL_BINARY, "--listen", "127.0.0.1:0"});
    CHECK(wait_exit(usage.pid) == 2);
    CHECK(read_line(usage.err, 1000).find("--ca FILE is required") != std::string::npos);
    const auto bad_ca =
        spawn({CARDBRIDGE_PORTAL_BINARY, "--listen", "127.0.0.1:0", "--ca",
               (dir.path() / "none.pem").string(), "--db", (dir.path() / "p.db").string()});
    CHECK(wait_exit(bad_ca.pid) == 1);
    CHECK(read_line(bad_ca.err, 1000).find("none.pem") != std::string::npos);
    for (const auto& child : {usage, bad_ca}) {
        close(child.out);
        close(child.err);
    }
}
