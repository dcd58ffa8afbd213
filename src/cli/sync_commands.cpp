#include "cli/sync_commands.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <soci/soci.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "store/integrations.h"
#include "store/secrets.h"
#include "sync/connectors.h"
#include "sync/engine.h"
#include "sync/push_all.h"

namespace cairn::cli {
namespace {

struct SyncArgs {
  std::string db;
  std::int64_t id = 0;
  bool full = false;
  bool json = false;
  bool allow_mass_orphan = false;
  bool push_all = false;
  double rate = -1;  // push-all creates a second; -1: the PSA's default
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

// The integration `id` names, with its credentials, or nullopt after saying why on standard error.
std::optional<store::Integration> integration_for(store::Database& db, std::int64_t id) {
  auto key = store::master_key_for(db);
  if (!key) {
    std::cerr << "cairn: " << key.error().detail << "\n";
    return std::nullopt;
  }
  std::optional<store::Integration> integration;
  {
    soci::session s(db.pool());
    integration = store::Integrations(s, db.dialect(), key.value()).get(id);
  }
  if (!integration) std::cerr << "cairn: no integration " << id << " (see `cairn integration list`)\n";
  return integration;
}

int run(const SyncArgs& args, bool dry_run) {
  auto db = store::Database::open(args.db, 2);
  std::optional<store::Integration> integration = integration_for(*db, args.id);
  if (!integration) return 1;
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


// ConnectWise publishes no hourly limit: Cairn keeps to a configurable rate (D19).
constexpr double kConnectWiseCreatesPerSecond = 10;

std::string duration_text(double seconds) {
  if (seconds < 0) return "unknown";
  const long s = static_cast<long>(seconds + 0.5);
  char out[48];
  if (s >= 3600) std::snprintf(out, sizeof out, "%ldh%02ldm", s / 3600, s % 3600 / 60);
  else std::snprintf(out, sizeof out, "%ldm%02lds", s / 60, s % 60);
  return out;
}

nlohmann::json push_all_action_json(const sync::PushAllAction& a) {
  nlohmann::json j{{"entity", core::link_entity(a.entity)}, {"local_id", a.local_id}, {"action", sync::push_all_kind_name(a.kind)}};
  if (!a.label.empty()) j["label"] = a.label;
  if (!a.psa_id.empty()) j["psa_id"] = a.psa_id;
  if (!a.match_key.empty()) j["match_key"] = a.match_key;
  if (!a.reason.empty()) j["reason"] = a.reason;
  return j;
}

// cairn plan ID --push-all (dry) and cairn push-all ID.
int run_push_all(const SyncArgs& args, bool dry_run) {
  auto db = store::Database::open(args.db, 2);
  std::optional<store::Integration> integration = integration_for(*db, args.id);
  if (!integration) return 1;
  if (auto refused = sync::push_all_refusal(*integration)) {
    std::cerr << "cairn: push-all refused: " << *refused << "\n";
    return 1;
  }
  auto source = sync::make_source(*integration);
  sync::PushAllOptions options;
  options.dry_run = dry_run;
  if (!dry_run) {
    auto claimed = sync::start_push_all_run(*db, integration->id);
    if (!claimed) {
      std::cerr << "cairn: push-all refused: " << claimed.error().detail << "\n";
      return 1;
    }
    options.run_id = claimed.value();
  }
  options.creates_per_second = args.rate >= 0 ? args.rate : integration->kind == "connectwise" ? kConnectWiseCreatesPerSecond : 0;
  const bool tty = isatty(STDERR_FILENO);
  auto last = std::chrono::steady_clock::now() - std::chrono::seconds(10);
  options.progress = [&](const sync::PushAllProgress& p) {
    // At most every 200 ms (a terminal) or every 2 s (a log), and the last record.
    auto now = std::chrono::steady_clock::now();
    if (p.done < p.total && now - last < (tty ? std::chrono::milliseconds(200) : std::chrono::milliseconds(2000))) return;
    last = now;
    const std::string eta = "ETA " + duration_text(p.eta_seconds());
    if (tty) {
      const int filled = p.total > 0 ? static_cast<int>(30.0 * static_cast<double>(p.done) / static_cast<double>(p.total)) : 0;
      std::fprintf(stderr, "\r[%s%s] %-14s %lld/%lld  linked %lld created %lld skipped %lld failed %lld  %.1f/s  %s   ",
                   std::string(filled, '#').c_str(), std::string(30 - filled, '.').c_str(), p.entity.c_str(),
                   static_cast<long long>(p.done), static_cast<long long>(p.total), static_cast<long long>(p.linked),
                   static_cast<long long>(p.created), static_cast<long long>(p.skipped), static_cast<long long>(p.failed),
                   p.rate(), eta.c_str());
    } else {
      std::fprintf(stderr, "push-all %s: %lld of %lld records (linked %lld, created %lld, skipped %lld, failed %lld), %.1f/s, %s\n",
                   p.entity.c_str(), static_cast<long long>(p.done), static_cast<long long>(p.total),
                   static_cast<long long>(p.linked), static_cast<long long>(p.created), static_cast<long long>(p.skipped),
                   static_cast<long long>(p.failed), p.rate(), eta.c_str());
    }
  };
  options.notice = [tty](const std::string& text) { std::fprintf(stderr, "%spush-all: %s\n", tty ? "\n" : "", text.c_str()); };
  auto report = sync::run_push_all(*db, *integration, *source, options);
  if (tty) std::fprintf(stderr, "\n");
  if (args.json) {
    nlohmann::json j;
    j["integration"] = integration->id;
    j["state"] = report.state;
    if (report.run_id) j["run"] = report.run_id;
    j["totals"] = report.totals;
    j["linked"] = report.linked;
    j["created"] = report.created;
    j["skipped"] = report.skipped;
    j["failed"] = report.failed;
    j["linked_earlier"] = report.linked_earlier;
    j["requests"] = report.requests;
    j["seconds"] = report.seconds;
    j["waited_seconds"] = report.waited_seconds;
    if (report.error) j["error"] = *report.error;
    j["actions"] = nlohmann::json::array();
    for (const auto& a : report.actions) j["actions"].push_back(push_all_action_json(a));
    std::cout << j.dump(2) << std::endl;
  } else {
    for (const auto& a : report.actions) {
      std::cout << sync::push_all_kind_name(a.kind) << ' ' << core::link_entity(a.entity) << " cairn:" << a.local_id;
      if (!a.psa_id.empty()) std::cout << " psa:" << a.psa_id;
      if (!a.label.empty()) std::cout << " \"" << a.label << '"';
      if (!a.reason.empty()) std::cout << " — " << a.reason;
      std::cout << '\n';
      if (a.kind == sync::PushAllKind::Link) std::cout << "    matched on " << a.match_key << '\n';
    }
    std::cout << (dry_run ? "push-all plan" : "push-all") << " of integration " << integration->id << " ("
              << integration->name << "): " << report.state << ", " << (dry_run ? "would link " : "linked ") << report.linked
              << ", " << (dry_run ? "would create " : "created ") << report.created << ", skipped " << report.skipped;
    if (!dry_run) std::cout << ", failed " << report.failed;
    std::cout << "; " << report.linked_earlier << " linked before this run; " << report.requests << " requests, "
              << duration_text(report.seconds) << "\n";
    for (const auto& [entity, counts] : report.totals) {
      std::cout << "  " << entity << ":";
      for (const auto& [action, n] : counts) std::cout << ' ' << action << '=' << n;
      std::cout << '\n';
    }
    if (report.error) std::cout << "failed: " << *report.error << '\n';
    if (report.failed > 0) std::cout << "run it again to retry the failed ones: a rerun links what the PSA already has\n";
  }
  return report.state == "done" && report.failed == 0 ? 0 : 1;
}

}  // namespace

std::function<int()> add_sync_commands(CLI::App& app) {
  auto args = std::make_shared<SyncArgs>();
  args->db = std::getenv("CAIRN_DB") && *std::getenv("CAIRN_DB") ? std::getenv("CAIRN_DB") : "./cairn.db";
  auto* plan = app.add_subcommand("plan", "Show what a full sync would do, record by record, and write nothing (D20)");
  auto* sync_cmd = app.add_subcommand("sync", "Pull from the PSA into Cairn now (incremental unless --full)");
  auto* push_all = app.add_subcommand("push-all", "Push every syncable Cairn record not yet in the PSA: link what the PSA "
                                                  "has by match key, create the rest (R17, D17); resumable");
  for (auto* cmd : {plan, sync_cmd, push_all}) {
    cmd->add_option("--db", args->db, "SQLite file or postgresql:// URL (env CAIRN_DB)")->capture_default_str();
    cmd->add_option("ID", args->id, "the integration's id")->required();
    cmd->add_flag("--json", args->json, "print JSON instead of text");
  }
  plan->add_flag("--full", args->full, "accepted for symmetry: a plan is always a full reconcile");
  plan->add_flag("--push-all", args->push_all, "preview push-all: what it would link, create and skip (reads only)");
  push_all->add_option("--rate", args->rate, "at most this many creates a second (0: no limit; default 10 for ConnectWise)");
  sync_cmd->add_flag("--full", args->full, "a full reconcile: also orphans what the PSA no longer has");
  sync_cmd->add_flag("--allow-mass-orphan", args->allow_mass_orphan, "orphan even when over half of the linked records would go (D10)");
  return [plan, sync_cmd, push_all, args]() -> int {
    try {
      if (*plan) return args->push_all ? run_push_all(*args, true) : run(*args, true);
      if (*push_all) return run_push_all(*args, false);
      if (*sync_cmd) return run(*args, false);
    } catch (const std::exception& e) {
      std::cerr << "cairn: " << e.what() << std::endl;
      return 1;
    }
    return -1;
  };
}

}  // namespace cairn::cli
