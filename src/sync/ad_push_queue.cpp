#include "sync/ad_push_queue.h"

#include <soci/soci.h>

#include <optional>

#include "core/ad_push.h"
#include "core/psa_capabilities.h"
#include "core/schema.h"
#include "core/sync_settings.h"
#include "store/outbox.h"
#include "sync/create_rules.h"
#include "sync/push_changes.h"
#include "sync/push_queue.h"

namespace cairn::sync {
namespace {

struct OrgIntegration {
  std::int64_t id = 0;
  std::string kind;
  core::SyncSettings settings;
};

// The integration the contact's organization is linked to, whatever its two-way setting.
std::optional<OrgIntegration> integration_of(soci::session& s, std::int64_t organization_id) {
  OrgIntegration out;
  long long id = 0;
  std::string settings;
  soci::indicator ind = soci::i_null;
  s << "SELECT i.id, i.kind, i.settings FROM psa_links l JOIN integrations i ON i.id = l.integration_id "
       "WHERE l.entity = 'organization' AND l.local_id = :o AND l.state = 'syncing'",
      soci::use(organization_id), soci::into(id, ind), soci::into(out.kind), soci::into(settings);
  if (ind != soci::i_ok) return std::nullopt;
  out.id = id;
  try {
    out.settings = core::SyncSettings::from_json(settings);
  } catch (const std::invalid_argument&) {
    return std::nullopt;  // unreadable settings push nothing
  }
  return out;
}

std::optional<std::string> link_state(soci::session& s, std::int64_t contact_id) {
  std::string state;
  soci::indicator ind = soci::i_null;
  s << "SELECT state FROM psa_links WHERE entity = 'contact' AND local_id = :l", soci::use(contact_id),
      soci::into(state, ind);
  if (ind != soci::i_ok) return std::nullopt;
  return state;
}

// The reason of the record's newest outbox row, when that row is a not-pushed one.
std::optional<std::string> standing_not_pushed(soci::session& s, std::int64_t contact_id) {
  std::string state, reason;
  soci::indicator state_ind = soci::i_null, reason_ind = soci::i_null;
  s << "SELECT state, last_error FROM outbox WHERE entity = 'contact' AND local_id = :l ORDER BY id DESC LIMIT 1",
      soci::use(contact_id), soci::into(state, state_ind), soci::into(reason, reason_ind);
  if (state_ind != soci::i_ok || state != "not-pushed") return std::nullopt;
  return reason_ind == soci::i_ok ? reason : std::string();
}

}  // namespace

AdPushOutcome queue_ad_contact_push(soci::session& s, store::Dialect d, std::int64_t contact_id,
                                    const store::Record* before) {
  const core::EntitySchema& schema = core::entity("contacts");
  store::Records records(s, d);
  auto r = records.get(schema, contact_id);
  if (!r) return {};
  const core::Value& org = (*r)[*schema.field("organization_id")];
  if (org.is_null()) return {};
  auto integration = integration_of(s, org.as_int());
  if (!integration) return {};  // no PSA to speak of

  const auto* caps = core::capabilities_for(integration->kind);
  core::PushCandidate candidate;
  candidate.psa_kind = integration->kind;
  candidate.psa_two_way_capable = caps && caps->two_way;
  candidate.settings = &integration->settings;
  if (auto e = primary_email(schema, *r)) candidate.primary_email_label = e->label.empty() ? "(no label)" : e->label;
  if (auto p = primary_phone(schema, *r)) candidate.primary_phone_label = p->label.empty() ? "(no label)" : p->label;
  candidate.has_location = !(*r)[*schema.field("location_id")].is_null();
  core::PushDecision decision = core::ad_contact_push_decision(candidate);
  std::optional<std::string> why_not;
  const std::string psa = caps ? std::string(caps->display_name) : integration->kind;
  if (!decision.qualifies) {
    why_not = "not pushed to " + psa + ": " + decision.reason;
  } else {
    // Qualifying labels are not all a PSA asks of a new contact (D16's table: a first name, ...).
    CreateCandidate c;
    c.entity = core::SyncEntity::Contact;
    c.has = [&](const std::string& attribute) {
      const core::Field* f = schema.field(attribute);
      return f && has_value((*r)[*f]);
    };
    why_not = why_not_created(integration->kind, c, integration->settings);
  }

  if (auto state = link_state(s, contact_id)) {
    // In the PSA already: only a qualifying contact's pushed fields travel (D14's diff).
    if (*state != "syncing" || why_not || !before) return {AdPushOutcome::Kind::Unchanged, ""};
    return {queue_update(s, d, schema, *before, *r) ? AdPushOutcome::Kind::Update : AdPushOutcome::Kind::Unchanged, ""};
  }
  store::Outbox outbox(s, d);
  if (why_not) {
    // The same reason as last time is no news: a re-import writes no row.
    if (standing_not_pushed(s, contact_id) == why_not) return {AdPushOutcome::Kind::Unchanged, *why_not};
    outbox.not_pushed(integration->id, "contact", contact_id, *why_not);
    return {AdPushOutcome::Kind::NotPushed, *why_not};
  }
  if (outbox.create_unfinished("contact", contact_id)) return {AdPushOutcome::Kind::Unchanged, ""};
  outbox.enqueue(integration->id, "contact", contact_id, "create", "{}");
  return {AdPushOutcome::Kind::Create, ""};
}

}  // namespace cairn::sync
