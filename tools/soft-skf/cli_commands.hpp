#pragma once
// What each CLI command does to the store. Every one throws StoreError (exit code 1) with a
// message naming the file or argument at fault, or UsageError (exit code 2).

#include <ostream>

#include "cli_options.hpp"

namespace cardbridge::softskf::cli {

void create_device(const Options& options);
void import_keys(const Options& options);
void set_presence(const Options& options, bool present);
void remove_device(const Options& options);
void list_devices(const Options& options, std::ostream& out);
void show_device(const Options& options, std::ostream& out);

}  // namespace cardbridge::softskf::cli
