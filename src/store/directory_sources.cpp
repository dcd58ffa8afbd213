#include "store/directory_sources.h"

#include <soci/soci.h>

#include "core/time.h"

namespace cairn::store {
namespace {

constexpr size_t kMaxName = 100;
constexpr size_t kMaxText = 2000;
constexpr int kMaxScheduleHours = 24 * 366;
const char* kEntity = "directory_source";

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

const char* kColumns =
    "SELECT CAST(id AS TEXT), CAST(organization_id AS TEXT), name, url, bind_dn, password, base_dn, filter, "
    "CAST(start_tls AS TEXT), CAST(schedule_hours AS TEXT), created_at, updated_at FROM directory_sources";

DirectorySource from_row(const soci::row& r, const MasterKey& key) {
  DirectorySource d;
  d.id = std::stoll(r.get<std::string>(0));
  d.organization_id = std::stoll(r.get<std::string>(1));
  d.name = r.get<std::string>(2);
  d.url = r.get<std::string>(3);
  d.bind_dn = r.get<std::string>(4);
  auto plain = key.decrypt(r.get<std::string>(5));
  if (plain) d.password = std::move(plain.value());
  else d.password_error = plain.error().detail;
  d.base_dn = r.get<std::string>(6);
  if (r.get_indicator(7) == soci::i_ok) d.filter = r.get<std::string>(7);
  d.start_tls = r.get<std::string>(8) != "0";
  d.schedule_hours = std::stoi(r.get<std::string>(9));
  d.created_at = r.get<std::string>(10);
  d.updated_at = r.get<std::string>(11);
  return d;
}

std::optional<core::Error> check_text(const std::string& value, const char* name, const std::string& at,
                                      bool required = true) {
  if (required && trim(value).empty()) return core::invalid(std::string(name) + " can't be blank", at);
  if (value.size() > kMaxText)
    return core::invalid(std::string(name) + " is too long (maximum is " + std::to_string(kMaxText) + " characters)",
                         at);
  return std::nullopt;
}

void apply(const DirectorySourceInput& in, DirectorySource& d) {
  if (in.organization_id) d.organization_id = *in.organization_id;
  if (in.name) d.name = trim(*in.name);
  if (in.url) d.url = trim(*in.url);
  if (in.bind_dn) d.bind_dn = trim(*in.bind_dn);
  if (in.password) {
    d.password = *in.password;
    d.password_error.clear();
  }
  if (in.base_dn) d.base_dn = trim(*in.base_dn);
  if (in.filter) d.filter = trim(*in.filter);
  if (in.start_tls) d.start_tls = *in.start_tls;
  if (in.schedule_hours) d.schedule_hours = *in.schedule_hours;
}

}  // namespace

std::optional<core::Error> validate_directory_source(const DirectorySource& d, const std::string& p) {
  if (d.organization_id <= 0) return core::invalid("organization-id can't be blank", p + "/organization-id");
  if (trim(d.name).empty()) return core::invalid("name can't be blank", p + "/name");
  if (d.name.size() > kMaxName)
    return core::invalid("name is too long (maximum is " + std::to_string(kMaxName) + " characters)", p + "/name");
  bool ldaps = d.url.rfind("ldaps://", 0) == 0;
  bool ldap = d.url.rfind("ldap://", 0) == 0;
  size_t host_at = d.url.find("://") + 3;
  if ((!ldap && !ldaps) || host_at >= d.url.size() || d.url.find_first_of(" \t\r\n") != std::string::npos)
    return core::invalid("url must be an ldap:// or ldaps:// URL with a host, not \"" + d.url + "\"", p + "/url");
  if (auto e = check_text(d.url, "url", p + "/url")) return e;
  if (auto e = check_text(d.bind_dn, "bind-dn", p + "/bind-dn")) return e;
  if (d.password_error.empty()) {
    if (d.password.empty()) return core::invalid("password can't be blank", p + "/password");
    if (auto e = check_text(d.password, "password", p + "/password")) return e;
  }
  if (auto e = check_text(d.base_dn, "base-dn", p + "/base-dn")) return e;
  if (auto e = check_text(d.filter, "filter", p + "/filter", false)) return e;
  if (!d.filter.empty()) {
    int depth = 0;
    for (char c : d.filter) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth < 0) break;
    }
    if (depth != 0) return core::invalid("filter has unbalanced parentheses: \"" + d.filter + "\"", p + "/filter");
  }
  if (d.start_tls && ldaps)
    return core::invalid("start-tls is for ldap:// URLs; an ldaps:// connection is encrypted already", p + "/start-tls");
  if (d.schedule_hours < 0 || d.schedule_hours > kMaxScheduleHours)
    return core::invalid("schedule-hours must be between 0 (only when asked) and " + std::to_string(kMaxScheduleHours),
                         p + "/schedule-hours");
  return std::nullopt;
}

