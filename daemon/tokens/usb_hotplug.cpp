#include "tokens/usb_hotplug.hpp"

#include <linux/netlink.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon::tokens {
namespace {

using Clock = std::chrono::steady_clock;

// One plug is a burst of uevents (the device, each interface, the drivers binding); it has
// settled after this long without another USB uevent.
constexpr std::chrono::milliseconds kSettle{300};
// A device that keeps re-enumerating must not hold the rescan back for ever.
constexpr std::chrono::milliseconds kMaxSettle{3000};
// The kernel sends at most UEVENT_BUFFER_SIZE (2048) bytes per uevent.
constexpr std::size_t kMaxMessage = 8192;
// The kernel's multicast group for uevents; udevd re-sends them on group 2 in its own format.
constexpr unsigned kKernelGroup = 1;

Error system_error(const char* what) {
    return Error(Reason::NOT_SUPPORTED, std::string(what) + ": " + std::strerror(errno));
}

enum class Uevent { other, usb, usb_plug };

// "ACTION@DEVPATH\0KEY=VALUE\0...": a USB device (or interface) added or removed is a plug;
// any other USB uevent (bind, unbind, change) belongs to the burst of one.
Uevent classify(std::string_view message) {
    std::string_view action;
    std::string_view subsystem;
    std::size_t start = message.find('\0');
    while (start != std::string_view::npos && start + 1 < message.size()) {
        const std::size_t end = message.find('\0', start + 1);
        const std::string_view field =
            message.substr(start + 1, end == std::string_view::npos ? end : end - start - 1);
        if (field.starts_with("ACTION=")) action = field.substr(7);
        if (field.starts_with("SUBSYSTEM=")) subsystem = field.substr(10);
        start = end;
    }
    if (subsystem != "usb") return Uevent::other;
    return action == "add" || action == "remove" ? Uevent::usb_plug : Uevent::usb;
}

struct Received {
    bool plug = false;
    bool usb = false;
};

// Reads every queued uevent. A full receive queue (ENOBUFS) lost some, any of which may have
// been a plug: that counts as one.
Received drain(int socket) {
    Received received;
    std::array<char, kMaxMessage> buffer;
    for (;;) {
        sockaddr_nl sender{};
        socklen_t sender_size = sizeof sender;
        const ssize_t size = ::recvfrom(socket, buffer.data(), buffer.size(), MSG_TRUNC,
                                        reinterpret_cast<sockaddr*>(&sender), &sender_size);
        if (size < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return received;
            if (errno == ENOBUFS) {
                received.plug = received.usb = true;
                continue;
            }
            throw Error(Reason::INTERNAL, std::string("uevent socket: ") + std::strerror(errno));
        }
        // Only the kernel (port 0) speaks for devices; a truncated message cannot be read.
        if (sender.nl_pid != 0 || static_cast<std::size_t>(size) > buffer.size()) continue;
        const Uevent uevent = classify(std::string_view(buffer.data(), size));
        received.plug = received.plug || uevent == Uevent::usb_plug;
        received.usb = received.usb || uevent != Uevent::other;
    }
}

}  // namespace

UsbHotplug::UsbHotplug()
    : socket_(
          ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT)),
      cancel_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!socket_) throw system_error("uevent socket");
    if (!cancel_) throw system_error("eventfd");
    sockaddr_nl address{};
    address.nl_family = AF_NETLINK;
    address.nl_groups = kKernelGroup;
    if (::bind(socket_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        throw system_error("uevent socket bind");
}

bool UsbHotplug::wait() {
    std::array<pollfd, 2> fds{pollfd{socket_.get(), POLLIN, 0}, pollfd{cancel_.get(), POLLIN, 0}};
    bool plugged = false;
    Clock::time_point first{};
    Clock::time_point settled{};
    for (;;) {
        int timeout = -1;
        if (plugged) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(
                std::min(settled, first + kMaxSettle) - Clock::now());
            timeout = static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
        }
        const int ready = ::poll(fds.data(), fds.size(), timeout);
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw Error(Reason::INTERNAL, std::string("poll: ") + std::strerror(errno));
        }
        // Left unread, so that every later wait() returns false too.
        if ((fds[1].revents & POLLIN) != 0) return false;
        if (ready == 0) return true;  // a plug, then quiet for kSettle
        if ((fds[0].revents & POLLNVAL) != 0)
            throw Error(Reason::INTERNAL, "the uevent socket is closed");
        // POLLERR is a full receive queue (ENOBUFS), which drain() reads as a plug.
        const Received received = drain(socket_.get());
        const auto now = Clock::now();
        if (received.plug && !plugged) {
            plugged = true;
            first = now;
        }
        if (plugged && received.usb) settled = now + kSettle;
    }
}

void UsbHotplug::cancel() noexcept {
    const std::uint64_t one = 1;
    // Can only fail when the counter would overflow, and then it is readable already.
    [[maybe_unused]] const ssize_t written = ::write(cancel_.get(), &one, sizeof one);
}

}  // namespace cardbridge::daemon::tokens
