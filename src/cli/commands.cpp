#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <soci/soci.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "api/app.h"
#include "api/directory_source_routes.h"
#include "api/integration_routes.h"
#include "api/sync_routes.h"
#include "api/webhook_routes.h"
#include "sync/notice_puller.h"
#include "sync/pusher.h"
#include "sync/scheduler.h"
#include "cli/demo_data.h"
#include "cli/directory_commands.h"
#include "cli/integration_commands.h"
#include "cli/link_commands.h"
#include "cli/outbox_commands.h"
#include "cli/psa_sim_command.h"
#include "cli/sync_commands.h"
#include "store/api_keys.h"
#include "store/database.h"
#include "store/migrations.h"

namespace cairn::cli {
namespace {

const char* env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// Options every data command shares.
struct DbOption {
  std::string db = env_or("CAIRN_DB", "./cairn.db");
  void add_to(CLI::App* cmd) {
    cmd->add_option("--db", db, "SQLite file or postgresql:// URL (env CAIRN_DB)")->capture_default_str();
  }
};

// Waits for SIGINT or SIGTERM on its own thread; the signals are blocked everywhere else.
class SignalWaiter {
 public:
  SignalWaiter() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  template <typename F>
  std::thread on_signal(F f) {
    return std::thread([this, f] {
      int sig = 0;
      sigwait(&set_, &sig);
      spdlog::info("received {}, finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
      f();
    });
  }

 private:
  sigset_t set_;
};

int serve(const std::string& db_spec, const std::string& listen, bool demo, size_t threads, bool schedule) {
  std::string host;
  int port = 0;
  if (!api::parse_listen(listen, host, port)) {
    std::cerr << "cairn serve: --listen must be HOST:PORT, not \"" << listen << "\"\n";
    return 2;
  }
  SignalWaiter signals;  // before any thread starts, so all of them inherit the mask
  // + the scheduler, a sync's writer thread (sync/write_behind.h), the pusher, the notice puller, one spare
  auto db = store::Database::open(db_spec, threads + 5);
  if (demo) {
    if (seed_demo_data(*db)) spdlog::info("wrote the demo data set into {}", db->description());
    soci::session s(db->pool());
    bool has_admin = false;
    for (const auto& k : store::list_api_keys(s)) has_admin = has_admin || (!k.revoked_at && k.role == store::Role::Admin);
    if (!has_admin) {
      auto k = store::create_api_key(s, "demo admin", store::Role::Admin);
      std::cout << "Admin API key (shown once): " << k.secret << std::endl;
    }
  }
  api::AppOptions app_options;
  app_options.public_url = env_or("CAIRN_PUBLIC_URL", "");
  api::App app(*db, app_options);
  api::add_integration_routes(app);
  api::add_directory_source_routes(app);
  // D11: incremental pulls, full reconciles and sync-now requests, in the background.
  sync::Scheduler scheduler(*db);
  if (schedule) scheduler.start();
  // D14: pushes to PSAs with two-way on, woken by each save, polling for other processes' saves.
  sync::Pusher pusher(*db);
  if (schedule) pusher.start();
  api::add_sync_routes(app, schedule ? &scheduler : nullptr);
  // PSA change notices: the named record is pulled at once, beside the schedule (docs/webhooks.md).
  sync::NoticePuller puller(*db);
  puller.start();
  api::add_webhook_routes(app, &puller);
  api::HttpOptions http;
  http.host = host;
  http.port = port;
  http.threads = threads;
  api::ApiServer server(app, http);
  server.bind();
  std::cout << "Cairn serving " << db->description() << " on " << server.base_url() << std::endl;
  std::thread stopper = signals.on_signal([&server] { server.stop(); });
  server.serve();
  if (stopper.joinable()) {
    // serve() can only return after stop(), which the signal thread called.
    stopper.join();
  }
  pusher.stop();
  puller.stop();
  scheduler.stop();
  spdlog::info("stopped");
  return 0;
}

int keys_create(const std::string& db_spec, const std::string& name, const std::string& role_text) {
  auto role = store::parse_role(role_text);
  if (!role) {
    std::cerr << "cairn keys create: --role must be admin, editor or reader, not \"" << role_text << "\"\n";
    return 2;
  }
  auto db = store::Database::open(db_spec, 1);
  soci::session s(db->pool());
  auto k = store::create_api_key(s, name, *role);
  std::cout << k.secret << std::endl;
  return 0;
}

int keys_list(const std::string& db_spec) {
  auto db = store::Database::open(db_spec, 1);
  soci::session s(db->pool());
  std::cout << "ID\tROLE\tPREFIX\tCREATED\tREVOKED\tNAME\n";
  for (const auto& k : store::list_api_keys(s))
    std::cout << k.id << '\t' << store::role_name(k.role) << '\t' << k.prefix << "…\t" << k.created_at << '\t'
              << k.revoked_at.value_or("-") << '\t' << k.name << '\n';
  return 0;
}

int keys_revoke(const std::string& db_spec, std::int64_t id) {
  auto db = store::Database::open(db_spec, 1);
  soci::session s(db->pool());
  if (!store::revoke_api_key(s, id)) {
    std::cerr << "cairn keys revoke: no live key with id " << id << "\n";
    return 1;
  }
  std::cout << "revoked key " << id << std::endl;
  return 0;
}

}  // namespace

int run(int argc, char** argv) {
  // Logs go to standard error: standard output carries what scripts read (keys, ids, JSON).
  spdlog::set_default_logger(spdlog::stderr_color_mt("cairn"));
  spdlog::set_level(spdlog::level::from_str(env_or("CAIRN_LOG_LEVEL", "info")));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  CLI::App app{"Cairn: IT documentation in sync with your PSA"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "cairn 0.1.0");

  DbOption serve_db;
  std::string listen = env_or("CAIRN_LISTEN", "127.0.0.1:8080");
  bool demo = false;
  bool no_schedule = false;
  size_t threads = 8;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the API until SIGTERM or SIGINT, then drain requests and exit 0");
  serve_db.add_to(serve_cmd);
  serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on (env CAIRN_LISTEN)")->capture_default_str();
  serve_cmd->add_option("--threads", threads, "request threads")->capture_default_str()->check(CLI::Range(1, 256));
  serve_cmd->add_flag("--no-schedule", no_schedule, "run no background syncs (D11) or pushes (D14); `cairn sync` and `cairn outbox push` still work");
  serve_cmd->add_flag("--demo", demo, "write the demo data set into an empty store and print an admin key if there is none");

  auto* keys_cmd = app.add_subcommand("keys", "Create, list and revoke API keys");
  keys_cmd->require_subcommand(1);
  DbOption keys_db;
  keys_db.add_to(keys_cmd);
  std::string key_name, key_role = "reader";
  auto* create_cmd = keys_cmd->add_subcommand("create", "Create a key and print it, alone, on standard output (shown once)");
  create_cmd->add_option("--name", key_name, "what the key is for")->required();
  create_cmd->add_option("--role", key_role, "admin, editor or reader")->capture_default_str();
  auto* list_cmd = keys_cmd->add_subcommand("list", "List keys (never the keys themselves)");
  std::int64_t revoke_id = 0;
  auto* revoke_cmd = keys_cmd->add_subcommand("revoke", "Revoke a key by id");
  revoke_cmd->add_option("ID", revoke_id, "the key's id, from `cairn keys list`")->required();

  DbOption migrate_db;
  auto* migrate_cmd = app.add_subcommand("migrate", "Bring the database schema up to date and print its version");
  migrate_db.add_to(migrate_cmd);

  auto run_psa_sim = add_psa_sim_command(app);
  auto run_integration = add_integration_commands(app);
  auto run_sync = add_sync_commands(app);
  auto run_link = add_link_commands(app);
  auto run_directory = add_directory_commands(app);
  auto run_outbox = add_outbox_commands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  try {
    if (*serve_cmd) return serve(serve_db.db, listen, demo, threads, !no_schedule);
    if (*create_cmd) return keys_create(keys_db.db, key_name, key_role);
    if (*list_cmd) return keys_list(keys_db.db);
    if (*revoke_cmd) return keys_revoke(keys_db.db, revoke_id);
    if (int rc = run_psa_sim(); rc >= 0) return rc;
    if (int rc = run_integration(); rc >= 0) return rc;
    if (int rc = run_sync(); rc >= 0) return rc;
    if (int rc = run_link(); rc >= 0) return rc;
    if (int rc = run_directory(); rc >= 0) return rc;
    if (int rc = run_outbox(); rc >= 0) return rc;
    if (*migrate_cmd) {
      auto db = store::Database::open(migrate_db.db, 1);
      soci::session s(db->pool());
      std::cout << "schema version " << store::current_version(s) << std::endl;
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "cairn: " << e.what() << std::endl;
    return 1;
  }
  return 2;
}

}  // namespace cairn::cli
