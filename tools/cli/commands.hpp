#pragma once
// The subcommands. Each returns the exit status; errors it does not handle itself propagate as
// cardbridge::Error to main, which reports them.

#include "arguments.hpp"
#include "output.hpp"

namespace cardbridge::cli {

ExitStatus run_readers(const Invocation& inv, const Output& out);
ExitStatus run_watch(const Invocation& inv, const Output& out);
ExitStatus run_info(const Invocation& inv, const Output& out);
ExitStatus run_verify_pin(const Invocation& inv, const Output& out);
ExitStatus run_login_test(const Invocation& inv, const Output& out);
/// origins list, add and remove.
ExitStatus run_origins(const Invocation& inv, const Output& out);
ExitStatus run_doctor(const Invocation& inv, const Output& out);
/// install-browser-integration and uninstall-browser-integration.
ExitStatus run_browser_integration(const Invocation& inv, const Output& out);

}  // namespace cardbridge::cli
