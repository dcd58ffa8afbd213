#include "store/documents.h"

#include <soci/soci.h>

#include "core/time.h"
#include "core/validation.h"

namespace cairn::store {
namespace {

using core::Field;

bool is_unique_violation(const std::string& what) {
  return what.find("UNIQUE constraint failed") != std::string::npos || what.find("duplicate key value") != std::string::npos;
}
bool is_fk_violation(const std::string& what) {
  return what.find("FOREIGN KEY constraint failed") != std::string::npos ||
         what.find("violates foreign key constraint") != std::string::npos;
}

std::optional<std::string> audit_text(const core::Value& v) {
  if (v.is_null()) return std::nullopt;
  return v.to_text();
}

}  // namespace

std::optional<core::Error> Documents::validate(const core::EntitySchema& e, const Changes& c, const Record* existing,
                                               const std::string& pointer) {
  auto given = [&](const Field& f) -> const core::Value* {
    for (const auto& [cf, v] : c)
      if (cf == &f) return &v;
    return nullptr;
  };
  for (const auto& f : e.fields) {
    if (!f.required || f.storage != core::Storage::Column) continue;
    const core::Value* v = given(f);
    if (!existing && (!v || v->is_null())) return core::invalid(f.api_name + " can't be blank", pointer + "/" + f.api_name);
  }
  for (const auto& [f, v] : c) {
    std::string where = pointer + "/" + f->api_name;
    if (auto problem = core::check_value(*f, v)) return core::invalid(f->api_name + " " + *problem, where);
    if (f->storage == core::Storage::Children && v.is_rows()) {
      const auto& rows = v.as_rows();
      for (size_t r = 0; r < rows.size(); ++r)
        for (const auto& cf : f->child->fields) {
          const core::Value& cell = cf.index < rows[r].size() ? rows[r][cf.index] : core::Value();
          if (auto problem = core::check_value(cf, cell))
            return core::invalid(f->api_name + "[" + std::to_string(r) + "]." + cf.api_name + " " + *problem,
                                 where + "/" + std::to_string(r) + "/" + cf.api_name);
        }
    }
    if (f->type == core::FieldType::Reference && v.is_int()) {
      const auto& target = core::entity(f->references);
      if (!records_.exists(target, v.as_int()))
        return core::invalid(f->api_name + " " + std::to_string(v.as_int()) + " does not exist", where);
      if (existing && f->references == e.type && v.as_int() == existing->id)
        return core::invalid(f->api_name + " cannot point at the record itself", where);
      if (!f->scope.empty()) {
        const Field* scope_field = e.field(f->scope);
        const core::Value* mine = given(*scope_field);
        core::Value scope_value = mine ? *mine : existing ? (*existing)[*scope_field] : core::Value();
        const Field* target_scope = target.field(f->scope);
        auto theirs = records_.column_text(target, v.as_int(), *target_scope);
        if (!scope_value.is_null() && theirs != to_text(scope_value))
          return core::invalid(f->api_name + " " + std::to_string(v.as_int()) + " belongs to another " +
                                   scope_field->api_name.substr(0, scope_field->api_name.size() - 3),
                               where);
      }
    }
  }
  return std::nullopt;
}

core::Result<std::int64_t> Documents::create(const core::EntitySchema& e, const Changes& given, const Actor& who,
                                             const std::string& pointer) {
  Changes c;
  for (const auto& [f, v] : given) c.emplace_back(f, core::normalize_value(*f, v));
  for (auto& [f, v] : c)
    if (f->storage == core::Storage::Children && v.is_rows()) {
      core::Rows rows = v.as_rows();
      for (auto& row : rows) {
        row.resize(f->child->fields.size());
        for (const auto& cf : f->child->fields) row[cf.index] = core::normalize_value(cf, row[cf.index]);
      }
      v = core::Value(std::move(rows));
    }
  if (auto err = validate(e, c, nullptr, pointer)) return *err;
  std::string now = core::now_rfc3339();
  std::int64_t id = 0;
  try {
    id = records_.insert(e, c, now);
  } catch (const soci::soci_error& ex) {
    if (is_unique_violation(ex.what())) return core::invalid("name has already been taken", pointer + "/name");
    throw;
  }
  std::vector<AuditEvent> events;
  for (const auto& [f, v] : c)
    if (!v.is_null()) events.push_back({e.link_entity, id, "create", f->name, std::nullopt, audit_text(v)});
  if (events.empty()) events.push_back({e.link_entity, id, "create", std::nullopt, std::nullopt, std::nullopt});
  write_audit(s_, who, now, events);
  return id;
}

core::Result<Record> Documents::update(const core::EntitySchema& e, std::int64_t id, const Changes& given,
                                       const Actor& who, const std::string& pointer) {
  auto existing = records_.get(e, id);
  if (!existing) return core::not_found(e.link_entity + " " + std::to_string(id) + " does not exist");
  Changes c;
  for (const auto& [f, v] : given) {
    core::Value nv = core::normalize_value(*f, v);
    if (f->storage == core::Storage::Children && nv.is_rows()) {
      core::Rows rows = nv.as_rows();
      for (auto& row : rows) {
        row.resize(f->child->fields.size());
        for (const auto& cf : f->child->fields) row[cf.index] = core::normalize_value(cf, row[cf.index]);
      }
      nv = core::Value(std::move(rows));
    }
    c.emplace_back(f, std::move(nv));
  }
  if (auto err = validate(e, c, &*existing, pointer)) return *err;
  // Only what differs is written and audited: a PATCH that changes nothing writes nothing.
  Changes diff;
  std::vector<AuditEvent> events;
  for (const auto& [f, v] : c) {
    const core::Value& old = (*existing)[*f];
    bool same = old == v || (old.is_rows() && v.is_rows() && old.as_rows() == v.as_rows()) ||
                (f->storage == core::Storage::Children && old.is_rows() && old.as_rows().empty() && v.is_null());
    if (same) continue;
    diff.emplace_back(f, v);
    events.push_back({e.link_entity, id, "update", f->name, audit_text(old), audit_text(v)});
  }
  if (diff.empty()) return std::move(*existing);
  std::string now = core::now_rfc3339();
  try {
    records_.update(e, id, diff, now);
  } catch (const soci::soci_error& ex) {
    if (is_unique_violation(ex.what())) return core::invalid("name has already been taken", pointer + "/name");
    throw;
  }
  write_audit(s_, who, now, events);
  return std::move(*records_.get(e, id));
}

core::Result<bool> Documents::remove(const core::EntitySchema& e, std::int64_t id, const Actor& who) {
  if (!records_.exists(e, id)) return core::not_found(e.link_entity + " " + std::to_string(id) + " does not exist");
  if (e.has_psa_link) {
    std::string state;
    soci::indicator ind = soci::i_null;
    s_ << "SELECT state FROM psa_links WHERE entity = :e AND local_id = :id", soci::use(e.link_entity),
        soci::use(id), soci::into(state, ind);
    if (s_.got_data() && ind == soci::i_ok && state == "syncing")
      return core::conflict(e.link_entity + " " + std::to_string(id) +
                            " is synced with a PSA; disable its sync before deleting it");
  }
  // Its records go with it (ON DELETE CASCADE), so D18 holds for each of them, and their links
  // go too: a link left naming no record would keep a later sync from ever restoring it.
  std::vector<const core::EntitySchema*> children;
  for (const auto* child : core::all_entities())
    if (child->has_psa_link && child->parent_type == e.type) children.push_back(child);
  auto held_by = [&](const core::EntitySchema& child) {
    return "SELECT id FROM " + child.table + " WHERE " + child.parent_field + " = :id";
  };
  std::string syncing;
  for (const auto* child : children) {
    long long n = 0;
    s_ << "SELECT COUNT(*) FROM psa_links WHERE entity = :e AND state = 'syncing' AND local_id IN (" + held_by(*child) + ")",
        soci::use(child->link_entity), soci::use(id), soci::into(n);
    if (n > 0) syncing += (syncing.empty() ? "" : ", ") + child->type + ": " + std::to_string(n);
  }
  if (!syncing.empty())
    return core::conflict(e.link_entity + " " + std::to_string(id) + " holds records that sync with a PSA (" + syncing +
                          "); disable their sync, or disable this " + e.link_entity +
                          "'s sync and run a full sync (which orphans them), before deleting it");
  std::vector<AuditEvent> gone;
  for (const auto* child : children) {
    std::vector<long long> ids(1000);
    soci::statement st = (s_.prepare << held_by(*child), soci::use(id), soci::into(ids));
    st.execute();
    while (st.fetch()) {
      for (auto child_id : ids) gone.push_back({child->link_entity, child_id, "delete", std::nullopt, std::nullopt, std::nullopt});
      ids.resize(1000);
    }
    s_ << "DELETE FROM psa_links WHERE entity = :e AND local_id IN (" + held_by(*child) + ")", soci::use(child->link_entity),
        soci::use(id);
  }
  try {
    records_.remove(e, id);
  } catch (const soci::soci_error& ex) {
    if (is_fk_violation(ex.what()))
      return core::conflict(e.link_entity + " " + std::to_string(id) + " is still in use by other records");
    throw;
  }
  if (e.has_psa_link) s_ << "DELETE FROM psa_links WHERE entity = :e AND local_id = :id", soci::use(e.link_entity), soci::use(id);
  gone.push_back({e.link_entity, id, "delete", std::nullopt, std::nullopt, std::nullopt});
  write_audit(s_, who, core::now_rfc3339(), gone);
  return true;
}

}  // namespace cairn::store
