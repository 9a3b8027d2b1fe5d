#pragma once
// The headers every answer carries, whoever produced it (README.md): the pages load only their
// own scripts and talk only to this server and the local cardbridge daemon.

#include <string>
#include <utility>
#include <vector>

namespace cardbridge::portal {

/// `api` adds Cache-Control: no-store, since API answers hold account data and CSRF tokens.
std::vector<std::pair<std::string, std::string>> security_headers(bool api);

}  // namespace cardbridge::portal
