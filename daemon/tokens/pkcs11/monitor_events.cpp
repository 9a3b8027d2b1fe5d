// What the monitor's threads do with what they learn: compare a slot with what was reported
// and report the difference. A token is known by its id, so a key swapped in a slot between two
// looks is reported gone and then present.
#include "log.hpp"
#include "tokens/pkcs11/monitor_core.hpp"
#include "tokens/pkcs11/pkcs11_error.hpp"
#include "tokens/pkcs11/pkcs11_token.hpp"
#include "tokens/pkcs11/slot_scan.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {

void MonitorCore::report(KeyEvent event) noexcept {
    try {
        on_event_(std::move(event));
    } catch (...) {
        log(LogLevel::error, "the PKCS#11 monitor's event callback threw; event dropped");
    }
}

void MonitorCore::update(Watch& watch, CK_SLOT_ID slot, const std::optional<std::string>& token) {
    const std::string reader = pkcs11_reader_name(*watch.module, slot);
    const auto known = watch.reported.find(slot);
    const bool was = known != watch.reported.end();
    if (was && token == known->second) return;
    if (was) {
        watch.reported.erase(known);
        report(KeyEvent{.present = false, .reader = reader, .make = {}});
    }
    if (!token) return;
    watch.reported.emplace(slot, *token);
    report(KeyEvent{.present = true,
                    .reader = reader,
                    .make = [module = watch.module, slot]() -> std::unique_ptr<Token> {
                        return std::make_unique<Pkcs11Token>(module, slot);
                    }});
}

void MonitorCore::rescan(Watch& watch) {
    std::map<CK_SLOT_ID, std::string> present;
    try {
        present = tokens_present(*watch.module);
    } catch (const Error& e) {
        // stop() finalized the module under us: its tokens did not go anywhere.
        if (stopping()) return;
        // A module that cannot list its slots has no tokens we could use.
        log(LogLevel::warning, "PKCS#11 module " + watch.module->file_name() + ": " + e.what());
    }
    std::vector<CK_SLOT_ID> gone;
    for (const auto& [slot, id] : watch.reported)
        if (!present.contains(slot)) gone.push_back(slot);
    for (const CK_SLOT_ID slot : gone) update(watch, slot, std::nullopt);
    for (const auto& [slot, id] : present) update(watch, slot, id);
}

void MonitorCore::wait_for_events(std::shared_ptr<Watch> watch) noexcept {
    const std::string name = watch->module->file_name();
    try {
        for (;;) {
            {
                const std::lock_guard lock(mutex_);
                if (stopping_) return;
                watch->in_wait = true;
            }
            CK_SLOT_ID slot = 0;
            const CK_RV rv = watch->module->wait_for_slot_event(0, slot);
            {
                const std::lock_guard lock(mutex_);
                watch->in_wait = false;
                if (stopping_) return;  // left behind by stop(): report nothing
            }
            if (rv != CKR_OK) {
                // Many modules answer CKF_DONT_BLOCK but cannot block (SoftHSM), some fail
                // when their service goes: from now on the kernel's USB events tell when to
                // look, as for modules without the call.
                log(rv == CKR_FUNCTION_NOT_SUPPORTED ? LogLevel::info : LogLevel::warning,
                    "PKCS#11 module " + name + ": " + make_error("C_WaitForSlotEvent", rv).what() +
                        "; its slots are looked at when a USB device comes or goes");
                rescan(*watch);
                watch_on_hotplug(std::move(watch));
                return;
            }
            std::optional<std::string> token;
            try {
                token = token_in_slot(*watch->module, slot);
            } catch (const Error& e) {
                if (stopping()) return;
                log(LogLevel::warning, "PKCS#11 module " + name + ": " + e.what());
            }
            update(*watch, slot, token);
        }
    } catch (const std::exception& e) {
        log(LogLevel::error, "PKCS#11 module " + name + " is no longer watched: " + e.what());
    }
}

}  // namespace cardbridge::daemon::tokens::pkcs11
