#include "tokens/pkcs11/pkcs11_monitor.hpp"

#include "tokens/pkcs11/monitor_core.hpp"

namespace cardbridge::daemon::tokens {

Pkcs11Monitor::Pkcs11Monitor(std::vector<std::string> module_paths, bool use_registry,
                             Callback on_event)
    : core_(std::make_shared<pkcs11::MonitorCore>(std::move(module_paths), use_registry,
                                                  std::move(on_event))) {
    core_->start();
}

Pkcs11Monitor::~Pkcs11Monitor() {
    stop();
}

void Pkcs11Monitor::stop() noexcept {
    core_->stop();
}

}  // namespace cardbridge::daemon::tokens
