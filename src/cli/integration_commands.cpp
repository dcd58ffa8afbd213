#include "cli/integration_commands.h"

#include "cli/cli_actor.h"
#include "cli/store_with_key.h"
#include "cli/webhook_commands.h"

#include <CLI/CLI.hpp>
#include <soci/soci.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/naming.h"
#include "store/database.h"
#include "store/integrations.h"
#include "store/secrets.h"
#include "sync/connectors.h"

namespace cairn::cli {
namespace {

// Exit codes, as everywhere in cairn: 0 done, 1 failed, 2 bad usage.
constexpr int kOk = 0, kFailed = 1, kUsage = 2;

struct SettingsFlags {
  std::vector<std::string> enable_org_type, disable_org_type, enable_org_status, disable_org_status;
  std::vector<std::string> enable_config_type, disable_config_type, enable_config_status, disable_config_status;
  std::string contacts_sync;  // "on", "off" or "" (unchanged)
  std::string two_way;        // "on", "off" or "" (unchanged)
  // R16 and Autotask's owner of created companies; unset leaves them as they are, "" clears them.
  std::optional<std::string> email_type, phone_type, default_account_manager;
  bool any() const {
    return !enable_org_type.empty() || !disable_org_type.empty() || !enable_org_status.empty() ||
           !disable_org_status.empty() || !enable_config_type.empty() || !disable_config_type.empty() ||
           !enable_config_status.empty() || !disable_config_status.empty() || !contacts_sync.empty() ||
           !two_way.empty() || email_type || phone_type || default_account_manager;
  }
};

// Everything the parsed command line fills; it outlives parsing, so it lives on the heap.
struct Args {
  std::string db;
  std::int64_t id = 0;
  std::string kind, name, url, reason;
  bool register_webhooks = false;
  std::map<std::string, std::string> credentials;       // by credential name, as given
  std::map<std::string, CLI::Option*> credential_opts;  // to tell "given" from "not given"
  CLI::Option* name_opt = nullptr;
  CLI::Option* url_opt = nullptr;
  CLI::Option* update_name_opt = nullptr;
  CLI::Option* update_url_opt = nullptr;
  std::map<std::string, CLI::Option*> update_credential_opts;
  SettingsFlags settings;
  CLI::App *add = nullptr, *list = nullptr, *show = nullptr, *update = nullptr, *remove = nullptr,
           *settings_cmd = nullptr, *pause = nullptr, *resume = nullptr, *test = nullptr,
           *webhooks = nullptr;
};

store::Actor actor() { return cli_actor(); }

// The flag a store error points at, so the message names what the operator typed.
std::string flag_for(const std::string& pointer) {
  if (pointer.rfind("/credentials/", 0) == 0) return "--" + pointer.substr(13);
  if (pointer == "/base-url") return "--url";
  if (pointer == "/name" || pointer == "/kind") return "--" + pointer.substr(1);
  if (pointer == "/settings/two-way") return "--two-way";
  if (pointer == "/settings/config-types") return "--enable-config-type";
  if (pointer == "/settings/config-statuses") return "--enable-config-status";
  return "";
}

int report(const std::string& cmd, const core::Error& e) {
  std::string flag = flag_for(e.pointer);
  std::cerr << "cairn integration " << cmd << ": " << e.detail << (flag.empty() ? "" : " (" + flag + ")") << "\n";
  if (e.kind == core::ErrorKind::Invalid || e.kind == core::ErrorKind::BadRequest) return kUsage;
  return kFailed;
}

int no_such(const std::string& cmd, std::int64_t id) {
  std::cerr << "cairn integration " << cmd << ": no integration with id " << id << " (see `cairn integration list`)\n";
  return kFailed;
}

// Credentials given as "-" are read from standard input, one line each in the order of the
// flags' names, so secrets can stay out of shell history and the process list.
bool read_stdin_credentials(std::map<std::string, std::optional<std::string>>& creds, const std::string& cmd) {
  for (auto& [name, value] : creds) {
    if (!value || *value != "-") continue;
    std::string line;
    if (!std::getline(std::cin, line)) {
      std::cerr << "cairn integration " << cmd << ": --" << core::kebab(name)
                << " - reads a line from standard input, but it ended\n";
      return false;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    value = line;
  }
  return true;
}

std::map<std::string, std::optional<std::string>> given_credentials(const Args& a,
                                                                    const std::map<std::string, CLI::Option*>& opts) {
  std::map<std::string, std::optional<std::string>> out;
  for (const auto& [name, opt] : opts)
    if (opt->count() > 0) out[name] = a.credentials.at(name);
  return out;
}

using Opened = StoreWithKey;

// Opens the database and loads the master key; prints why not and returns false when it cannot.
bool open(const Args& a, const std::string& cmd, Opened& out) { return open_store_with_key(a.db, "integration " + cmd, out); }

// The settings as tab-separated rows. psa is the seam for connectors: given the PSA's own type
// and status names, every one is listed with its enabled flag; without it (no connector yet),
// only the enabled names.
void print_settings(std::ostream& out, const core::SyncSettings& s, const store::PsaCatalogue* psa = nullptr) {
  out << "contacts-sync\t" << (s.contacts_sync ? "on" : "off") << "\n";
  out << "two-way\t" << (s.two_way ? "on" : "off") << "\n";
  out << "email-type\t" << s.two_way_email_type << "\n";
  out << "phone-type\t" << s.two_way_phone_type << "\n";
  out << "default-account-manager\t" << s.default_account_manager << "\n";
  out << "incremental-minutes\t" << s.incremental_minutes << "\n";
  out << "full-hours\t" << s.full_hours << "\n";
  for (const auto& r : store::settings_rows(s, psa))
    out << r.group << "\t" << r.name << "\t" << (r.enabled ? "enabled" : "disabled") << (r.in_psa ? "" : "\tnot in PSA")
        << "\n";
}

int do_add(Args& a) {
  store::IntegrationInput in;
  in.kind = a.kind;
  in.name = a.name;
  if (a.url_opt->count() > 0) in.base_url = a.url;
  in.credentials = given_credentials(a, a.credential_opts);
  if (!read_stdin_credentials(in.credentials, "add")) return kUsage;
  // Validation needs no key: a mistyped command fails before a key file is made.
  store::Integration probe;
  probe.kind = a.kind;
  probe.name = a.name;
  probe.base_url = a.url;
  for (const auto& [k, v] : in.credentials)
    if (v) probe.credentials[k] = *v;
  if (auto e = store::validate_integration(probe, "")) return report("add", *e);
  Opened o;
  if (!open(a, "add", o)) return kFailed;
  soci::session s(o.db->pool());
  store::Transaction tx(s, o.db->dialect());
  store::Integrations integrations(s, o.db->dialect(), *o.key);
  auto made = integrations.create(in, actor(), "");
  if (!made) return report("add", made.error());
  tx.commit();
  std::cout << made->id << std::endl;
  return kOk;
}

int do_list(Args& a) {
  Opened o;
  if (!open(a, "list", o)) return kFailed;
  soci::session s(o.db->pool());
  store::Integrations integrations(s, o.db->dialect(), *o.key);
  std::cout << "ID\tKIND\tSTATE\tNAME\tURL\n";
  for (const auto& i : integrations.list())
    std::cout << i.id << '\t' << i.kind << '\t' << store::state_name(i.state) << '\t' << i.name << '\t'
              << (i.base_url.empty() ? "-" : i.base_url) << '\n';
  return kOk;
}

int do_show(Args& a) {
  Opened o;
  if (!open(a, "show", o)) return kFailed;
  soci::session s(o.db->pool());
  store::Integrations integrations(s, o.db->dialect(), *o.key);
  auto i = integrations.get(a.id);
  if (!i) return no_such("show", a.id);
  std::cout << "id\t" << i->id << "\nkind\t" << i->kind << "\nname\t" << i->name << "\nurl\t"
            << (i->base_url.empty() ? "-" : i->base_url) << "\nstate\t" << store::state_name(i->state) << "\n";
  if (!i->state_reason.empty()) std::cout << "state-reason\t" << i->state_reason << "\n";
  // Names only, never values.
  if (!i->credentials_error.empty()) {
    std::cout << "credentials\t" << i->credentials_error << "\n";
  } else {
    std::set<std::string> shown;
    if (const auto* k = store::find_integration_kind(i->kind))
      for (const auto& c : k->credentials) {
        std::cout << "credential " << c << "\t" << (i->credentials.count(c) ? "set" : "missing") << "\n";
        shown.insert(c);
      }
    for (const auto& [c, v] : i->credentials)
      if (!shown.count(c)) std::cout << "credential " << c << "\tset\n";
  }
  print_settings(std::cout, i->settings);
  std::cout << "created-at\t" << i->created_at << "\nupdated-at\t" << i->updated_at << "\n";
  return kOk;
}

int do_update(Args& a) {
  store::IntegrationInput in;
  if (a.update_name_opt->count() > 0) in.name = a.name;
  if (a.update_url_opt->count() > 0) in.base_url = a.url;
  in.credentials = given_credentials(a, a.update_credential_opts);
  if (!in.name && !in.base_url && in.credentials.empty()) {
    std::cerr << "cairn integration update: nothing to change; give --name, --url or credential flags\n";
    return kUsage;
  }
  if (!read_stdin_credentials(in.credentials, "update")) return kUsage;
  Opened o;
  if (!open(a, "update", o)) return kFailed;
  soci::session s(o.db->pool());
  store::Transaction tx(s, o.db->dialect());
  store::Integrations integrations(s, o.db->dialect(), *o.key);
  auto changed = integrations.update(a.id, in, actor(), "");
  if (!changed) return changed.error().kind == core::ErrorKind::NotFound ? no_such("update", a.id)
                                                                        : report("update", changed.error());
  tx.commit();
  std::cerr << "updated integration " << a.id << "\n";
  return kOk;
}

int do_remove(Args& a) {
  // No master key: an operator who lost it can still remove what it sealed.
  auto db = store::Database::open(a.db, 1);
  soci::session s(db->pool());
  store::Transaction tx(s, db->dialect());
  auto done = store::remove_integration(s, a.id, actor());
  if (!done) return done.error().kind == core::ErrorKind::NotFound ? no_such("remove", a.id) : report("remove", done.error());
  tx.commit();
  std::cerr << "removed integration " << a.id << "\n";
  return kOk;
}

// Applies the enable/disable flags to s; an empty name, or one name both enabled and disabled
// in one group, is a usage error (its message is returned).
std::optional<std::string> apply_settings(const SettingsFlags& f, core::SyncSettings& s) {
  struct Group {
    const char* noun;
    const std::vector<std::string>& enable;
    const std::vector<std::string>& disable;
    std::set<std::string>& names;
  };
  std::vector<Group> groups = {{"org-type", f.enable_org_type, f.disable_org_type, s.org_types},
                               {"org-status", f.enable_org_status, f.disable_org_status, s.org_statuses},
                               {"config-type", f.enable_config_type, f.disable_config_type, s.config_types},
                               {"config-status", f.enable_config_status, f.disable_config_status, s.config_statuses}};
  for (auto& g : groups) {
    for (const auto& n : g.enable)
      if (n.find_first_not_of(" \t") == std::string::npos)
        return std::string("--enable-") + g.noun + " needs a name";
    for (const auto& n : g.disable) {
      if (n.find_first_not_of(" \t") == std::string::npos)
        return std::string("--disable-") + g.noun + " needs a name";
      if (std::find(g.enable.begin(), g.enable.end(), n) != g.enable.end())
        return std::string("\"") + n + "\" is both enabled and disabled (--enable-" + g.noun + ", --disable-" + g.noun +
               ")";
    }
    for (const auto& n : g.enable) g.names.insert(n);
    for (const auto& n : g.disable) g.names.erase(n);
  }
  if (!f.contacts_sync.empty()) s.contacts_sync = f.contacts_sync == "on";
  if (!f.two_way.empty()) s.two_way = f.two_way == "on";
  if (f.email_type) s.two_way_email_type = *f.email_type;
  if (f.phone_type) s.two_way_phone_type = *f.phone_type;
  if (f.default_account_manager) s.default_account_manager = *f.default_account_manager;
  return std::nullopt;
}

int do_settings(Args& a) {
  Opened o;
  if (!open(a, "settings", o)) return kFailed;
  soci::session s(o.db->pool());
  store::Integrations integrations(s, o.db->dialect(), *o.key);
  if (!a.settings.any()) {
    auto i = integrations.get(a.id);
    if (!i) return no_such("settings", a.id);
    print_settings(std::cout, i->settings);
    return kOk;
  }
  store::Transaction tx(s, o.db->dialect());
  auto i = integrations.get(a.id, true);
  if (!i) return no_such("settings", a.id);
  core::SyncSettings next = i->settings;
  if (auto problem = apply_settings(a.settings, next)) {
    std::cerr << "cairn integration settings: " << *problem << "\n";
    return kUsage;
  }
  store::IntegrationInput in;
  in.settings = next;
  auto changed = integrations.update(a.id, in, actor(), "");
  if (!changed) return report("settings", changed.error());
  tx.commit();
  std::cerr << "saved the settings of integration " << a.id << "\n";
  return kOk;
}

int do_state(Args& a, store::IntegrationState state, const char* cmd) {
  Opened o;
  if (!open(a, cmd, o)) return kFailed;
  soci::session s(o.db->pool());
  store::Transaction tx(s, o.db->dialect());
  store::Integrations integrations(s, o.db->dialect(), *o.key);
  auto done = integrations.set_state(a.id, state, a.reason, actor());
  if (!done) return done.error().kind == core::ErrorKind::NotFound ? no_such(cmd, a.id) : report(cmd, done.error());
  tx.commit();
  std::cerr << "integration " << a.id << " is " << store::state_name(done->state) << "\n";
  return kOk;
}

// A cheap authenticated call to the PSA: its type and status lists, which settings need anyway.
int test_connection(const store::Integration& i) {
  try {
    auto source = sync::make_source(i);
    auto catalogue = source->catalogue();
    std::cout << "ok: " << i.kind << " answered with " << catalogue["org_types"].size() << " company types, "
              << catalogue["config_types"].size() << " configuration types\n";
    return kOk;
  } catch (const std::exception& e) {
    std::cerr << "cairn integration test: " << e.what() << "\n";
    return kFailed;
  }
}

int do_test(Args& a) {
  Opened o;
  if (!open(a, "test", o)) return kFailed;
  soci::session s(o.db->pool());
  store::Integrations integrations(s, o.db->dialect(), *o.key);
  auto i = integrations.get(a.id);
  if (!i) return no_such("test", a.id);
  return test_connection(*i);
}

std::string kinds_using(const std::string& credential) {
  std::string out;
  for (const auto& k : store::integration_kinds())
    if (std::find(k.credentials.begin(), k.credentials.end(), credential) != k.credentials.end())
      out += (out.empty() ? "" : ", ") + k.kind;
  return out;
}

void add_credential_flags(CLI::App* cmd, Args& a, std::map<std::string, CLI::Option*>& opts) {
  for (const auto& name : store::all_credential_names())
    opts[name] = cmd->add_option("--" + core::kebab(name), a.credentials[name],
                                 "credential for " + kinds_using(name) + " (\"-\" reads it from standard input)");
}

CLI::App* leaf(CLI::App* parent, const std::string& name, const std::string& help, Args& a, bool takes_id) {
  auto* c = parent->add_subcommand(name, help);
  c->add_option("--db", a.db, "SQLite file or postgresql:// URL (env CAIRN_DB)")->capture_default_str();
  if (takes_id) c->add_option("ID", a.id, "the integration's id, from `cairn integration list`")->required();
  return c;
}

}  // namespace

std::function<int()> add_integration_commands(CLI::App& app) {
  auto a = std::make_shared<Args>();
  const char* env_db = std::getenv("CAIRN_DB");
  a->db = env_db && *env_db ? env_db : "./cairn.db";
  auto* cmd = app.add_subcommand("integration", "Add, list, show, change, pause and remove PSA integrations");
  cmd->require_subcommand(1);
  cmd->add_option("--db", a->db, "SQLite file or postgresql:// URL (env CAIRN_DB)")->capture_default_str();

  a->add = leaf(cmd, "add", "Add an integration and print its id, alone, on standard output", *a, false);
  a->add->add_option("--kind", a->kind, "connectwise, autotask, bms, pulseway or tigerpaw")->required();
  a->name_opt = a->add->add_option("--name", a->name, "a name to tell integrations apart")->required();
  a->url_opt = a->add->add_option("--url", a->url, "the PSA's API address (optional for autotask: found from the user name; for pulseway: api.psa.pulseway.com)");
  add_credential_flags(a->add, *a, a->credential_opts);

  a->list = leaf(cmd, "list", "List integrations (never their credentials)", *a, false);
  a->show = leaf(cmd, "show", "Show an integration: credential names (never values), settings, state", *a, true);

  a->update = leaf(cmd, "update", "Change an integration's name, URL or credentials", *a, true);
  a->update_name_opt = a->update->add_option("--name", a->name, "a new name");
  a->update_url_opt = a->update->add_option("--url", a->url, "a new API address (\"\" clears it, autotask and pulseway only)");
  add_credential_flags(a->update, *a, a->update_credential_opts);

  a->remove = leaf(cmd, "remove", "Remove an integration and its PSA links (the records stay)", *a, true);

  a->settings_cmd = leaf(cmd, "settings", "Show or change which PSA types and statuses sync, contacts sync and two-way", *a, true);
  auto& f = a->settings;
  auto* sc = a->settings_cmd;
  sc->add_option("--enable-org-type", f.enable_org_type, "sync organizations of this PSA type (repeatable)");
  sc->add_option("--disable-org-type", f.disable_org_type, "stop syncing this organization type (repeatable)");
  sc->add_option("--enable-org-status", f.enable_org_status, "sync organizations with this PSA status (repeatable)");
  sc->add_option("--disable-org-status", f.disable_org_status, "stop syncing this organization status (repeatable)");
  sc->add_option("--enable-config-type", f.enable_config_type, "sync configurations of this PSA type (repeatable)");
  sc->add_option("--disable-config-type", f.disable_config_type, "stop syncing this configuration type (repeatable)");
  sc->add_option("--enable-config-status", f.enable_config_status, "sync configurations with this status (repeatable)");
  sc->add_option("--disable-config-status", f.disable_config_status, "stop syncing this configuration status (repeatable)");
  sc->add_option("--contacts-sync", f.contacts_sync, "on or off")->check(CLI::IsMember({"on", "off"}));
  sc->add_option("--two-way", f.two_way, "push edits and creates to the PSA: on or off (D13; not Tigerpaw)")
      ->check(CLI::IsMember({"on", "off"}));
  // Given (even as "") or not: unset keeps the stored value.
  sc->add_option_function<std::string>("--email-type", [&f](const std::string& v) { f.email_type = v; },
                                       "the PSA email type given to contacts created in Cairn (R16)");
  sc->add_option_function<std::string>("--phone-type", [&f](const std::string& v) { f.phone_type = v; },
                                       "the PSA phone type given to contacts created in Cairn (R16)");
  sc->add_option_function<std::string>("--default-account-manager", [&f](const std::string& v) { f.default_account_manager = v; },
                                       "Autotask: the resource (a non-API user) that owns companies Cairn creates; Kaseya BMS, Pulseway PSA: the employee who manages the accounts Cairn creates");
  for (auto* o : sc->get_options())
    if (o->get_name().rfind("--enable-", 0) == 0 || o->get_name().rfind("--disable-", 0) == 0)
      o->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)->allow_extra_args(false);

