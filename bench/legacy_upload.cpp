#include "legacy_upload.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "cardbridge/protocol/blocktxt_split.hpp"

namespace cardbridge::bench {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr auto kMethod = "cus-sec_SpcSignDataAsPEM";
// Any fixed GUID: the daemon only needs it well-formed and unique among a connection's uploads.
constexpr std::string_view kGuid = "6c0f5a1e-3b2d-4c7e-9f10-2a4b6c8d0e1f";

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// Declaration-like text: ASCII tags and figures with a Chinese goods name and unit in every
/// line (5 three-byte characters in 72 bytes), padded with spaces to exactly `bytes`.
std::string upload_text(std::size_t bytes) {
    static constexpr std::string_view kLine =
        "<Item><GName>钢制螺栓</GName><Qty>1200</Qty><Unit>个</Unit></Item>\n";
    std::string text;
    text.reserve(bytes);
    while (text.size() + kLine.size() <= bytes) text += kLine;
    text.append(bytes - text.size(), ' ');
    return text;
}

/// UTF-16 code units of valid UTF-8 without characters outside the BMP: one per lead byte.
std::size_t utf16_units(std::string_view utf8) {
    std::size_t units = 0;
    for (const char c : utf8) units += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return units;
}

/// TCP_NODELAY on this process's connections to `port`. Browsers set it on every socket;
/// WsClient (tests/harness) does not, and with Nagle on, the tail of each ~120 KiB frame waits
/// for the daemon's delayed ACK (~40 ms), which would measure the client, not the daemon.
void set_nodelay(std::uint16_t port) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        const int fd = std::stoi(entry.path().filename().string());
        sockaddr_in peer{};
        socklen_t size = sizeof peer;
        if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) != 0 ||
            peer.sin_family != AF_INET || ntohs(peer.sin_port) != port)
            continue;
        const int on = 1;
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0)
            throw std::runtime_error("setsockopt(TCP_NODELAY) failed");
    }
}

}  // namespace

LegacyClient::LegacyClient(std::uint16_t port, const std::string& origin)
    : ws_(port, origin, std::chrono::seconds(30)) {
    const auto hello = read_message();
    if (hello.value("_method", "") != "open")
        throw std::runtime_error("expected the legacy hello first: " + hello.dump());
}

json LegacyClient::read_message() {
    auto text = ws_.read_text();
    if (!text) throw std::runtime_error("the daemon closed the connection");
    return json::parse(*text);
}

json LegacyClient::read_answer(std::int64_t id) {
    auto answer = read_message();
    if (answer.value("_id", json()) != id)
        throw std::runtime_error("an answer to another call: " + answer.dump().substr(0, 500));
    return answer;
}

json LegacyClient::call(const std::string& method, const json& args) {
    const auto id = next_id();
    ws_.send_text(json{{"_method", method}, {"_id", id}, {"args", args}}.dump());
    auto answer = read_answer(id);
    if (answer["_args"]["Result"] != true) throw std::runtime_error(method + ": " + answer.dump());
    return std::move(answer["_args"]);
}

json LegacyClient::upload(const std::vector<std::string>& frames, std::int64_t id,
                          double& finished_ms, double& writing_ms) {
    const auto start = Clock::now();
    writing_ms = 0;
    const auto send = [&](std::size_t block) {
        const auto writing = Clock::now();
        ws_.send_text(frames.at(block));
        writing_ms += ms_since(writing);
    };
    send(0);
    for (;;) {
        const auto message = read_message();
        if (message.value("_method", "") != "_nextBlock")
            throw std::runtime_error("expected _nextBlock: " + message.dump().substr(0, 500));
        const auto& step = message["_args"]["Data"].at(0);
        if (message["_args"]["Result"] != true)
            throw std::runtime_error("the daemon refused a block: " + message.dump());
        if (step["finish"] == true) break;
        send(step["next"].get<std::size_t>());
    }
    finished_ms = ms_since(start);
    return read_answer(id);
}

UploadResult measure_upload(std::uint16_t port, const std::string& origin, pid_t daemon,
                            const std::string& pin, std::size_t data_bytes, int rounds,
                            bool nodelay) {
    LegacyClient client(port, origin);
    if (nodelay) set_nodelay(port);
    UploadResult result;
    result.nodelay = nodelay;
    result.data_bytes = data_bytes;
    for (int round = 0; round < rounds; ++round) {
        const auto id = client.next_id();
        std::vector<std::string> frames;
        {
            const auto data = upload_text(data_bytes);
            result.data_units = utf16_units(data);
            const auto request = json{{"_method", kMethod},
                                      {"_id", id},
                                      {"args", {{"inData", data}, {"passwd", pin}}}}
                                     .dump();
            result.request_bytes = request.size();
            frames = protocol::blocktxt::encode(request, kGuid);
        }
        result.frames = frames.size();
        UploadRound r;
        r.lifetime_hwm_kib = sample_process(daemon).hwm_kib;
        result.peak_reset = reset_peak_rss(daemon) && result.peak_reset;
        r.before = sample_process(daemon);
        const auto start = Clock::now();
        const auto answer = client.upload(frames, id, r.finished_ms, r.writing_ms);
        r.wall_ms = ms_since(start);
        // The io thread wipes and frees the call's strings after it has queued the answer: let
        // it finish before reading what stays.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        r.after = sample_process(daemon);
        const auto& args = answer["_args"];
        if (args["Result"] != true || !args["Data"].is_array() || args["Data"].size() != 2)
            throw std::runtime_error("the upload's answer is not Result true with 2 Data: " +
                                     answer.dump());
        result.rounds.push_back(r);
    }
    return result;
}

}  // namespace cardbridge::bench
