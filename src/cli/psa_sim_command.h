#pragma once
// `cairn psa-sim`: serves one PSA's emulated REST API (src/sim/).
#include <functional>

namespace CLI {
class App;
}

namespace cairn::cli {

// Adds the psa-sim subcommand to app; the returned function runs it when it was chosen and
// returns the exit code.
std::function<int()> add_psa_sim_command(CLI::App& app);

}  // namespace cairn::cli
