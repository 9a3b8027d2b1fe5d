// cardbridge-vcard's transport without pcscd: the tests play vpcd over real TCP sockets and
// drive the control channel over its real Unix socket, against a card double that echoes.

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "card.hpp"
#include "cardbridge/protocol/error.hpp"
#include "control_channel.hpp"
#include "control_client.hpp"
#include "vpcd_frame.hpp"
#include "vpcd_link.hpp"

namespace cardbridge::vcard {

// The double: a fixed ATR, and every APDU answered with itself followed by 90 00.
struct Card::State {};
Card::Card(std::unique_ptr<State> state) : state_(std::move(state)) {}
Card::Card(Card&&) noexcept = default;
Card& Card::operator=(Card&&) noexcept = default;
Card::~Card() = default;
Card Card::load(const std::filesystem::path&) {
    return Card(std::make_unique<State>());
}
const std::vector<std::uint8_t>& Card::atr() const noexcept {
    static const std::vector<std::uint8_t> atr = {0x3B, 0x02, 0x14, 0x50};
    return atr;
}
void Card::power_on() {}
void Card::power_off() {}
void Card::reset() {}
std::vector<std::uint8_t> Card::transmit(std::span<const std::uint8_t> command) {
    std::vector<std::uint8_t> answer(command.begin(), command.end());
    answer.insert(answer.end(), {0x90, 0x00});
    return answer;
}

}  // namespace cardbridge::vcard

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace cardbridge;
using namespace cardbridge::vcard;
using Bytes = std::vector<std::uint8_t>;
using std::chrono::milliseconds;

const Bytes kAtr = {0x3B, 0x02, 0x14, 0x50};
const Bytes kApdu = {0x00, 0xA4, 0x04, 0x00, 0x01, 0xA0};
Bytes echoed(const Bytes& apdu) {
    Bytes answer = apdu;
    answer.insert(answer.end(), {0x90, 0x00});
    return answer;
}

std::filesystem::path test_control_socket() {
    return std::filesystem::temp_directory_path() /
           ("vcard-transport-" + std::to_string(::getpid()) + ".sock");
}

/// The card under test on a thread of its own, with its control channel; what the thread's
/// io_context throws ends up in `failure`.
class RunningCard {
public:
    RunningCard(VpcdEndpoint endpoint, milliseconds vpcd_wait = milliseconds{5000})
        : socket_(test_control_socket()),
          card_(Card::load({})),
          link_(io_, card_, std::move(endpoint), vpcd_wait),
          control_(io_, socket_, link_) {
        link_.insert();
        thread_ = std::thread([this] {
            try {
                io_.run();
            } catch (const Error& error) {
                failure = error.what();
            }
        });
    }
    ~RunningCard() {
        io_.stop();
        if (thread_.joinable()) thread_.join();
    }

    std::string command(const std::string& line) { return send_control_command(socket_, line); }
    const std::filesystem::path& control_socket() const { return socket_; }
    /// Waits for the card to end on its own.
    void finish() { thread_.join(); }

    std::string failure;

private:
    std::filesystem::path socket_;
    asio::io_context io_;
    Card card_;
    VpcdLink link_;
    ControlChannel control_;
    std::thread thread_;
};

/// vpcd's side of one connection, with blocking calls that give up after five seconds.
class FakeVpcd {
public:
    explicit FakeVpcd(tcp::socket socket) : socket_(std::move(socket)) {
        const timeval limit{5, 0};
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    }
    void send(const Bytes& payload) { asio::write(socket_, asio::buffer(encode_frame(payload))); }
    Bytes receive() {
        std::uint8_t length[2];
        asio::read(socket_, asio::buffer(length));
        Bytes payload(std::size_t{length[0]} << 8 | length[1]);
        asio::read(socket_, asio::buffer(payload));
        return payload;
    }
    bool silent_for(milliseconds time) {
        pollfd poll_fd{socket_.native_handle(), POLLIN, 0};
        return ::poll(&poll_fd, 1, static_cast<int>(time.count())) == 0;
    }
    bool closed_by_card() {
        std::uint8_t byte;
        boost::system::error_code error;
        socket_.read_some(asio::buffer(&byte, 1), error);
        return error == asio::error::eof;
    }

private:
    tcp::socket socket_;
};

/// vpcd in its default mode: listening, for the card to connect.
struct ListeningVpcd {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::address_v4::loopback(), 0)};
    std::uint16_t port() const { return acceptor.local_endpoint().port(); }
    FakeVpcd accept() { return FakeVpcd(acceptor.accept()); }
};

std::uint16_t free_port() {
    asio::io_context io;
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    return probe.local_endpoint().port();
}

}  // namespace

