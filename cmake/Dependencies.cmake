# Every dependency is a Debian 12 package; scripts/install-deps.sh installs them.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

if(NOT CARDBRIDGE_FUZZ_ONLY)
  find_package(Boost 1.74 REQUIRED)
  find_package(doctest REQUIRED)
  pkg_check_modules(PCSC REQUIRED IMPORTED_TARGET libpcsclite)
  pkg_check_modules(P11KIT REQUIRED IMPORTED_TARGET p11-kit-1)
  find_package(SQLite3 REQUIRED)  # SQLite::SQLite3, for examples/portal
endif()
