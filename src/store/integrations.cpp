#include "store/integrations.h"

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include <algorithm>
#include <set>

#include "core/naming.h"
#include "core/time.h"

namespace cairn::store {
namespace {

constexpr size_t kMaxName = 100;
constexpr size_t kMaxUrl = 2000;
constexpr size_t kMaxCredential = 4096;
const char* kEntity = "integration";

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Trailing slashes go, so connectors can append paths without doubling them.
std::string normalize_url(const std::string& s) {
  std::string out = trim(s);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::string seal(const MasterKey& key, const std::map<std::string, std::string>& credentials) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : credentials) j[k] = v;
  std::string plain = j.dump();
  std::string sealed = key.encrypt(plain);
  std::fill(plain.begin(), plain.end(), '\0');
  return sealed;
}

const char* kColumns =
    "SELECT CAST(id AS TEXT), kind, name, base_url, credentials, settings, state, state_reason, created_at, updated_at "
    "FROM integrations";

Integration from_row(const soci::row& r, const MasterKey& key) {
  Integration i;
  i.id = std::stoll(r.get<std::string>(0));
  i.kind = r.get<std::string>(1);
  i.name = r.get<std::string>(2);
  if (r.get_indicator(3) == soci::i_ok) i.base_url = r.get<std::string>(3);
  if (r.get_indicator(4) == soci::i_ok) {
    auto plain = key.decrypt(r.get<std::string>(4));
    if (!plain) {
      i.credentials_error = plain.error().detail;
    } else {
      auto j = nlohmann::json::parse(plain.value(), nullptr, false);
      std::fill(plain.value().begin(), plain.value().end(), '\0');
      if (!j.is_object()) {
        i.credentials_error = "stored credentials are not a JSON object";
      } else {
        for (const auto& [k, v] : j.items())
          if (v.is_string()) i.credentials[k] = v.get<std::string>();
      }
    }
  }
  i.settings = core::SyncSettings::from_json(r.get<std::string>(5));
  i.state = parse_integration_state(r.get<std::string>(6)).value_or(IntegrationState::Error);
  if (r.get_indicator(7) == soci::i_ok) i.state_reason = r.get<std::string>(7);
  i.created_at = r.get<std::string>(8);
  i.updated_at = r.get<std::string>(9);
  return i;
}

std::optional<core::Error> check_names(const std::set<std::string>& names, const std::string& at) {
  for (const auto& n : names)
    if (trim(n).empty()) return core::invalid("names of types and statuses can't be blank", at);
  return std::nullopt;
}

}  // namespace

const std::vector<IntegrationKind>& integration_kinds() {
  static const std::vector<IntegrationKind> all = {
      {"connectwise", {"company_id", "public_key", "private_key", "client_id"}, true, core::capabilities_for("connectwise")},
      {"autotask", {"username", "secret", "integration_code"}, false, core::capabilities_for("autotask")},
      {"bms", {"username", "password", "tenant"}, true, core::capabilities_for("bms")},
      // Pulseway PSA has one API host (api.psa.pulseway.com): the URL may be left out.
      {"pulseway", {"username", "password", "tenant"}, false, core::capabilities_for("pulseway")},
      {"tigerpaw", {"public_key", "private_key"}, true, core::capabilities_for("tigerpaw")},
  };
  return all;
}

const IntegrationKind* find_integration_kind(const std::string& kind) {
  for (const auto& k : integration_kinds())
    if (k.kind == kind) return &k;
  return nullptr;
}

