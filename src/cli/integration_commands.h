#pragma once
// `cairn integration add|list|show|update|remove|settings|pause|resume|test|webhooks`.
#include <functional>

namespace CLI {
class App;
}

namespace cairn::cli {

// Adds the integration subcommand to app; the returned function runs it when it was chosen
// (returning the exit code), or returns -1 when another subcommand was chosen.
std::function<int()> add_integration_commands(CLI::App& app);

}  // namespace cairn::cli
