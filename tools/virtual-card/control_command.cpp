#include "control_command.hpp"

#include <charconv>
#include <vector>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::vcard {
namespace {

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> found;
    constexpr std::string_view kBlank = " \t\r";
    for (auto start = line.find_first_not_of(kBlank); start != std::string_view::npos;) {
        const auto end = line.find_first_of(kBlank, start);
        found.push_back(line.substr(start, end - start));
        start = end == std::string_view::npos ? end : line.find_first_not_of(kBlank, end);
    }
    return found;
}

std::chrono::milliseconds parse_delay(std::string_view text) {
    unsigned long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() ||
        value > static_cast<unsigned long>(kMaxAnswerDelay.count())) {
        throw Error(Reason::INVALID_PARAMS, "delay takes milliseconds from 0 to " +
                                                std::to_string(kMaxAnswerDelay.count()) +
                                                ", not '" + std::string(text) + "'");
    }
    return std::chrono::milliseconds(value);
}

const char* state_name(LinkState state) {
    switch (state) {
        case LinkState::removed:
            return "removed";
        case LinkState::waiting:
            return "waiting";
        case LinkState::connected:
            return "connected";
    }
    return "unknown";
}

const char* yes_no(bool value) {
    return value ? "yes" : "no";
}

}  // namespace

ControlCommand parse_control_command(std::string_view line) {
    using Kind = ControlCommand::Kind;
    const auto parts = words(line);
    if (parts.empty()) throw Error(Reason::INVALID_REQUEST, "empty command");
    const auto name = parts.front();
    if (name == "delay") {
        if (parts.size() != 2) throw Error(Reason::INVALID_PARAMS, "usage: delay <ms>");
        return {Kind::delay, parse_delay(parts[1])};
    }
    static constexpr std::pair<std::string_view, Kind> kPlain[] = {
        {"insert", Kind::insert}, {"remove", Kind::remove}, {"mute", Kind::mute},
        {"unmute", Kind::unmute}, {"status", Kind::status},
    };
    for (const auto& [word, kind] : kPlain) {
        if (name != word) continue;
        if (parts.size() != 1) {
            throw Error(Reason::INVALID_PARAMS, std::string(word) + " takes no argument");
        }
        return {kind, {}};
    }
    throw Error(Reason::METHOD_NOT_FOUND,
                "unknown command '" + std::string(name) +
                    "' (insert, remove, mute, unmute, delay <ms>, status)");
}

std::string format_status(const LinkStatus& status) {
    return std::string("state=") + state_name(status.state) + " powered=" + yes_no(status.powered) +
           " muted=" + yes_no(status.muted) + " delay_ms=" + std::to_string(status.delay.count()) +
           " apdus=" + std::to_string(status.apdus);
}

std::string run_control_command(std::string_view line, VpcdLink& link) {
    using Kind = ControlCommand::Kind;
    try {
        const auto command = parse_control_command(line);
        switch (command.kind) {
            case Kind::insert:
                link.insert();
                break;
            case Kind::remove:
                link.remove();
                break;
            case Kind::mute:
                link.mute();
                break;
            case Kind::unmute:
                link.unmute();
                break;
            case Kind::delay:
                link.set_delay(command.delay);
                break;
            case Kind::status:
                break;
        }
        return "ok " + format_status(link.status());
    } catch (const Error& error) {
        return std::string("error ") + error.what();
    }
}

}  // namespace cardbridge::vcard
