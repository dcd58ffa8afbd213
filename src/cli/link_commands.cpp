#include "cli/link_commands.h"

#include <CLI/CLI.hpp>
#include <soci/soci.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/cli_actor.h"
#include "store/psa_links.h"

namespace cairn::cli {
namespace {

struct LinkArgs {
  std::string db;
  std::string entity;
  std::int64_t local_id = 0;
  std::string psa_id;
  std::int64_t integration = 0;
};

int report(const char* cmd, const core::Error& e) {
  std::cerr << "cairn " << cmd << ": " << e.detail << "\n";
  return e.kind == core::ErrorKind::NotFound ? 3 : e.kind == core::ErrorKind::Conflict ? 4 : 1;
}

int run_link(const LinkArgs& a, bool unlink) {
  auto db = store::Database::open(a.db, 1);
  soci::session s(db->pool());
  store::Transaction tx(s, db->dialect());
  store::PsaLinks links(s, db->dialect());
  auto done = unlink ? links.unlink(a.entity, a.local_id, cli_actor())
                     : links.link(a.integration, a.entity, a.local_id, a.psa_id, cli_actor());
  if (!done) return report(unlink ? "unlink" : "link", done.error());
  tx.commit();
  if (unlink)
    std::cerr << done->entity << " " << done->local_id << " no longer syncs with PSA " << done->entity << " "
              << done->psa_id << " (kept so by later syncs; `cairn link` undoes it)\n";
  else
    std::cerr << done->entity << " " << done->local_id << " is linked to PSA " << done->entity << " " << done->psa_id
              << " of integration " << done->integration_id << "; the next sync brings the PSA's values\n";
  return 0;
}

}  // namespace

std::function<int()> add_link_commands(CLI::App& app) {
  auto a = std::make_shared<LinkArgs>();
  a->db = std::getenv("CAIRN_DB") && *std::getenv("CAIRN_DB") ? std::getenv("CAIRN_DB") : "./cairn.db";
  auto* link = app.add_subcommand("link", "Link a Cairn record to a PSA record by hand (an ambiguous match, a near miss)");
  auto* unlink = app.add_subcommand("unlink", "Stop a record syncing with its PSA record, and keep it so across syncs");
  for (auto* cmd : {link, unlink}) {
    cmd->add_option("--db", a->db, "SQLite file or postgresql:// URL (env CAIRN_DB)")->capture_default_str();
    cmd->add_option("ENTITY", a->entity, "organization, location, contact or configuration")->required();
    cmd->add_option("ID", a->local_id, "the Cairn record's id")->required();
  }
  link->add_option("PSA_ID", a->psa_id, "the PSA record's id")->required();
  link->add_option("--integration", a->integration, "the integration whose PSA has the record")->required();
  return [a, link, unlink]() -> int {
    if (*link) return run_link(*a, false);
    if (*unlink) return run_link(*a, true);
    return -1;
  };
}

}  // namespace cairn::cli
