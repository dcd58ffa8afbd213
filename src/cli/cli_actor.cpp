#include "cli/cli_actor.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace cairn::cli {

store::Actor cli_actor() {
  const char* user = std::getenv("USER");
  if (user && *user) return {std::string("cli:") + user, std::nullopt};
  if (const passwd* pw = getpwuid(geteuid())) return {std::string("cli:") + pw->pw_name, std::nullopt};
  return {"cli:uid " + std::to_string(geteuid()), std::nullopt};
}

}  // namespace cairn::cli
