#include "core/schema.h"

#include <memory>
#include <stdexcept>

#include "core/naming.h"

namespace cairn::core {
namespace {

Field make(std::string name, FieldType type) {
  Field f;
  f.api_name = kebab(name);
  f.column = name;
  f.name = std::move(name);
  f.type = type;
  return f;
}
Field str(std::string n, size_t max = 255) { return make(std::move(n), FieldType::String).max(max); }
Field text(std::string n) { return make(std::move(n), FieldType::Text).max(65535); }
Field boolean(std::string n) { return make(std::move(n), FieldType::Boolean); }
Field date(std::string n) { return make(std::move(n), FieldType::Date); }
Field ref(std::string n, std::string target) {
  Field f = make(std::move(n), FieldType::Reference);
  f.references = std::move(target);
  return f;
}
// A read-only attribute computed in SQL, e.g. the name behind a reference.
Field derived(std::string n, FieldType type, std::string expr, std::vector<std::string> joins = {}) {
  Field f = make(std::move(n), type);
  f.storage = Storage::Derived;
  f.column.clear();
  f.expr = std::move(expr);
  f.joins = std::move(joins);
  f.writable = false;
  return f;
}
Field stamp(std::string n) {
  Field f = make(std::move(n), FieldType::DateTime);
  f.storage = Storage::Auto;
  f.writable = false;
  f.filterable = true;
  f.sortable = true;
  return f;
}

// The name behind a reference, through a join named after the reference.
void named_ref(EntitySchema& e, const std::string& ref_field, const std::string& table, const std::string& out_name,
               bool sortable = false) {
  std::string alias = "j_" + ref_field;
  e.joins.push_back({alias, "LEFT JOIN " + table + " " + alias + " ON " + alias + ".id = b." + ref_field});
  Field f = derived(out_name, FieldType::String, alias + ".name", {alias});
  f.sortable = sortable;
  e.fields.push_back(std::move(f));
}

void psa_fields(EntitySchema& e) {
  e.has_psa_link = true;
  e.joins.push_back({"psa", "LEFT JOIN psa_links psa ON psa.entity = '" + e.link_entity +
                                "' AND psa.local_id = b.id LEFT JOIN integrations psai ON psai.id = psa.integration_id"});
  std::string type_expr =
      "CASE psai.kind WHEN 'connectwise' THEN 'manage' WHEN 'bms' THEN 'kaseya-bms' WHEN 'pulseway' THEN "
      "'pulseway-psa' ELSE psai.kind END";
  e.fields.push_back(derived("psa_integration", FieldType::String, type_expr, {"psa"}));
  e.fields.back().filterable = true;
  Field id = derived("psa_id", FieldType::String, "psa.psa_id", {"psa"});
  id.filterable = true;
  e.fields.push_back(id);
  e.fields.push_back(derived("psa_sync_state", FieldType::String, "psa.state", {"psa"}));
  e.fields.push_back(derived("psa_sync_error", FieldType::String, "psa.error", {"psa"}));
  // D14, D16: the record's push to its PSA, from the outbox (store/outbox.h). An unfinished row
  // (the oldest) speaks for the record; else the newest finished one.
  auto push = [&](const char* column) {
    return std::string("(SELECT o.") + column + " FROM outbox o WHERE o.entity = '" + e.link_entity +
           "' AND o.local_id = b.id ORDER BY CASE WHEN o.state IN ('pending', 'failed') THEN 0 ELSE 1 END, "
           "CASE WHEN o.state IN ('pending', 'failed') THEN o.id ELSE -o.id END LIMIT 1)";
  };
  e.fields.push_back(derived("psa_push_state", FieldType::String, push("state")));
  e.fields.push_back(derived("psa_push_error", FieldType::String, push("last_error")));
}

void stamps(EntitySchema& e) {
  e.fields.push_back(stamp("created_at"));
  e.fields.push_back(stamp("updated_at"));
}

void finish(EntitySchema& e) {
  for (size_t i = 0; i < e.fields.size(); ++i) e.fields[i].index = i;
}

std::unique_ptr<EntitySchema> lookup(std::string type, std::string table, std::string link) {
  auto e = std::make_unique<EntitySchema>();
  e->type = std::move(type);
  e->table = std::move(table);
  e->link_entity = std::move(link);
  e->default_sort = "name";
  e->fields.push_back(str("name").req().filter().sort());
  return e;
}

struct Registry {
  std::vector<std::unique_ptr<EntitySchema>> owned;
  std::vector<const EntitySchema*> all;