std::string integration_kind_list() {
  std::vector<std::string> names;
  for (const auto& k : integration_kinds()) names.push_back(k.kind);
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

std::vector<std::string> all_credential_names() {
  std::vector<std::string> out;
  for (const auto& k : integration_kinds())
    for (const auto& c : k.credentials)
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

std::string state_name(IntegrationState s) {
  switch (s) {
    case IntegrationState::Active: return "active";
    case IntegrationState::Paused: return "paused";
    case IntegrationState::Error: return "error";
  }
  return "error";
}

std::optional<IntegrationState> parse_integration_state(const std::string& s) {
  if (s == "active") return IntegrationState::Active;
  if (s == "paused") return IntegrationState::Paused;
  if (s == "error") return IntegrationState::Error;
  return std::nullopt;
}

std::vector<std::string> Integration::credential_names() const {
  std::vector<std::string> out;
  const auto* k = find_integration_kind(kind);
  if (k)
    for (const auto& c : k->credentials)
      if (credentials.count(c)) out.push_back(c);
  for (const auto& [c, v] : credentials)
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

std::optional<core::Error> validate_integration(const Integration& i, const std::string& p) {
  if (i.kind.empty()) return core::invalid("kind can't be blank: it is one of " + integration_kind_list(), p + "/kind");
  const IntegrationKind* k = find_integration_kind(i.kind);
  if (!k) return core::invalid("kind must be " + integration_kind_list() + ", not \"" + i.kind + "\"", p + "/kind");
  if (trim(i.name).empty()) return core::invalid("name can't be blank", p + "/name");
  if (i.name.size() > kMaxName)
    return core::invalid("name is too long (maximum is " + std::to_string(kMaxName) + " characters)", p + "/name");
  if (i.base_url.empty()) {
    if (k->url_required)
      return core::invalid("base-url can't be blank: " + std::string(k->capabilities->display_name) + " needs the address of its API", p + "/base-url");
  } else {
    bool scheme = i.base_url.rfind("https://", 0) == 0 || i.base_url.rfind("http://", 0) == 0;
    size_t host_at = i.base_url.find("://") + 3;
    if (!scheme || host_at >= i.base_url.size() || i.base_url.find_first_of(" \t\r\n") != std::string::npos)
      return core::invalid("base-url must be an http:// or https:// URL, not \"" + i.base_url + "\"", p + "/base-url");
    if (i.base_url.size() > kMaxUrl)
      return core::invalid("base-url is too long (maximum is " + std::to_string(kMaxUrl) + " characters)",
                           p + "/base-url");
  }
  // Credentials that cannot be decrypted are kept as they are until an update replaces them.
  if (i.credentials_error.empty()) {
    const bool notices = k->capabilities->change_notice != core::ChangeNotice::None;
    for (const auto& [name, value] : i.credentials)
      if (std::find(k->credentials.begin(), k->credentials.end(), name) == k->credentials.end() &&
          !(notices && name == kWebhookSecretCredential))
        return core::invalid(k->kind + " has no credential " + name + "; it takes " + join_names(k->credentials),
                             p + "/credentials/" + core::kebab(name));
    for (const auto& name : k->credentials) {
      auto it = i.credentials.find(name);
      std::string at = p + "/credentials/" + core::kebab(name);
      if (it == i.credentials.end()) return core::invalid(k->kind + " needs the credential " + name, at);
      if (trim(it->second).empty()) return core::invalid("credential " + name + " can't be blank", at);
      if (it->second.size() > kMaxCredential)
        return core::invalid("credential " + name + " is too long (maximum is " + std::to_string(kMaxCredential) +
                                 " characters)",
                             at);
    }
  }
  const auto& s = i.settings;
  if (auto e = check_names(s.org_types, p + "/settings/org-types")) return e;
  if (auto e = check_names(s.org_statuses, p + "/settings/org-statuses")) return e;
  if (auto e = check_names(s.config_types, p + "/settings/config-types")) return e;
  if (auto e = check_names(s.config_statuses, p + "/settings/config-statuses")) return e;
  // D6: a PSA without configuration sync (Tigerpaw) offers no configuration types or statuses.
  if (!core::syncs(*k->capabilities, core::SyncEntity::Configuration) && (!s.config_types.empty() || !s.config_statuses.empty()))
    return core::invalid(std::string(k->capabilities->no_configurations_reason) +
                             ": configuration types and statuses can't be enabled",
                         p + (s.config_types.empty() ? "/settings/config-statuses" : "/settings/config-types"));
  if (s.two_way && !k->capabilities->two_way)
    return core::invalid(std::string(k->capabilities->no_two_way_reason) + ": two-way can't be turned on",
                         p + "/settings/two-way");
  return std::nullopt;
}

core::Result<Integration> Integrations::create(const IntegrationInput& in, const Actor& who, const std::string& p) {
  Integration i;
  i.kind = trim(in.kind.value_or(""));
  i.name = trim(in.name.value_or(""));
  i.base_url = normalize_url(in.base_url.value_or(""));
  for (const auto& [k, v] : in.credentials)
    if (v) i.credentials[k] = *v;
  if (in.settings) i.settings = *in.settings;
  if (auto e = validate_integration(i, p)) return *e;

  i.created_at = i.updated_at = core::now_rfc3339();
  std::string state = state_name(i.state), settings = i.settings.to_json();
  std::string sealed = i.credentials.empty() ? std::string() : seal(key_, i.credentials);
  soci::indicator url_ind = i.base_url.empty() ? soci::i_null : soci::i_ok;
  soci::indicator cred_ind = sealed.empty() ? soci::i_null : soci::i_ok;
  long long id = 0;
  s_ << "INSERT INTO integrations (kind, name, base_url, credentials, settings, state, created_at, updated_at) "
        "VALUES (:k, :n, :u, :c, :s, :st, :ca, :ua) RETURNING id",
      soci::use(i.kind), soci::use(i.name), soci::use(i.base_url, url_ind), soci::use(sealed, cred_ind),
      soci::use(settings), soci::use(state), soci::use(i.created_at), soci::use(i.updated_at), soci::into(id);
  i.id = id;

  std::vector<AuditEvent> events = {{kEntity, i.id, "create", "kind", std::nullopt, i.kind},
                                    {kEntity, i.id, "create", "name", std::nullopt, i.name}};
  if (!i.base_url.empty()) events.push_back({kEntity, i.id, "create", "base_url", std::nullopt, i.base_url});
  for (const auto& name : i.credential_names())
    events.push_back({kEntity, i.id, "create", "credentials." + name, std::nullopt, "(changed)"});
  events.push_back({kEntity, i.id, "create", "settings", std::nullopt, settings});
  events.push_back({kEntity, i.id, "create", "state", std::nullopt, state});
  write_audit(s_, who, i.created_at, events);
  return i;
}

std::optional<Integration> Integrations::get(std::int64_t id, bool for_update) {
  // PostgreSQL: concurrent updates of one integration queue here instead of losing a change.
  // SQLite's BEGIN IMMEDIATE already serialises writers.
  std::string sql = std::string(kColumns) + " WHERE id = :id" +
                    (for_update && d_ == Dialect::Postgres ? " FOR UPDATE" : "");
  soci::rowset<soci::row> rs = (s_.prepare << sql, soci::use(id));
  for (const auto& r : rs) return from_row(r, key_);
  return std::nullopt;
}

std::vector<Integration> Integrations::list() {
  std::vector<Integration> out;
  soci::rowset<soci::row> rs = (s_.prepare << std::string(kColumns) + " ORDER BY id");
  for (const auto& r : rs) out.push_back(from_row(r, key_));
  return out;
}

core::Result<Integration> Integrations::update(std::int64_t id, const IntegrationInput& in, const Actor& who,
                                               const std::string& p) {
  auto existing = get(id, true);
  if (!existing) return core::not_found("integration " + std::to_string(id) + " does not exist");
  if (in.kind && trim(*in.kind) != existing->kind)
    return core::invalid("kind can't be changed (it is " + existing->kind + "); add a new integration instead",
                         p + "/kind");
  Integration next = *existing;
  if (in.name) next.name = trim(*in.name);
  if (in.base_url) next.base_url = normalize_url(*in.base_url);
  if (in.settings) next.settings = *in.settings;
  bool credentials_given = !in.credentials.empty();
  if (credentials_given) {
    if (!next.credentials_error.empty()) {
      // What cannot be read cannot be merged: the update must give every credential anew.
      next.credentials.clear();
      next.credentials_error.clear();
    }
    for (const auto& [k, v] : in.credentials) {
      if (v) next.credentials[k] = *v;
      else next.credentials.erase(k);
    }
  }
  if (auto e = validate_integration(next, p)) return *e;

  std::vector<AuditEvent> events;
  auto field = [&](const std::string& f, const std::string& old_v, const std::string& new_v) {
    auto text = [](const std::string& v) { return v.empty() ? std::nullopt : std::optional<std::string>(v); };
    if (old_v != new_v) events.push_back({kEntity, id, "update", f, text(old_v), text(new_v)});
  };
  field("name", existing->name, next.name);
  field("base_url", existing->base_url, next.base_url);
  std::string old_settings = existing->settings.to_json(), new_settings = next.settings.to_json();
  field("settings", old_settings, new_settings);
  bool credentials_changed = false;
  if (credentials_given) {
    std::set<std::string> names;
    for (const auto& [k, v] : existing->credentials) names.insert(k);
    for (const auto& [k, v] : next.credentials) names.insert(k);
    bool replaced_unreadable = !existing->credentials_error.empty();
    for (const auto& n : names) {
      auto o = existing->credentials.find(n);
      auto nw = next.credentials.find(n);
      bool had = o != existing->credentials.end(), has = nw != next.credentials.end();
      if (!replaced_unreadable && had == has && (!had || o->second == nw->second)) continue;
      credentials_changed = true;
      events.push_back({kEntity, id, "update", "credentials." + n, std::nullopt,
                        has ? std::optional<std::string>("(changed)") : std::optional<std::string>("(removed)")});
    }
  }
  if (events.empty()) return next;

  next.updated_at = core::now_rfc3339();
  soci::indicator url_ind = next.base_url.empty() ? soci::i_null : soci::i_ok;
  if (credentials_changed) {
    std::string sealed = next.credentials.empty() ? std::string() : seal(key_, next.credentials);
    soci::indicator cred_ind = sealed.empty() ? soci::i_null : soci::i_ok;
    s_ << "UPDATE integrations SET name = :n, base_url = :u, credentials = :c, settings = :s, updated_at = :t "
          "WHERE id = :id",
        soci::use(next.name), soci::use(next.base_url, url_ind), soci::use(sealed, cred_ind), soci::use(new_settings),
        soci::use(next.updated_at), soci::use(id);
  } else {
    s_ << "UPDATE integrations SET name = :n, base_url = :u, settings = :s, updated_at = :t WHERE id = :id",
        soci::use(next.name), soci::use(next.base_url, url_ind), soci::use(new_settings), soci::use(next.updated_at),
        soci::use(id);
  }
  write_audit(s_, who, next.updated_at, events);
  return next;
}

core::Result<bool> Integrations::remove(std::int64_t id, const Actor& who) { return remove_integration(s_, id, who); }

core::Result<bool> remove_integration(soci::session& s, std::int64_t id, const Actor& who) {
  long long found = 0, links = 0;
  s << "SELECT COUNT(*) FROM integrations WHERE id = :id", soci::use(id), soci::into(found);
  if (found == 0) return core::not_found("integration " + std::to_string(id) + " does not exist");
  s << "SELECT COUNT(*) FROM psa_links WHERE integration_id = :id", soci::use(id), soci::into(links);
  // The foreign keys cascade to psa_links, sync_runs and outbox; the documentation records stay.
  s << "DELETE FROM integrations WHERE id = :id", soci::use(id);
  std::vector<AuditEvent> events = {{kEntity, id, "delete", std::nullopt, std::nullopt, std::nullopt}};
  if (links > 0) events.push_back({kEntity, id, "delete", "psa_links", std::to_string(links), "0"});
  write_audit(s, who, core::now_rfc3339(), events);
  return true;
}

core::Result<Integration> Integrations::set_state(std::int64_t id, IntegrationState state, const std::string& reason,
                                                  const Actor& who) {
  auto i = get(id, true);
  if (!i) return core::not_found("integration " + std::to_string(id) + " does not exist");
  std::string new_reason = state == IntegrationState::Active ? std::string() : trim(reason);
  if (i->state == state && i->state_reason == new_reason) return std::move(*i);
  std::vector<AuditEvent> events;
  std::string old_state = state_name(i->state), new_state = state_name(state);
  if (old_state != new_state) events.push_back({kEntity, id, "update", "state", old_state, new_state});
  if (i->state_reason != new_reason)
    events.push_back({kEntity, id, "update", "state_reason",
                      i->state_reason.empty() ? std::nullopt : std::optional<std::string>(i->state_reason),
                      new_reason.empty() ? std::nullopt : std::optional<std::string>(new_reason)});
  i->state = state;
  i->state_reason = new_reason;
  i->updated_at = core::now_rfc3339();
  soci::indicator reason_ind = new_reason.empty() ? soci::i_null : soci::i_ok;
  s_ << "UPDATE integrations SET state = :s, state_reason = :r, updated_at = :t WHERE id = :id", soci::use(new_state),
      soci::use(new_reason, reason_ind), soci::use(i->updated_at), soci::use(id);
  write_audit(s_, who, i->updated_at, events);
  return std::move(*i);
}

std::vector<SettingRow> settings_rows(const core::SyncSettings& s, const PsaCatalogue* psa) {
  std::vector<SettingRow> out;
  auto group = [&](const char* name, const std::set<std::string>& enabled, const std::vector<std::string>* listed) {
    if (listed)
      for (const auto& n : *listed) out.push_back({name, n, enabled.count(n) > 0, true});
    for (const auto& n : enabled)
      if (!listed || std::find(listed->begin(), listed->end(), n) == listed->end())
        out.push_back({name, n, true, listed == nullptr});
  };
  group("org-type", s.org_types, psa ? &psa->org_types : nullptr);
  group("org-status", s.org_statuses, psa ? &psa->org_statuses : nullptr);
  group("config-type", s.config_types, psa ? &psa->config_types : nullptr);
  group("config-status", s.config_statuses, psa ? &psa->config_statuses : nullptr);
  return out;
}

}  // namespace cairn::store