TEST_CASE("a frame arrives whole however the socket splits it") {
    const Bytes frame = encode_frame(kApdu);
    CHECK(frame == Bytes{0x00, 0x06, 0x00, 0xA4, 0x04, 0x00, 0x01, 0xA0});
    for (std::size_t cut = 0; cut <= frame.size(); ++cut) {
        FrameDecoder decoder;
        decoder.feed(std::span(frame).first(cut));
        if (cut < frame.size()) CHECK_FALSE(decoder.next());
        decoder.feed(std::span(frame).subspan(cut));
        CHECK(decoder.next() == kApdu);
        CHECK_FALSE(decoder.next());
    }
    CHECK_THROWS_AS(encode_frame(Bytes(0x10000)), Error);
}

TEST_CASE("connecting to vpcd: ATR, power and APDUs answered in order") {
    ListeningVpcd vpcd;
    RunningCard card({VpcdEndpoint::Role::connect, "127.0.0.1", vpcd.port()});
    FakeVpcd link = vpcd.accept();
    link.send({0x04});
    CHECK(link.receive() == kAtr);
    link.send({0x01});
    // Two APDUs in one go: answered one after the other.
    link.send(kApdu);
    link.send({0x80, 0xCA, 0x00, 0x00});
    CHECK(link.receive() == echoed(kApdu));
    CHECK(link.receive() == echoed({0x80, 0xCA, 0x00, 0x00}));
    CHECK(card.command("status") == "ok state=connected powered=yes muted=no delay_ms=0 apdus=2");
}

TEST_CASE("remove closes the connection and insert comes back") {
    ListeningVpcd vpcd;
    RunningCard card({VpcdEndpoint::Role::connect, "127.0.0.1", vpcd.port()});
    FakeVpcd first = vpcd.accept();
    first.send({0x01});
    CHECK(card.command("remove") == "ok state=removed powered=no muted=no delay_ms=0 apdus=0");
    CHECK(first.closed_by_card());
    CHECK(card.command("insert").starts_with("ok state="));
    FakeVpcd second = vpcd.accept();
    second.send({0x04});
    CHECK(second.receive() == kAtr);
}

TEST_CASE("a muted card answers nothing until unmuted, and delay slows each answer") {
    ListeningVpcd vpcd;
    RunningCard card({VpcdEndpoint::Role::connect, "127.0.0.1", vpcd.port()});
    FakeVpcd link = vpcd.accept();
    CHECK(card.command("mute").find("muted=yes") != std::string::npos);
    link.send(kApdu);
    link.send({0x04});
    CHECK(link.silent_for(milliseconds{100}));
    CHECK(card.command("unmute").starts_with("ok"));
    CHECK(link.receive() == echoed(kApdu));
    CHECK(link.receive() == kAtr);

    CHECK(card.command("delay 120").find("delay_ms=120") != std::string::npos);
    const auto start = std::chrono::steady_clock::now();
    link.send(kApdu);
    CHECK(link.receive() == echoed(kApdu));
    CHECK(std::chrono::steady_clock::now() - start >= milliseconds{120});
}

TEST_CASE("listening for vpcd (reverse mode) on loopback") {
    const auto port = free_port();
    RunningCard card({VpcdEndpoint::Role::listen, "127.0.0.1", port});
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
    FakeVpcd link(std::move(socket));
    link.send({0x04});
    CHECK(link.receive() == kAtr);
    CHECK(card.command("remove").starts_with("ok state=removed"));
    CHECK(link.closed_by_card());
    tcp::socket refused(io);
    boost::system::error_code error;
    refused.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), error);
    CHECK(error == asio::error::connection_refused);
}

TEST_CASE("a vpcd that keeps refusing ends the card with a clear error") {
    const auto port = free_port();
    RunningCard card({VpcdEndpoint::Role::connect, "127.0.0.1", port}, milliseconds{200});
    card.finish();
    CHECK(card.failure.find("refused the connection for 200 ms") != std::string::npos);
}

TEST_CASE("the control channel: owner only, one reply per line, bad lines refused") {
    ListeningVpcd vpcd;
    RunningCard card({VpcdEndpoint::Role::connect, "127.0.0.1", vpcd.port()});
    struct stat info {};
    REQUIRE(::stat(card.control_socket().c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK(card.command("dance").starts_with("error unknown command 'dance'"));
    CHECK(card.command("delay soon").starts_with("error delay takes milliseconds"));
    CHECK(card.command("delay 60001").starts_with("error delay takes milliseconds"));
    CHECK(card.command("mute now") == "error mute takes no argument");
    CHECK(card.command("status").starts_with("ok state="));
    asio::io_context other_io;
    Card other_card = Card::load({});
    VpcdLink other_link(other_io, other_card, {VpcdEndpoint::Role::listen, "127.0.0.1", 1},
                        milliseconds{0});
    CHECK_THROWS_WITH_AS(ControlChannel(other_io, card.control_socket(), other_link),
                         doctest::Contains("in use by another process"), Error);
}

TEST_CASE("a control socket left behind by a killed card is replaced") {
    const auto path = test_control_socket();
    {
        const int stale = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        REQUIRE(::bind(stale, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        ::close(stale);
    }
    ListeningVpcd vpcd;
    RunningCard card({VpcdEndpoint::Role::connect, "127.0.0.1", vpcd.port()});
    CHECK(card.command("status").starts_with("ok state="));
}
