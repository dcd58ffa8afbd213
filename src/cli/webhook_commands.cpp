#include "cli/webhook_commands.h"

#include <cstdlib>
#include <iostream>

#include "cli/cli_actor.h"
#include "store/database.h"
#include "store/integrations.h"
#include "sync/change_notices.h"
#include "sync/connectors.h"

namespace cairn::cli {

int run_integration_webhooks(const std::string& db_spec, std::int64_t id, bool register_them, std::string public_url) {
  const std::string cmd = "cairn integration webhooks: ";
  if (public_url.empty())
    if (const char* env = std::getenv("CAIRN_PUBLIC_URL"); env && *env) public_url = env;
  if (public_url.empty()) {
    std::cerr << cmd << "the PSA needs Cairn's public URL to post to: give --url https://cairn.example.com "
                        "(or set CAIRN_PUBLIC_URL)\n";
    return 2;
  }
  auto db = store::Database::open(db_spec, 2);
  std::optional<store::Integration> integration;
  try {
    integration = sync::read_integration(*db, id);
  } catch (const std::exception& e) {
    std::cerr << cmd << e.what() << "\n";
    return 1;
  }
  if (!integration) {
    std::cerr << cmd << "no integration with id " << id << " (see `cairn integration list`)\n";
    return 1;
  }
  if (auto why = sync::notices_unsupported_reason(*integration); !why.empty()) {
    std::cerr << cmd << why << "\n";
    return 1;
  }
  const std::string url = sync::notice_url(public_url, id);
  try {
    auto regs = register_them ? sync::register_notices(*db, *integration, url, cli_actor())
                              : sync::list_notice_registrations(*integration, url);
    for (const auto& r : regs)
      std::cout << r.type << "\t" << r.id << "\t" << (r.active ? "active" : "inactive") << "\t"
                << (r.created ? "created" : "registered") << "\t" << r.url << "\n";
    if (regs.empty()) std::cerr << "nothing is registered for " << url << " (register with --register)\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << cmd << e.what() << "\n";
    return 1;
  }
}

}  // namespace cairn::cli
