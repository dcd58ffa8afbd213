#include "cli/psa_sim_command.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace cairn::cli {

std::function<int()> add_psa_sim_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("psa-sim", "Serve an emulated PSA REST API (not yet built)");
  return [cmd]() -> int {
    if (!*cmd) return -1;
    std::cerr << "cairn psa-sim: the emulators are not built yet\n";
    return 1;
  };
}

}  // namespace cairn::cli
