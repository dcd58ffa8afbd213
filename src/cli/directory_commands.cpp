#include "cli/directory_commands.h"

#include <CLI/CLI.hpp>
#include <soci/soci.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/cli_actor.h"
#include "cli/store_with_key.h"
#include "store/database.h"
#include "store/directory_import_runs.h"
#include "store/directory_sources.h"
#include "store/secrets.h"
#include "sync/ad_import.h"

namespace cairn::cli {
namespace {

// Exit codes, as everywhere in cairn: 0 done, 1 failed, 2 bad usage.
constexpr int kOk = 0, kFailed = 1, kUsage = 2;

struct Args {
  std::string db;
  std::int64_t id = 0, org = 0, source = 0;
  std::string name, url, bind_dn, password, base_dn, filter;
  bool start_tls = false;
  int schedule_hours = 24;
  int page_size = 500;
  int timeout = 15;
  CLI::Option *name_opt = nullptr, *url_opt = nullptr, *bind_dn_opt = nullptr, *password_opt = nullptr,
              *base_dn_opt = nullptr, *filter_opt = nullptr, *start_tls_opt = nullptr, *schedule_opt = nullptr;
  CLI::App *add = nullptr, *list = nullptr, *show = nullptr, *update = nullptr, *remove = nullptr,
           *import = nullptr, *plan = nullptr;
};

// The flag a store error points at, so the message names what the operator typed.
std::string flag_for(const std::string& pointer) {
  if (pointer == "/organization-id") return "--org";
  if (pointer.size() > 1) return "--" + pointer.substr(1);
  return "";
}

int report(const std::string& cmd, const core::Error& e) {
  std::string flag = flag_for(e.pointer);
  std::cerr << "cairn " << cmd << ": " << e.detail << (flag.empty() ? "" : " (" + flag + ")") << "\n";
  if (e.kind == core::ErrorKind::Invalid) return kUsage;
  return kFailed;
}

using Opened = StoreWithKey;
bool open(const Args& a, const std::string& cmd, Opened& out) { return open_store_with_key(a.db, cmd, out); }

// "-" reads the password from standard input, so it stays out of shell history and `ps`.
bool read_password(std::string& password, const std::string& cmd) {
  if (password != "-") return true;
  if (!std::getline(std::cin, password)) {
    std::cerr << "cairn " << cmd << ": --password - reads a line from standard input, but it ended\n";
    return false;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return true;
}

store::DirectorySourceInput input_from(Args& a, bool create) {
  store::DirectorySourceInput in;
  auto given = [&](CLI::Option* o) { return create || (o && o->count() > 0); };
  if (create) in.organization_id = a.org;
  if (given(a.name_opt)) in.name = a.name;
  if (given(a.url_opt)) in.url = a.url;
  if (given(a.bind_dn_opt)) in.bind_dn = a.bind_dn;
  if (given(a.password_opt)) in.password = a.password;
  if (given(a.base_dn_opt)) in.base_dn = a.base_dn;
  if (given(a.filter_opt)) in.filter = a.filter;
  if (given(a.start_tls_opt)) in.start_tls = a.start_tls;
  if (given(a.schedule_opt)) in.schedule_hours = a.schedule_hours;
  return in;
}

int do_add(Args& a) {
  const std::string cmd = "directory-source add";
  if (!read_password(a.password, cmd)) return kUsage;
  auto in = input_from(a, true);
  // Validation needs no key: a mistyped command fails before a key file is made.
  if (auto e = store::validate_new_directory_source(in, "")) return report(cmd, *e);
  Opened o;
  if (!open(a, cmd, o)) return kFailed;
  soci::session s(o.db->pool());
  store::Transaction tx(s, o.db->dialect());
  store::DirectorySources sources(s, o.db->dialect(), *o.key);
  auto made = sources.create(in, cli_actor(), "");
  if (!made) return report(cmd, made.error());
  tx.commit();
  std::cout << made->id << std::endl;
  return kOk;
}

int do_list(Args& a) {
  Opened o;
  if (!open(a, "directory-source list", o)) return kFailed;
  soci::session s(o.db->pool());
  store::DirectorySources sources(s, o.db->dialect(), *o.key);
  std::cout << "ID\tORG\tNAME\tURL\tBASE DN\n";
  for (const auto& d : sources.list(a.org > 0 ? std::optional<std::int64_t>(a.org) : std::nullopt))
    std::cout << d.id << '\t' << d.organization_id << '\t' << d.name << '\t' << d.url << '\t' << d.base_dn << '\n';
  return kOk;
}

int no_such(const std::string& cmd, std::int64_t id) {
  std::cerr << "cairn " << cmd << ": no directory source with id " << id << " (see `cairn directory-source list`)\n";
  return kFailed;
}

int do_show(Args& a) {
  const std::string cmd = "directory-source show";
  Opened o;
  if (!open(a, cmd, o)) return kFailed;
  soci::session s(o.db->pool());
  store::DirectorySources sources(s, o.db->dialect(), *o.key);
  auto d = sources.get(a.id);
  if (!d) return no_such(cmd, a.id);
  // The password never: only whether it can be read.
  std::cout << "id\t" << d->id << "\norganization-id\t" << d->organization_id << "\nname\t" << d->name << "\nurl\t"
            << d->url << "\nbind-dn\t" << d->bind_dn << "\npassword\t"
            << (d->password_error.empty() ? "set" : d->password_error) << "\nbase-dn\t" << d->base_dn << "\nfilter\t"
            << (d->filter.empty() ? "-" : d->filter) << "\nstart-tls\t" << (d->start_tls ? "on" : "off")
            << "\nschedule-hours\t" << d->schedule_hours << "\ncreated-at\t" << d->created_at << "\nupdated-at\t"
            << d->updated_at << "\n";
  // The last import, done or failed, with its message: what the import log says (import-runs in the API).
  if (auto last = store::DirectoryImportRuns(s).latest(d->id))
    std::cout << "last-import\t" << last->state << " " << last->started_at << " by " << last->started_by << "\t"
              << (last->state == "failed" ? last->error : last->counts) << "\n";
  else
    std::cout << "last-import\t-\n";
  return kOk;
}

int do_update(Args& a) {
  const std::string cmd = "directory-source update";
  if (a.password_opt->count() > 0 && !read_password(a.password, cmd)) return kUsage;
  auto in = input_from(a, false);
  Opened o;
  if (!open(a, cmd, o)) return kFailed;
  soci::session s(o.db->pool());
  store::Transaction tx(s, o.db->dialect());
  store::DirectorySources sources(s, o.db->dialect(), *o.key);
  auto changed = sources.update(a.id, in, cli_actor(), "");
  if (!changed) return changed.error().kind == core::ErrorKind::NotFound ? no_such(cmd, a.id) : report(cmd, changed.error());
  tx.commit();
  std::cerr << "updated directory source " << a.id << "\n";
  return kOk;
}

int do_remove(Args& a) {
  const std::string cmd = "directory-source remove";
  auto db = store::Database::open(a.db, 1);
  soci::session s(db->pool());
  store::Transaction tx(s, db->dialect());
  auto done = store::remove_directory_source(s, a.id, cli_actor());
  if (!done) return no_such(cmd, a.id);
  tx.commit();
  std::cerr << "removed directory source " << a.id << "\n";
  return kOk;
}

// The source --source names, or the only source of --org.
std::optional<store::DirectorySource> chosen_source(Args& a, store::DirectorySources& sources, const std::string& cmd) {
  if ((a.source > 0) == (a.org > 0)) {
    std::cerr << "cairn " << cmd << ": give --source ID or --org ID (one of them)\n";
    return std::nullopt;
  }
  if (a.source > 0) {
    auto d = sources.get(a.source);
    if (!d) no_such(cmd, a.source);
    return d;
  }
  auto all = sources.list(a.org);
  if (all.size() == 1) return all.front();
  if (all.empty())
    std::cerr << "cairn " << cmd << ": organization " << a.org
              << " has no directory source (add one with `cairn directory-source add`)\n";
  else
    std::cerr << "cairn " << cmd << ": organization " << a.org << " has " << all.size()
              << " directory sources; choose one with --source ID\n";
  return std::nullopt;
}

const char* kind_name(core::AdAction::Kind k) {
  switch (k) {
    case core::AdAction::Kind::Create: return "create";
    case core::AdAction::Kind::Enrich: return "enrich";
    case core::AdAction::Kind::Skip: return "skip";
  }
  return "skip";
}

void print_action(const core::AdAction& a) {
  std::cout << kind_name(a.kind) << '\t' << a.user << '\t';
  if (a.kind == core::AdAction::Kind::Skip) {
    std::cout << a.reason;
  } else {
    if (a.contact_id > 0) std::cout << "contact " << a.contact_id;
    if (!a.matched_by.empty()) std::cout << " (matched by " << a.matched_by << ")";
  }
  std::cout << '\n';
}

int do_import(Args& a, bool preview) {
  const std::string cmd = preview ? "plan-ad" : "import-ad";
  Opened o;
  if (!open(a, cmd, o)) return kFailed;
  std::optional<store::DirectorySource> source;
  {
    soci::session s(o.db->pool());
    store::DirectorySources sources(s, o.db->dialect(), *o.key);
    source = chosen_source(a, sources, cmd);
  }
  if (!source) return kFailed;
  sync::AdImportOptions options;
  options.preview = preview;
  options.page_size = a.page_size;
  options.timeout_seconds = a.timeout;
  auto result = sync::run_ad_import(*o.db, *source, options);
  if (!result) {
    std::cerr << "cairn " << cmd << ": directory source " << source->id << ": " << result.error().detail
              << "; nothing was written\n";
    return kFailed;
  }
  for (const auto& action : result->actions)
    if (preview || action.kind == core::AdAction::Kind::Skip) print_action(action);
  std::cout << (preview ? "would have " : "") << sync::summary_line(*result) << "\n";
  return kOk;
}

CLI::App* leaf(CLI::App* parent, const std::string& name, const std::string& help, Args& a, bool takes_id) {
  auto* c = parent->add_subcommand(name, help);
  c->add_option("--db", a.db, "SQLite file or postgresql:// URL (env CAIRN_DB)")->capture_default_str();
  if (takes_id) c->add_option("ID", a.id, "the source's id, from `cairn directory-source list`")->required();
  return c;
}

void source_flags(CLI::App* c, Args& a, bool create) {
  a.name_opt = c->add_option("--name", a.name, "a name to tell sources apart");
  a.url_opt = c->add_option("--url", a.url, "ldap://host:389 or ldaps://host:636");
  a.bind_dn_opt = c->add_option("--bind-dn", a.bind_dn, "the DN (or user@domain) Cairn binds as");
  a.password_opt = c->add_option("--password", a.password, "the bind password (\"-\" reads it from standard input)");
  a.base_dn_opt = c->add_option("--base-dn", a.base_dn, "where users are searched, e.g. DC=example,DC=com");
  a.filter_opt = c->add_option("--filter", a.filter, "an LDAP filter ANDed with (objectClass=user)");
  a.start_tls_opt = c->add_option("--start-tls", a.start_tls, "true: upgrade an ldap:// connection with StartTLS");
  a.schedule_opt = c->add_option("--schedule-hours", a.schedule_hours, "hours between imports; 0: only when asked");
  if (create) {
    c->add_option("--org", a.org, "the organization's id")->required();
    for (auto* o : {a.name_opt, a.url_opt, a.bind_dn_opt, a.password_opt, a.base_dn_opt}) o->required();
  }
}

}  // namespace

std::function<int()> add_directory_commands(CLI::App& app) {
  auto a = std::make_shared<Args>();
  const char* env_db = std::getenv("CAIRN_DB");
  a->db = env_db && *env_db ? env_db : "./cairn.db";
  auto* cmd = app.add_subcommand("directory-source", "Add, list, show, change and remove Active Directory sources");
  cmd->require_subcommand(1);
  cmd->add_option("--db", a->db, "SQLite file or postgresql:// URL (env CAIRN_DB)")->capture_default_str();
  a->add = leaf(cmd, "add", "Add a directory source to an organization and print its id", *a, false);
  source_flags(a->add, *a, true);
  a->list = leaf(cmd, "list", "List directory sources (never their passwords)", *a, false);
  a->list->add_option("--org", a->org, "only this organization's");
  a->show = leaf(cmd, "show", "Show a directory source (never its password)", *a, true);
  a->update = leaf(cmd, "update", "Change a directory source", *a, true);
  source_flags(a->update, *a, false);
  a->remove = leaf(cmd, "remove", "Remove a directory source (its contacts stay)", *a, true);

  a->import = app.add_subcommand("import-ad", "Import an organization's Active Directory users as contacts now");
  a->plan = app.add_subcommand("plan-ad", "Show what import-ad would do, user by user, and write nothing");
  for (auto* c : {a->import, a->plan}) {
    c->add_option("--db", a->db, "SQLite file or postgresql:// URL (env CAIRN_DB)")->capture_default_str();
    c->add_option("--source", a->source, "the directory source's id");
    c->add_option("--org", a->org, "the organization whose only directory source to use");
    c->add_option("--page-size", a->page_size, "entries per LDAP page")->capture_default_str()->check(CLI::Range(1, 100000));
    c->add_option("--timeout", a->timeout, "seconds to wait for the directory")->capture_default_str()->check(CLI::Range(1, 3600));
  }

  return [a]() -> int {
    if (*a->add) return do_add(*a);
    if (*a->list) return do_list(*a);
    if (*a->show) return do_show(*a);
    if (*a->update) return do_update(*a);
    if (*a->remove) return do_remove(*a);
    if (*a->import) return do_import(*a, false);
    if (*a->plan) return do_import(*a, true);
    return -1;
  };
}

}  // namespace cairn::cli
