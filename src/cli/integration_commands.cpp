#include "cli/integration_commands.h"

#include <CLI/CLI.hpp>

namespace cairn::cli {

std::function<int()> add_integration_commands(CLI::App&) {
  return [] { return -1; };
}

}  // namespace cairn::cli