  a->pause = leaf(cmd, "pause", "Pause an integration's syncing", *a, true);
  a->pause->add_option("--reason", a->reason, "why, for the integration's state");
  a->resume = leaf(cmd, "resume", "Resume a paused (or failed) integration", *a, true);
  a->test = leaf(cmd, "test", "Check that Cairn can reach the PSA with the stored credentials", *a, true);

  a->webhooks = leaf(cmd, "webhooks", "List, or with --register register, the PSA's change notices for Cairn", *a, true);
  a->webhooks->add_flag("--register", a->register_webhooks, "register Cairn's notice URL with the PSA (creates only what is missing)");
  a->webhooks->add_option("--url", a->url, "Cairn's public URL, which the PSA can reach (env CAIRN_PUBLIC_URL)");

  return [a]() -> int {
    if (*a->add) return do_add(*a);
    if (*a->list) return do_list(*a);
    if (*a->show) return do_show(*a);
    if (*a->update) return do_update(*a);
    if (*a->remove) return do_remove(*a);
    if (*a->settings_cmd) return do_settings(*a);
    if (*a->pause) return do_state(*a, store::IntegrationState::Paused, "pause");
    if (*a->resume) return do_state(*a, store::IntegrationState::Active, "resume");
    if (*a->test) return do_test(*a);
    if (*a->webhooks) return run_integration_webhooks(a->db, a->id, a->register_webhooks, a->url);
    return -1;
  };
}

}  // namespace cairn::cli