std::optional<core::Error> validate_new_directory_source(const DirectorySourceInput& in, const std::string& p) {
  DirectorySource d;
  apply(in, d);
  return validate_directory_source(d, p);
}

core::Result<DirectorySource> DirectorySources::create(const DirectorySourceInput& in, const Actor& who,
                                                       const std::string& p) {
  if (auto e = validate_new_directory_source(in, p)) return *e;
  DirectorySource d;
  apply(in, d);
  long long orgs = 0;
  s_ << "SELECT COUNT(*) FROM organizations WHERE id = :id", soci::use(d.organization_id), soci::into(orgs);
  if (orgs == 0)
    return core::invalid("organization-id " + std::to_string(d.organization_id) + " does not exist",
                         p + "/organization-id");
  d.created_at = d.updated_at = core::now_rfc3339();
  std::string sealed = key_.encrypt(d.password);
  int tls = d.start_tls ? 1 : 0;
  soci::indicator filter_ind = d.filter.empty() ? soci::i_null : soci::i_ok;
  long long id = 0;
  s_ << "INSERT INTO directory_sources (organization_id, name, url, bind_dn, password, base_dn, filter, start_tls, "
        "schedule_hours, created_at, updated_at) VALUES (:o, :n, :u, :b, :p, :bd, :f, :t, :h, :ca, :ua) RETURNING id",
      soci::use(d.organization_id), soci::use(d.name), soci::use(d.url), soci::use(d.bind_dn), soci::use(sealed),
      soci::use(d.base_dn), soci::use(d.filter, filter_ind), soci::use(tls), soci::use(d.schedule_hours),
      soci::use(d.created_at), soci::use(d.updated_at), soci::into(id);
  d.id = id;
  std::vector<AuditEvent> events = {
      {kEntity, d.id, "create", "organization_id", std::nullopt, std::to_string(d.organization_id)},
      {kEntity, d.id, "create", "name", std::nullopt, d.name},
      {kEntity, d.id, "create", "url", std::nullopt, d.url},
      {kEntity, d.id, "create", "bind_dn", std::nullopt, d.bind_dn},
      {kEntity, d.id, "create", "password", std::nullopt, "(changed)"},
      {kEntity, d.id, "create", "base_dn", std::nullopt, d.base_dn},
      {kEntity, d.id, "create", "start_tls", std::nullopt, d.start_tls ? "true" : "false"},
      {kEntity, d.id, "create", "schedule_hours", std::nullopt, std::to_string(d.schedule_hours)}};
  if (!d.filter.empty()) events.push_back({kEntity, d.id, "create", "filter", std::nullopt, d.filter});
  write_audit(s_, who, d.created_at, events);
  return d;
}

std::optional<DirectorySource> DirectorySources::get(std::int64_t id, bool for_update) {
  std::string sql = std::string(kColumns) + " WHERE id = :id" + (for_update && d_ == Dialect::Postgres ? " FOR UPDATE" : "");
  soci::rowset<soci::row> rs = (s_.prepare << sql, soci::use(id));
  for (const auto& r : rs) return from_row(r, key_);
  return std::nullopt;
}

