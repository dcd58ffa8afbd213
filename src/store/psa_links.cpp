#include "store/psa_links.h"

#include <soci/soci.h>

#include "core/schema.h"
#include "core/time.h"

namespace cairn::store {

namespace {

// "configuration" or "configurations" → the schema of a record that can carry a PSA link.
const core::EntitySchema* linkable(const std::string& entity) {
  for (const auto* e : core::all_entities())
    if (e->has_psa_link && (e->link_entity == entity || e->type == entity)) return e;
  return nullptr;
}

std::string linkable_names() {
  std::string out;
  for (const auto* e : core::all_entities())
    if (e->has_psa_link) out += (out.empty() ? "" : ", ") + e->link_entity;
  return out;
}

}  // namespace

core::Result<ManualLink> PsaLinks::link(std::int64_t integration_id, const std::string& entity, std::int64_t local_id,
                                        const std::string& psa_id, const Actor& actor) {
  const core::EntitySchema* e = linkable(entity);
  if (!e) return core::invalid("records that link to a PSA are " + linkable_names() + ", not \"" + entity + "\"", "entity");
  if (psa_id.empty()) return core::invalid("the PSA id can't be blank", "psa_id");
  long long n = 0;
  s_ << "SELECT COUNT(*) FROM integrations WHERE id = :i", soci::use(integration_id), soci::into(n);
  if (n == 0) return core::not_found("integration " + std::to_string(integration_id) + " does not exist");
  s_ << "SELECT COUNT(*) FROM " + e->table + " WHERE id = :i", soci::use(local_id), soci::into(n);
  if (n == 0) return core::not_found(e->link_entity + " " + std::to_string(local_id) + " does not exist");

  // The PSA record may already stand for another Cairn record.
  std::string other_local;
  soci::indicator ind = soci::i_null;
  s_ << "SELECT CAST(local_id AS TEXT) FROM psa_links WHERE integration_id = :i AND entity = :e AND psa_id = :p",
      soci::use(integration_id), soci::use(e->link_entity), soci::use(psa_id), soci::into(other_local, ind);
  if (ind == soci::i_ok && other_local != std::to_string(local_id))
    return core::conflict("PSA " + e->link_entity + " " + psa_id + " is already linked to " + e->link_entity + " " +
                          other_local + "; unlink that one first");

  std::string have_psa, have_state;
  long long have_integration = 0;
  soci::indicator have = soci::i_null;
  s_ << "SELECT psa_id, state, integration_id FROM psa_links WHERE entity = :e AND local_id = :l",
      soci::use(e->link_entity), soci::use(local_id), soci::into(have_psa, have), soci::into(have_state),
      soci::into(have_integration);
  const std::string now = core::now_rfc3339();
  if (have == soci::i_ok) {
    if (have_psa != psa_id || have_integration != integration_id)
      return core::conflict(e->link_entity + " " + std::to_string(local_id) + " is already linked to PSA " +
                            e->link_entity + " " + have_psa + " of integration " + std::to_string(have_integration) +
                            "; unlink it first");
    // The same pair again: it syncs (again), and no match can take it away (manual).
    s_ << "UPDATE psa_links SET state = 'syncing', error = NULL, manual = 1, fingerprint = NULL, updated_at = :t "
          "WHERE entity = :e AND local_id = :l",
        soci::use(now), soci::use(e->link_entity), soci::use(local_id);
  } else {
    // No fingerprint: the next sync reads the PSA record in full and the PSA wins (R3).
    s_ << "INSERT INTO psa_links (integration_id, entity, local_id, psa_id, state, manual, created_at, updated_at) "
          "VALUES (:i, :e, :l, :p, 'syncing', 1, :t, :t)",
        soci::use(integration_id, "i"), soci::use(e->link_entity, "e"), soci::use(local_id, "l"), soci::use(psa_id, "p"),
        soci::use(now, "t");
  }
  write_audit(s_, actor, now, {{e->link_entity, local_id, "link", std::nullopt, std::nullopt, psa_id}});
  return ManualLink{integration_id, e->link_entity, local_id, psa_id, "syncing"};
}

core::Result<ManualLink> PsaLinks::unlink(const std::string& entity, std::int64_t local_id, const Actor& actor) {
  const core::EntitySchema* e = linkable(entity);
  if (!e) return core::invalid("records that link to a PSA are " + linkable_names() + ", not \"" + entity + "\"", "entity");
  std::string psa_id, state;
  long long integration_id = 0;
  soci::indicator ind = soci::i_null;
  s_ << "SELECT psa_id, state, integration_id FROM psa_links WHERE entity = :e AND local_id = :l",
      soci::use(e->link_entity), soci::use(local_id), soci::into(psa_id, ind), soci::into(state),
      soci::into(integration_id);
  if (ind != soci::i_ok) return core::not_found(e->link_entity + " " + std::to_string(local_id) + " is not linked to a PSA");
  const std::string now = core::now_rfc3339();
  // The row stays, disabled: it remembers the person's choice, so no sync re-links or re-creates it.
  s_ << "UPDATE psa_links SET state = 'disabled', manual = 1, error = NULL, updated_at = :t WHERE entity = :e AND local_id = :l",
      soci::use(now), soci::use(e->link_entity), soci::use(local_id);
  if (state != "disabled")
    write_audit(s_, actor, now, {{e->link_entity, local_id, "unlink", std::nullopt, psa_id, std::nullopt}});
  return ManualLink{integration_id, e->link_entity, local_id, psa_id, "disabled"};
}

}  // namespace cairn::store
