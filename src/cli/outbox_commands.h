#pragma once
// `cairn outbox list|retry|drop|push`: the pushes to PSAs (D14) as a person sees and steers them.
#include <functional>

namespace CLI {
class App;
}

namespace cairn::cli {

// Adds the commands; the returned function runs the one parsed (-1 when none was).
std::function<int()> add_outbox_commands(CLI::App& app);

}  // namespace cairn::cli