std::vector<DirectorySource> DirectorySources::list(std::optional<std::int64_t> organization_id) {
  std::vector<DirectorySource> out;
  if (organization_id) {
    std::int64_t org = *organization_id;
    soci::rowset<soci::row> rs = (s_.prepare << std::string(kColumns) + " WHERE organization_id = :o ORDER BY id",
                                  soci::use(org));
    for (const auto& r : rs) out.push_back(from_row(r, key_));
  } else {
    soci::rowset<soci::row> rs = (s_.prepare << std::string(kColumns) + " ORDER BY id");
    for (const auto& r : rs) out.push_back(from_row(r, key_));
  }
  return out;
}

core::Result<DirectorySource> DirectorySources::update(std::int64_t id, const DirectorySourceInput& in, const Actor& who,
                                                       const std::string& p) {
  auto existing = get(id, true);
  if (!existing) return core::not_found("directory source " + std::to_string(id) + " does not exist");
  if (in.organization_id && *in.organization_id != existing->organization_id)
    return core::invalid("organization-id can't be changed; add a source to the other organization instead",
                         p + "/organization-id");
  DirectorySource next = *existing;
  apply(in, next);
  if (auto e = validate_directory_source(next, p)) return *e;
  std::vector<AuditEvent> events;
  auto field = [&](const char* f, const std::string& old_v, const std::string& new_v) {
    auto text = [](const std::string& v) { return v.empty() ? std::nullopt : std::optional<std::string>(v); };
    if (old_v != new_v) events.push_back({kEntity, id, "update", f, text(old_v), text(new_v)});
  };
  field("name", existing->name, next.name);
  field("url", existing->url, next.url);
  field("bind_dn", existing->bind_dn, next.bind_dn);
  field("base_dn", existing->base_dn, next.base_dn);
  field("filter", existing->filter, next.filter);
  field("start_tls", existing->start_tls ? "true" : "false", next.start_tls ? "true" : "false");
  field("schedule_hours", std::to_string(existing->schedule_hours), std::to_string(next.schedule_hours));
  bool password_changed = in.password && (!existing->password_error.empty() || *in.password != existing->password);
  if (password_changed) events.push_back({kEntity, id, "update", "password", std::nullopt, "(changed)"});
  if (events.empty()) return next;

  next.updated_at = core::now_rfc3339();
  int tls = next.start_tls ? 1 : 0;
  soci::indicator filter_ind = next.filter.empty() ? soci::i_null : soci::i_ok;
  s_ << "UPDATE directory_sources SET name = :n, url = :u, bind_dn = :b, base_dn = :bd, filter = :f, start_tls = :t, "
        "schedule_hours = :h, updated_at = :ua WHERE id = :id",
      soci::use(next.name), soci::use(next.url), soci::use(next.bind_dn), soci::use(next.base_dn),
      soci::use(next.filter, filter_ind), soci::use(tls), soci::use(next.schedule_hours), soci::use(next.updated_at),
      soci::use(id);
  if (password_changed) {
    std::string sealed = key_.encrypt(next.password);
    s_ << "UPDATE directory_sources SET password = :p WHERE id = :id", soci::use(sealed), soci::use(id);
  }
  write_audit(s_, who, next.updated_at, events);
  return next;
}

core::Result<bool> remove_directory_source(soci::session& s, std::int64_t id, const Actor& who) {
  long long found = 0;
  s << "SELECT COUNT(*) FROM directory_sources WHERE id = :id", soci::use(id), soci::into(found);
  if (found == 0) return core::not_found("directory source " + std::to_string(id) + " does not exist");
  s << "DELETE FROM directory_sources WHERE id = :id", soci::use(id);
  write_audit(s, who, core::now_rfc3339(), {{kEntity, id, "delete", std::nullopt, std::nullopt, std::nullopt}});
  return true;
}

}  // namespace cairn::store