  EntitySchema& add(std::unique_ptr<EntitySchema> e) {
    owned.push_back(std::move(e));
    return *owned.back();
  }

  Registry() {
    for (auto [type, link] : {std::pair{"organization_types", "organization_type"},
                              {"organization_statuses", "organization_status"},
                              {"configuration_types", "configuration_type"},
                              {"configuration_statuses", "configuration_status"},
                              {"contact_types", "contact_type"},
                              {"manufacturers", "manufacturer"},
                              {"operating_systems", "operating_system"},
                              {"countries", "country"}}) {
      auto& e = add(lookup(type, type, link));
      if (e.type == "countries") e.fields.push_back(str("iso", 8).filter());
      stamps(e);
    }
    {
      auto& e = add(lookup("models", "models", "model"));
      e.fields.push_back(ref("manufacturer_id", "manufacturers").req().filter());
      named_ref(e, "manufacturer_id", "manufacturers", "manufacturer_name");
      stamps(e);
    }
    {
      auto& e = add(lookup("regions", "regions", "region"));
      e.fields.push_back(str("iso", 8).filter());
      e.fields.push_back(ref("country_id", "countries").req().filter());
      stamps(e);
    }
    {
      auto& e = add(std::make_unique<EntitySchema>());
      e.type = "organizations";
      e.table = "organizations";
      e.link_entity = "organization";
      e.bulk = true;
      e.default_sort = "id";
      e.fields.push_back(str("name").req().filter().sort());
      e.fields.push_back(ref("organization_type_id", "organization_types").filter());
      named_ref(e, "organization_type_id", "organization_types", "organization_type_name", true);
      e.fields.push_back(ref("organization_status_id", "organization_statuses").filter());
      named_ref(e, "organization_status_id", "organization_statuses", "organization_status_name", true);
      e.fields.push_back(str("short_name").sort());
      e.fields.push_back(ref("parent_id", "organizations").filter());
      named_ref(e, "parent_id", "organizations", "parent_name");
      e.fields.push_back(text("description"));
      e.fields.push_back(text("quick_notes"));
      e.fields.push_back(text("alert"));
      e.fields.push_back(boolean("primary").col("is_primary").filter());
      // An organization has no phone or address of its own; a PSA that requires them of a new
      // company (Autotask's phone) gets its primary location's (the first marked primary).
      e.joins.push_back({"primary_location",
                         "LEFT JOIN locations primary_location ON primary_location.id = (SELECT MIN(pl.id) FROM "
                         "locations pl WHERE pl.organization_id = b.id AND pl.is_primary = 1)"});
      for (const char* part : {"phone", "address_1", "city", "postal_code"})
        e.fields.push_back(derived(std::string("primary_location_") + part, FieldType::String,
                                   std::string("primary_location.") + part, {"primary_location"})
                               .keep_internal());
      psa_fields(e);
      stamps(e);
    }
    {
      auto& e = add(std::make_unique<EntitySchema>());
      e.type = "locations";
      e.table = "locations";
      e.link_entity = "location";
      e.parent_field = "organization_id";
      e.parent_type = "organizations";
      e.bulk = true;
      e.fields.push_back(ref("organization_id", "organizations").req().filter());
      named_ref(e, "organization_id", "organizations", "organization_name");
      e.fields.push_back(str("name").req().filter().sort());
      e.fields.push_back(boolean("primary").col("is_primary").sort());
      e.fields.push_back(str("address_1"));
      e.fields.push_back(str("address_2"));
      e.fields.push_back(str("city").filter());
      e.fields.push_back(str("postal_code", 32));
      e.fields.push_back(ref("region_id", "regions").filter());
      named_ref(e, "region_id", "regions", "region_name");
      e.fields.push_back(ref("country_id", "countries").filter());
      named_ref(e, "country_id", "countries", "country_name");
      e.fields.push_back(make("phone", FieldType::Phone).max(64));
      e.fields.push_back(make("fax", FieldType::Phone).max(64));
      e.fields.push_back(text("notes"));
      e.fields.push_back(boolean("restricted"));
      psa_fields(e);
      stamps(e);
    }
    static EntitySchema email_rows;
    email_rows.type = "contact_emails";
    email_rows.table = "contact_emails";
    email_rows.fields = {make("value", FieldType::Email).req().max(255), str("label_name", 64),
                         boolean("primary").col("is_primary")};
    finish(email_rows);
    static EntitySchema phone_rows;
    phone_rows.type = "contact_phones";
    phone_rows.table = "contact_phones";
    phone_rows.fields = {make("value", FieldType::Phone).req().max(64), make("extension", FieldType::Phone).max(16),
                         str("label_name", 64), str("label_type", 8).one_of({"phone", "fax"}, "phone"),
                         boolean("primary").col("is_primary")};
    finish(phone_rows);
    {
      auto& e = add(std::make_unique<EntitySchema>());
      e.type = "contacts";
      e.table = "contacts";
      e.link_entity = "contact";
      e.parent_field = "organization_id";
      e.parent_type = "organizations";
      e.bulk = true;
      e.fields.push_back(ref("organization_id", "organizations").req().filter());
      named_ref(e, "organization_id", "organizations", "organization_name");
      e.fields.push_back(str("first_name").filter().sort());
      e.fields.push_back(str("last_name").filter().sort());
      e.fields.push_back(derived("name", FieldType::String,
                                 "TRIM(COALESCE(b.first_name, '') || ' ' || COALESCE(b.last_name, ''))"));
      e.fields.push_back(str("title").filter());
      e.fields.push_back(ref("contact_type_id", "contact_types").filter());
      named_ref(e, "contact_type_id", "contact_types", "contact_type_name");
      e.fields.push_back(ref("location_id", "locations").in_scope("organization_id"));
      named_ref(e, "location_id", "locations", "location_name");
      e.fields.push_back(boolean("important").filter());
      e.fields.push_back(text("notes"));
      e.fields.push_back(boolean("restricted"));
      Field emails = make("contact_emails", FieldType::Rows);
      emails.storage = Storage::Children;
      emails.column.clear();
      emails.child = &email_rows;
      emails.child_fk = "contact_id";
      e.fields.push_back(emails);
      Field phones = make("contact_phones", FieldType::Rows);
      phones.storage = Storage::Children;
      phones.column.clear();
      phones.child = &phone_rows;
      phones.child_fk = "contact_id";
      e.fields.push_back(phones);
      Field primary_email = derived(
          "primary_email", FieldType::String,
          "(SELECT pe.value FROM contact_emails pe WHERE pe.contact_id = b.id ORDER BY pe.is_primary DESC, pe.id LIMIT 1)");
      primary_email.filterable = true;
      primary_email.hide();
      e.fields.push_back(primary_email);
      // What Active Directory knows and no contact field holds (reference-behaviour §4); written
      // only by directory imports.
      e.fields.push_back(str("ad_account_status", 32).filter().ro());
      e.fields.push_back(make("ad_last_logon_at", FieldType::DateTime).ro());
      e.fields.push_back(make("ad_password_last_set_at", FieldType::DateTime).ro());
      e.fields.push_back(make("ad_password_expires_at", FieldType::DateTime).ro());
      psa_fields(e);
      // The PSA badge (reference §1.8, §4): the contact exists in the PSA, linked and not orphaned.
      e.fields.push_back(derived("psa_badge", FieldType::Boolean,
                                 "CASE WHEN psa.id IS NOT NULL AND psa.state <> 'orphaned' THEN 1 ELSE 0 END", {"psa"}));
      stamps(e);
    }
    {
      auto& e = add(std::make_unique<EntitySchema>());
      e.type = "configurations";
      e.table = "configurations";
      e.link_entity = "configuration";
      e.parent_field = "organization_id";
      e.parent_type = "organizations";
      e.bulk = true;
      e.fields.push_back(ref("organization_id", "organizations").req().filter());
      named_ref(e, "organization_id", "organizations", "organization_name");
      e.fields.push_back(str("name").req().filter().sort());
      e.fields.push_back(ref("configuration_type_id", "configuration_types").req().filter());
      named_ref(e, "configuration_type_id", "configuration_types", "configuration_type_name");
      e.fields.push_back(ref("configuration_status_id", "configuration_statuses").filter());
      named_ref(e, "configuration_status_id", "configuration_statuses", "configuration_status_name");
      e.fields.push_back(ref("manufacturer_id", "manufacturers"));
      named_ref(e, "manufacturer_id", "manufacturers", "manufacturer_name");
      e.fields.push_back(ref("model_id", "models"));
      named_ref(e, "model_id", "models", "model_name");
      e.fields.push_back(ref("operating_system_id", "operating_systems"));
      named_ref(e, "operating_system_id", "operating_systems", "operating_system_name");
      e.fields.push_back(text("operating_system_notes"));
      e.fields.push_back(ref("location_id", "locations").in_scope("organization_id"));
      named_ref(e, "location_id", "locations", "location_name");
      e.fields.push_back(ref("contact_id", "contacts").in_scope("organization_id").filter());
      named_ref(e, "contact_id", "contacts", "contact_name");
      // contact names are first + last; the join above gives no "name" column, so override it
      e.fields.back().expr = "TRIM(COALESCE(j_contact_id.first_name, '') || ' ' || COALESCE(j_contact_id.last_name, ''))";
      e.fields.push_back(str("hostname").filter());
      e.fields.push_back(make("primary_ip", FieldType::Ip).max(45));
      e.fields.push_back(make("mac_address", FieldType::Mac).max(17).filter());
      e.fields.push_back(make("default_gateway", FieldType::Ip).max(45));
      e.fields.push_back(str("serial_number").filter().sort());
      e.fields.push_back(str("asset_tag").filter().sort());
      e.fields.push_back(str("position").col("physical_position"));
      e.fields.push_back(str("installed_by"));
      e.fields.push_back(str("purchased_by"));
      e.fields.push_back(date("installed_at"));
      e.fields.push_back(date("purchased_at"));
      e.fields.push_back(date("warranty_expires_at").sort());
      e.fields.push_back(text("notes"));
      e.fields.push_back(boolean("archived").filter());
      e.fields.push_back(boolean("restricted"));
      e.fields.push_back(date("mitp_device_expiration_date"));
      e.fields.push_back(date("mitp_end_of_life_date"));
      psa_fields(e);
      stamps(e);
    }
    {
      auto& e = add(std::make_unique<EntitySchema>());
      e.type = "configuration_interfaces";
      e.table = "configuration_interfaces";
      e.link_entity = "configuration_interface";
      e.parent_field = "configuration_id";
      e.parent_type = "configurations";
      e.bulk = true;
      e.fields.push_back(ref("configuration_id", "configurations").req().filter());
      e.fields.push_back(str("name").filter().sort());
      e.fields.push_back(make("ip_address", FieldType::Ip).max(45));
      e.fields.push_back(make("mac_address", FieldType::Mac).max(17));
      e.fields.push_back(boolean("primary").col("is_primary"));
      e.fields.push_back(text("notes"));
      stamps(e);
    }
    {
      // The sync log (D22) and the audit trail (D21), read through the same list machinery.
      auto& e = add(std::make_unique<EntitySchema>());
      e.type = "sync_runs";
      e.table = "sync_runs";
      e.link_entity = "sync_run";
      e.read_only = true;
      e.default_sort = "id";
      e.fields.push_back(ref("integration_id", "integrations").filter());
      e.fields.push_back(str("mode").filter());
      e.fields.push_back(str("state").filter());
      Field started = make("started_at", FieldType::DateTime);
      started.filterable = started.sortable = true;
      e.fields.push_back(started);
      e.fields.push_back(make("finished_at", FieldType::DateTime));
      // A running push-all's last sign of life: older than sync/push_all.h's staleness, it is not live.
      e.fields.push_back(make("heartbeat_at", FieldType::DateTime));
      e.fields.push_back(str("checkpoint"));
      e.fields.push_back(text("counts"));
      e.fields.push_back(text("error"));
    }
    {
      // Every directory import, done or failed, with its counts or its error (issue 7, D22's log
      // for directory sources): written by sync/ad_import only.
      auto& e = add(std::make_unique<EntitySchema>());
      e.type = "directory_import_runs";
      e.table = "directory_import_runs";
      e.link_entity = "directory_import_run";
      e.read_only = true;
      e.default_sort = "id";
      e.fields.push_back(ref("directory_source_id", "directory_sources").filter());
      e.fields.push_back(ref("organization_id", "organizations").filter());
      e.fields.push_back(str("started_by").filter());
      e.fields.push_back(str("state").filter());
      Field started = make("started_at", FieldType::DateTime);
      started.filterable = started.sortable = true;
      e.fields.push_back(started);
      e.fields.push_back(make("finished_at", FieldType::DateTime));
      e.fields.push_back(text("counts"));
      e.fields.push_back(text("error"));
    }
    {
      auto& e = add(std::make_unique<EntitySchema>());
      e.type = "audit_events";
      e.table = "audit_events";
      e.link_entity = "audit_event";
      e.read_only = true;
      Field at = make("at", FieldType::DateTime);
      at.filterable = at.sortable = true;
      e.fields.push_back(at);
      e.fields.push_back(str("actor").filter());
      e.fields.push_back(ref("run_id", "sync_runs").filter());
      e.fields.push_back(str("entity").filter());
      e.fields.push_back(make("record_id", FieldType::Integer).filter());
      e.fields.push_back(str("action").filter());
      e.fields.push_back(str("field").filter());
      e.fields.push_back(text("old_value"));
      e.fields.push_back(text("new_value"));
    }
    for (auto& e : owned) {
      finish(*e);
      all.push_back(e.get());
    }
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

}  // namespace

const Field* EntitySchema::field(std::string_view name) const {
  // Most callers (the sync's writer, per field of every record) already give snake_case: no copy then.
  if (name.find('-') == std::string_view::npos) {
    for (const auto& f : fields)
      if (f.name == name) return &f;
    return nullptr;
  }
  std::string s = snake(name);
  for (const auto& f : fields)
    if (f.name == s) return &f;
  return nullptr;
}

std::vector<const Field*> EntitySchema::columns() const {
  std::vector<const Field*> out;
  for (const auto& f : fields)
    if (f.storage == Storage::Column || f.storage == Storage::Auto) out.push_back(&f);
  return out;
}

const std::vector<const EntitySchema*>& all_entities() { return registry().all; }

const EntitySchema* find_entity(std::string_view type) {
  for (const auto* e : registry().all)
    if (e->type == type) return e;
  return nullptr;
}

const EntitySchema& entity(std::string_view type) {
  if (const auto* e = find_entity(type)) return *e;
  throw std::out_of_range("unknown entity type " + std::string(type));
}

std::string psa_integration_type(std::string_view kind) {
  if (kind == "connectwise") return "manage";
  if (kind == "bms") return "kaseya-bms";
  if (kind == "pulseway") return "pulseway-psa";
  return std::string(kind);
}

}  // namespace cairn::core
