#include "cli/outbox_commands.h"

#include <CLI/CLI.hpp>
#include <soci/soci.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "store/outbox.h"
#include "sync/pusher.h"

namespace cairn::cli {
namespace {

struct OutboxArgs {
  std::string db;
  std::string state;
  std::int64_t id = 0;
};

int report(const char* cmd, const core::Error& e) {
  std::cerr << "cairn outbox " << cmd << ": " << e.detail << "\n";
  return e.kind == core::ErrorKind::NotFound ? 3 : e.kind == core::ErrorKind::Conflict ? 4 : 1;
}

int list(const OutboxArgs& a) {
  auto db = store::Database::open(a.db, 1);
  soci::session s(db->pool());
  std::cout << "id\tintegration\tentity\tlocal-id\toperation\tstate\tattempts\tnext-attempt\terror\n";
  for (const auto& r : store::Outbox(s, db->dialect()).list(a.state))
    std::cout << r.id << "\t" << r.integration_id << "\t" << r.entity << "\t" << r.local_id << "\t" << r.operation << "\t"
              << r.state << "\t" << r.attempts << "\t" << (r.state == "failed" || r.state == "pending" ? r.next_attempt_at : "")
              << "\t" << r.last_error << "\n";
  return 0;
}

int act(const OutboxArgs& a, bool retry) {
  auto db = store::Database::open(a.db, 1);
  soci::session s(db->pool());
  store::Transaction tx(s, db->dialect());
  store::Outbox outbox(s, db->dialect());
  auto done = retry ? outbox.retry(a.id) : outbox.drop(a.id);
  if (!done) return report(retry ? "retry" : "drop", done.error());
  tx.commit();
  std::cerr << "outbox row " << a.id << " (" << done->operation << " of " << done->entity << " " << done->local_id << ") "
            << (retry ? "is due now; a running `cairn serve` sends it within its poll" : "is dropped: it will not be sent")
            << "\n";
  return 0;
}

// Sends what is due now, in this process (no `cairn serve` needed), and prints how it went.
int push(const OutboxArgs& a) {
  auto db = store::Database::open(a.db, 2);
  int pushed = 0, failed = 0;
  sync::PusherOptions o;
  o.on_settled = [&](const store::OutboxRow&, const std::string& state) { (state == "pushed" ? pushed : failed)++; };
  sync::Pusher run(*db, o);
  run.run_due();
  std::cout << "pushed\t" << pushed << "\nfailed\t" << failed << "\n";
  return failed ? 1 : 0;
}

}  // namespace

std::function<int()> add_outbox_commands(CLI::App& app) {
  auto a = std::make_shared<OutboxArgs>();
  a->db = std::getenv("CAIRN_DB") && *std::getenv("CAIRN_DB") ? std::getenv("CAIRN_DB") : "./cairn.db";
  auto* cmd = app.add_subcommand("outbox", "See and steer pushes to PSAs (two-way sync)");
  cmd->require_subcommand(1);
  auto* list_cmd = cmd->add_subcommand("list", "List pushes, newest first: state, attempts, the PSA's error");
  list_cmd->add_option("--state", a->state, "only this state")
      ->check(CLI::IsMember({"pending", "failed", "pushed", "dropped", "not-pushed"}));
  auto* retry_cmd = cmd->add_subcommand("retry", "Send a failed push again now");
  auto* drop_cmd = cmd->add_subcommand("drop", "Give up on a failed push");
  for (auto* c : {retry_cmd, drop_cmd}) c->add_option("ID", a->id, "the outbox row's id, from `cairn outbox list`")->required();
  auto* push_cmd = cmd->add_subcommand("push", "Send every push that is due now, in this process");
  for (auto* c : {list_cmd, retry_cmd, drop_cmd, push_cmd})
    c->add_option("--db", a->db, "SQLite file or postgresql:// URL (env CAIRN_DB)")->capture_default_str();
  return [a, cmd, list_cmd, retry_cmd, drop_cmd, push_cmd]() -> int {
    if (!*cmd) return -1;
    if (*list_cmd) return list(*a);
    if (*retry_cmd) return act(*a, true);
    if (*drop_cmd) return act(*a, false);
    if (*push_cmd) return push(*a);
    return -1;
  };
}

}  // namespace cairn::cli
