#pragma once
// `cairn directory-source add|list|show|update|remove`, `cairn import-ad` and `cairn plan-ad` (issue 7).
#include <functional>

namespace CLI {
class App;
}

namespace cairn::cli {

// Adds the subcommands to app; the returned function runs the chosen one (returning the exit
// code), or returns -1 when another subcommand was chosen.
std::function<int()> add_directory_commands(CLI::App& app);

}  // namespace cairn::cli
