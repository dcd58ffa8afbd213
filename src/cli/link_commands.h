#pragma once
// `cairn link` and `cairn unlink`: a person's own links (D7), kept across syncs.
#include <functional>

namespace CLI {
class App;
}

namespace cairn::cli {

// Adds the commands; the returned function runs the one parsed (-1 when neither was).
std::function<int()> add_link_commands(CLI::App& app);

}  // namespace cairn::cli
