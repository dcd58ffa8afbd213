#pragma once
// `cairn plan ID` and `cairn sync ID`.
#include <functional>

namespace CLI {
class App;
}

namespace cairn::cli {

std::function<int()> add_sync_commands(CLI::App& app);

}  // namespace cairn::cli
