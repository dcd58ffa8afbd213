#include "cli/sync_commands.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <soci/soci.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "store/integrations.h"
#include "store/secrets.h"
#include "sync/connectors.h"
#include "sync/engine.h"

namespace cairn::cli {
namespace {

struct SyncArgs {
  std::string db;
  std::int64_t id = 0;
  bool full = false;
  bool json = false;
  bool allow_mass_orphan = false;
};

nlohmann::json action_json(const sync::Action& a) {
  nlohmann::json j{{"entity", core::link_entity(a.entity)}, {"psa_id", a.psa_id}, {"action", sync::action_name(a.kind)}};
  if (a.local_id > 0) j["local_id"] = a.local_id;
  if (!a.label.empty()) j["label"] = a.label;
  if (!a.match_key.empty()) j["match_key"] = a.match_key;
  if (!a.reason.empty()) j["reason"] = a.reason;
  for (const auto& c : a.changes) j["changes"].push_back({{"field", c.field}, {"old", c.old_text}, {"new", c.new_text}});
  if (!a.near_misses.empty()) j["near_misses"] = a.near_misses;
  if (!a.notes.empty()) j["notes"] = a.notes;
  if (!a.candidates.empty()) j["candidates"] = a.candidates;
  return j;
}

int run(const SyncArgs& args, bool dry_run) {
  auto db = store::Database::open(args.db, 2);
  auto key = store::master_key_for(*db);
  if (!key) {
    std::cerr << "cairn: " << key.error().detail << "\n";
    return 1;
  }
  std::optional<store::Integration> integration;
  {
    soci::session s(db->pool());
    store::Integrations integrations(s, db->dialect(), key.value());
    integration = integrations.get(args.id);
  }
  if (!integration) {
    std::cerr << "cairn: no integration " << args.id << " (see `cairn integration list`)\n";
    return 1;
  }
  if (!dry_run && integration->state == store::IntegrationState::Paused) {
    std::cerr << "cairn: integration " << args.id << " is paused; `cairn integration resume " << args.id << "` first\n";
    return 1;
  }
  auto source = sync::make_source(*integration);
  sync::RunOptions options;
  options.full = args.full || dry_run;
  options.dry_run = dry_run;
  options.keep_actions = dry_run;
  options.allow_mass_orphan = args.allow_mass_orphan;
  const bool tty = isatty(STDERR_FILENO);
  options.progress = [tty](const sync::Progress& p) {
    const double rate = p.run_seconds > 0 ? static_cast<double>(p.run_records) / p.run_seconds : 0;
    const double eta = p.eta_seconds();
    char left[48] = "ETA unknown";
    if (eta >= 0) std::snprintf(left, sizeof left, "ETA %dm%02ds", static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    if (tty) {
      // A bar when the last full sync tells how much there is; a counter otherwise.
      std::string bar;
      if (p.expected_records > 0) {
        const int filled = static_cast<int>(30.0 * std::min<double>(1.0, static_cast<double>(p.run_records) /
                                                                            static_cast<double>(p.expected_records)));
        bar = "[" + std::string(filled, '#') + std::string(30 - filled, '.') + "] ";
      }
      std::fprintf(stderr, "\r%s%-15s %9lld records  %8.0f/s  %s   ", bar.c_str(), p.entity.c_str(),
                   static_cast<long long>(p.run_records), rate, left);
    } else {
      std::fprintf(stderr, "%s: %lld records (%lld in all), %.0f/s, %s\n", p.entity.c_str(), static_cast<long long>(p.records),
                   static_cast<long long>(p.run_records), rate, left);
    }
  };
  auto report = sync::run_sync(*db, *integration, *source, options);
  if (tty) std::fprintf(stderr, "\n");

  if (args.json) {
    nlohmann::json j;
    j["integration"] = integration->id;
    j["state"] = report.state;
    if (report.run_id) j["run"] = report.run_id;
    j["totals"] = report.totals.by_entity;
    j["requests"] = report.requests;
    j["records"] = report.records;
    j["seconds"] = report.seconds;
    if (report.stopped) j["stopped"] = *report.stopped;
    for (const auto& [type, names] : report.new_lookups) j["new_lookups"][type] = names;
    j["actions"] = nlohmann::json::array();
    for (const auto& a : report.actions)
      if (a.kind != sync::ActionKind::Unchanged) j["actions"].push_back(action_json(a));
    std::cout << j.dump(2) << std::endl;
  } else {
    for (const auto& a : report.actions) {
      if (a.kind == sync::ActionKind::Unchanged) continue;
      std::cout << sync::action_name(a.kind) << ' ' << core::link_entity(a.entity) << " psa:" << a.psa_id;
      if (a.local_id > 0) std::cout << " cairn:" << a.local_id;
      if (!a.label.empty()) std::cout << " \"" << a.label << '"';
      if (!a.reason.empty()) std::cout << " — " << a.reason;
      std::cout << '\n';
      if (!a.match_key.empty() && (a.kind == sync::ActionKind::Link || a.kind == sync::ActionKind::Ambiguous))
        std::cout << "    matched on " << a.match_key << '\n';
      for (const auto& c : a.changes) std::cout << "    " << c.field << ": " << c.old_text << " → " << c.new_text << '\n';
      for (const auto& n : a.near_misses) std::cout << "    near miss: " << n << '\n';
      if (a.kind != sync::ActionKind::Skip)
        for (const auto& n : a.notes) std::cout << "    note: " << n << '\n';
    }
    std::cout << (dry_run ? "plan" : "sync") << " of integration " << integration->id << " (" << integration->name
              << "): " << report.state << ", " << report.records << " records, " << report.requests << " requests, "
              << static_cast<int>(report.seconds * 1000) << " ms\n";
    for (const auto& [entity, counts] : report.totals.by_entity) {
      std::cout << "  " << entity << ":";
      for (const auto& [action, n] : counts) std::cout << ' ' << action << '=' << n;
      std::cout << '\n';
    }
    for (const auto& [type, names] : report.new_lookups)
      for (const auto& n : names) std::cout << "  new " << type << ": " << n << '\n';
    if (report.stopped) std::cout << "stopped: " << *report.stopped << '\n';
  }
  return report.state == "done" ? 0 : 1;
}

}  // namespace

std::function<int()> add_sync_commands(CLI::App& app) {
  auto args = std::make_shared<SyncArgs>();
  args->db = std::getenv("CAIRN_DB") && *std::getenv("CAIRN_DB") ? std::getenv("CAIRN_DB") : "./cairn.db";
  auto* plan = app.add_subcommand("plan", "Show what a full sync would do, record by record, and write nothing (D20)");
  auto* sync_cmd = app.add_subcommand("sync", "Pull from the PSA into Cairn now (incremental unless --full)");
  for (auto* cmd : {plan, sync_cmd}) {
    cmd->add_option("--db", args->db, "SQLite file or postgresql:// URL (env CAIRN_DB)")->capture_default_str();
    cmd->add_option("ID", args->id, "the integration's id")->required();
    cmd->add_flag("--json", args->json, "print JSON instead of text");
  }
  plan->add_flag("--full", args->full, "accepted for symmetry: a plan is always a full reconcile");
  sync_cmd->add_flag("--full", args->full, "a full reconcile: also orphans what the PSA no longer has");
  sync_cmd->add_flag("--allow-mass-orphan", args->allow_mass_orphan, "orphan even when over half of the linked records would go (D10)");
  return [plan, sync_cmd, args]() -> int {
    try {
      if (*plan) return run(*args, true);
      if (*sync_cmd) return run(*args, false);
    } catch (const std::exception& e) {
      std::cerr << "cairn: " << e.what() << std::endl;
      return 1;
    }
    return -1;
  };
}

}  // namespace cairn::cli
