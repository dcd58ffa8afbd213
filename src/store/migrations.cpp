#include "store/migrations.h"

#include <soci/soci.h>

#include <string>
#include <vector>

#include "core/time.h"

namespace cairn::store {
namespace {

struct Migration {
  int version;
  const char* name;
  const char* sql;  // statements separated by ";\n"
};

// Never edit a migration that has shipped; add a new one.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1, "documentation store", R"SQL(
CREATE TABLE organization_types (id {id}, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE organization_statuses (id {id}, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE configuration_types (id {id}, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE configuration_statuses (id {id}, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE contact_types (id {id}, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE manufacturers (id {id}, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE models (id {id}, name TEXT NOT NULL, manufacturer_id {bigint} NOT NULL REFERENCES manufacturers(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (manufacturer_id, name));
CREATE TABLE operating_systems (id {id}, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE countries (id {id}, name TEXT NOT NULL UNIQUE, iso TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE regions (id {id}, name TEXT NOT NULL, iso TEXT, country_id {bigint} NOT NULL REFERENCES countries(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (country_id, name));
CREATE TABLE organizations (id {id}, name TEXT NOT NULL,
  organization_type_id {bigint} REFERENCES organization_types(id) ON DELETE SET NULL,
  organization_status_id {bigint} REFERENCES organization_statuses(id) ON DELETE SET NULL,
  short_name TEXT, parent_id {bigint} REFERENCES organizations(id) ON DELETE SET NULL,
  description TEXT, quick_notes TEXT, alert TEXT, is_primary INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX organizations_name ON organizations (name);
CREATE INDEX organizations_parent ON organizations (parent_id);
CREATE TABLE locations (id {id}, organization_id {bigint} NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name TEXT NOT NULL, is_primary INTEGER NOT NULL DEFAULT 0, address_1 TEXT, address_2 TEXT, city TEXT, postal_code TEXT,
  region_id {bigint} REFERENCES regions(id) ON DELETE SET NULL, country_id {bigint} REFERENCES countries(id) ON DELETE SET NULL,
  phone TEXT, fax TEXT, notes TEXT, restricted INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX locations_org ON locations (organization_id, name);
CREATE TABLE contacts (id {id}, organization_id {bigint} NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  first_name TEXT, last_name TEXT, title TEXT, contact_type_id {bigint} REFERENCES contact_types(id) ON DELETE SET NULL,
  location_id {bigint} REFERENCES locations(id) ON DELETE SET NULL, important INTEGER NOT NULL DEFAULT 0, notes TEXT,
  restricted INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX contacts_org ON contacts (organization_id, first_name, last_name);
CREATE TABLE contact_emails (id {id}, contact_id {bigint} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  value TEXT NOT NULL, label_name TEXT, is_primary INTEGER NOT NULL DEFAULT 0);
CREATE INDEX contact_emails_contact ON contact_emails (contact_id);
CREATE INDEX contact_emails_value ON contact_emails (value);
CREATE TABLE contact_phones (id {id}, contact_id {bigint} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  value TEXT NOT NULL, extension TEXT, label_name TEXT, label_type TEXT NOT NULL DEFAULT 'phone', is_primary INTEGER NOT NULL DEFAULT 0);
CREATE INDEX contact_phones_contact ON contact_phones (contact_id);
CREATE TABLE configurations (id {id}, organization_id {bigint} NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name TEXT NOT NULL, configuration_type_id {bigint} NOT NULL REFERENCES configuration_types(id),
  configuration_status_id {bigint} REFERENCES configuration_statuses(id) ON DELETE SET NULL,
  manufacturer_id {bigint} REFERENCES manufacturers(id) ON DELETE SET NULL, model_id {bigint} REFERENCES models(id) ON DELETE SET NULL,
  operating_system_id {bigint} REFERENCES operating_systems(id) ON DELETE SET NULL, operating_system_notes TEXT,
  location_id {bigint} REFERENCES locations(id) ON DELETE SET NULL, contact_id {bigint} REFERENCES contacts(id) ON DELETE SET NULL,
  hostname TEXT, primary_ip TEXT, mac_address TEXT, default_gateway TEXT, serial_number TEXT, asset_tag TEXT,
  physical_position TEXT, installed_by TEXT, purchased_by TEXT, installed_at TEXT, purchased_at TEXT, warranty_expires_at TEXT,
  notes TEXT, archived INTEGER NOT NULL DEFAULT 0, restricted INTEGER NOT NULL DEFAULT 0,
  mitp_device_expiration_date TEXT, mitp_end_of_life_date TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX configurations_org ON configurations (organization_id, configuration_type_id, name);
CREATE INDEX configurations_serial ON configurations (serial_number);
CREATE TABLE configuration_interfaces (id {id}, configuration_id {bigint} NOT NULL REFERENCES configurations(id) ON DELETE CASCADE,
  name TEXT, ip_address TEXT, mac_address TEXT, is_primary INTEGER NOT NULL DEFAULT 0, notes TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX configuration_interfaces_config ON configuration_interfaces (configuration_id);
CREATE TABLE api_keys (id {id}, name TEXT NOT NULL, role TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, key_prefix TEXT NOT NULL,
  created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT);
CREATE TABLE integrations (id {id}, kind TEXT NOT NULL, name TEXT NOT NULL, base_url TEXT, credentials TEXT,
  settings TEXT NOT NULL DEFAULT '{}', state TEXT NOT NULL DEFAULT 'active', state_reason TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE psa_links (id {id}, integration_id {bigint} NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  entity TEXT NOT NULL, local_id {bigint} NOT NULL, psa_id TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'syncing',
  error TEXT, fingerprint TEXT, manual INTEGER NOT NULL DEFAULT 0, last_seen_at TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  UNIQUE (entity, local_id), UNIQUE (integration_id, entity, psa_id));
CREATE TABLE sync_runs (id {id}, integration_id {bigint} NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  mode TEXT NOT NULL, state TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, checkpoint TEXT,
  counts TEXT NOT NULL DEFAULT '{}', error TEXT);
CREATE INDEX sync_runs_integration ON sync_runs (integration_id, id);
CREATE TABLE audit_events (id {id}, at TEXT NOT NULL, actor TEXT NOT NULL, run_id {bigint}, entity TEXT NOT NULL,
  record_id {bigint} NOT NULL, action TEXT NOT NULL, field TEXT, old_value TEXT, new_value TEXT);
CREATE INDEX audit_events_record ON audit_events (entity, record_id, id);
CREATE INDEX audit_events_run ON audit_events (run_id);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE TABLE outbox (id {id}, integration_id {bigint} NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  entity TEXT NOT NULL, local_id {bigint} NOT NULL, operation TEXT NOT NULL, payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL,
  last_error TEXT, lease_until TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at)
)SQL"},
      {2, "two-way pushes", R"SQL(
CREATE INDEX outbox_record ON outbox (entity, local_id, id)
)SQL"},
      {3, "active directory contacts", R"SQL(
ALTER TABLE contacts ADD COLUMN ad_account_status TEXT;
ALTER TABLE contacts ADD COLUMN ad_last_logon_at TEXT;
ALTER TABLE contacts ADD COLUMN ad_password_last_set_at TEXT;
ALTER TABLE contacts ADD COLUMN ad_password_expires_at TEXT;
CREATE TABLE directory_sources (id {id}, organization_id {bigint} NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name TEXT NOT NULL, url TEXT NOT NULL, bind_dn TEXT NOT NULL, password TEXT NOT NULL, base_dn TEXT NOT NULL,
  filter TEXT, start_tls INTEGER NOT NULL DEFAULT 0, schedule_hours INTEGER NOT NULL DEFAULT 24,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX directory_sources_org ON directory_sources (organization_id)
)SQL"},
      // Version 4 is another change's (migrations apply by version, so they land in any order).
      {5, "directory import runs", R"SQL(
CREATE TABLE directory_import_runs (id {id},
  directory_source_id {bigint} NOT NULL REFERENCES directory_sources(id) ON DELETE CASCADE,
  organization_id {bigint} NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  started_by TEXT NOT NULL, state TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
  counts TEXT NOT NULL DEFAULT '{}', error TEXT);
CREATE INDEX directory_import_runs_source ON directory_import_runs (directory_source_id, id)
)SQL"},
      // The database is push-all's lock (sync/push_all.h): at most one running push-all per
      // integration, alive while its heartbeat is fresh. Runs left running by a killed process
      // before this version have no heartbeat; all but the newest of an integration are marked
      // now so the index can hold, and the newest is taken over by the next start.
      {6, "push-all heartbeat and lock", R"SQL(
ALTER TABLE sync_runs ADD COLUMN heartbeat_at TEXT;
UPDATE sync_runs SET state = 'failed', error = 'interrupted: the process running it stopped', finished_at = started_at
  WHERE mode = 'push-all' AND state = 'running' AND id NOT IN (SELECT MAX(id) FROM sync_runs
  WHERE mode = 'push-all' AND state = 'running' GROUP BY integration_id);
CREATE UNIQUE INDEX sync_runs_one_push_all ON sync_runs (integration_id) WHERE mode = 'push-all' AND state = 'running'
)SQL"},
      // Deleting an organization used to leave the links of the records deleted with it, naming
      // records that no longer exist; a later sync then took them for unchanged and never
      // restored them. Documents::remove now deletes those links; this clears the ones left.
      {7, "links of deleted records", R"SQL(
DELETE FROM psa_links WHERE entity = 'organization' AND NOT EXISTS (SELECT 1 FROM organizations r WHERE r.id = psa_links.local_id);
DELETE FROM psa_links WHERE entity = 'location' AND NOT EXISTS (SELECT 1 FROM locations r WHERE r.id = psa_links.local_id);
DELETE FROM psa_links WHERE entity = 'contact' AND NOT EXISTS (SELECT 1 FROM contacts r WHERE r.id = psa_links.local_id);
DELETE FROM psa_links WHERE entity = 'configuration' AND NOT EXISTS (SELECT 1 FROM configurations r WHERE r.id = psa_links.local_id)
)SQL"},
  };
  return all;
}

std::string dialect_sql(std::string sql, Dialect d) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t p = sql.find(from); p != std::string::npos; p = sql.find(from, p + to.size())) sql.replace(p, from.size(), to);
  };
  replace_all("{id}", d == Dialect::Sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                           : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  replace_all("{bigint}", d == Dialect::Sqlite ? "INTEGER" : "BIGINT");
  return sql;
}

std::vector<std::string> statements(const std::string& sql) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < sql.size()) {
    size_t end = sql.find(";\n", start);
    std::string stmt = sql.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (stmt.find_first_not_of(" \n\t") != std::string::npos) out.push_back(stmt);
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return out;
}

}  // namespace

int latest_migration() { return migrations().back().version; }

int current_version(soci::session& s) {
  int v = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT MAX(version) FROM schema_migrations", soci::into(v, ind);
  return ind == soci::i_ok ? v : 0;
}

int run_migrations(soci::session& s, Dialect d) {
  s << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
  for (const auto& m : migrations()) {
    Transaction tx(s, d);
    // Several processes may start at once against one PostgreSQL: one migrates, the rest wait.
    if (d == Dialect::Postgres) s << "SELECT pg_advisory_xact_lock(727274)";
    // Applied by version, not by the highest one: changes made in parallel land in any order.
    int applied = 0;
    s << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(m.version), soci::into(applied);
    if (applied > 0) continue;
    for (const auto& stmt : statements(dialect_sql(m.sql, d))) s << stmt;
    std::string name = m.name, now = core::now_rfc3339();
    s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)", soci::use(m.version),
        soci::use(name), soci::use(now);
    tx.commit();
  }
  return current_version(s);
}

}  // namespace cairn::store
