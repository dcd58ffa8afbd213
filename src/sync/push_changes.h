#pragma once
// The outbox payload (D14): what a push writes, in Cairn's terms. Lookups travel by name as they
// were at the save; references by local id, turned into PSA ids when the push is sent (the
// record they point at may be created in the PSA meanwhile).
//   {"fields":  {"name": "srv-01", "installed_at": "2026-01-31"},
//    "lookups": {"configuration_status_id": "Active"},
//    "refs":    {"location_id": {"entity": "location", "local_id": 12}},   (local_id null clears it)
//    "channels": {"contact_emails": {"value": "a@b.example", "type": "Email"},
//                 "contact_phones": {"value": "+15550100", "extension": "12", "type": "Direct"}}}
// A contact's channels are its primary email and primary phone, with the PSA email and phone
// types of the integration's two-way settings (R16); without a type, that channel is not pushed.
#include <optional>
#include <string>
#include <vector>

#include "core/psa_record.h"
#include "core/schema.h"
#include "core/sync_settings.h"
#include "store/records.h"

namespace soci {
class session;
}

namespace cairn::sync {

// True when a value counts as present for D16's required fields: not null, not "", not an empty list.
bool has_value(const core::Value& v);

// The sync entity a documentation entity ("configuration") stands for, if any.
std::optional<core::SyncEntity> sync_entity_of(const std::string& link_entity);

// R16: the PSA types a contact's primary email and phone are pushed with ("": not pushed).
struct ChannelTypes {
  std::string email, phone;
};

// The channel types an integration's two-way settings name.
ChannelTypes channel_types(const core::SyncSettings& settings);

// A contact's primary email or phone (the row marked primary, else the first; faxes are no
// phone), as a push carries it.
struct Channel {
  std::string value, extension, label;
  friend bool operator==(const Channel&, const Channel&) = default;
};
std::optional<Channel> primary_email(const core::EntitySchema& contacts, const store::Record& r);
std::optional<Channel> primary_phone(const core::EntitySchema& contacts, const store::Record& r);

// The payload of `fields` of a stored record (every attribute the PSA of `kind` maps two-way,
// when `fields` is empty), or "" when none of them is pushed. Null values are left out of a
// full payload (a create) and kept in a partial one (an edit that clears a field).
std::string payload_of(soci::session& s, const std::string& kind, core::SyncEntity e, const core::EntitySchema& schema,
                       const store::Record& record, const std::vector<const core::Field*>& fields,
                       const ChannelTypes& types = {});

// The change set of a payload for integration `integration_id`: references become PSA ids
// through its links. Throws psa::PushError (422) naming a reference that is not in the PSA.
core::PsaRecord changes_of(soci::session& s, std::int64_t integration_id, core::SyncEntity e, const std::string& payload);

// The PSA id of a local record linked to the integration, if it is linked and syncing.
std::optional<std::string> linked_psa_id(soci::session& s, std::int64_t integration_id, const std::string& entity,
                                         std::int64_t local_id);

}  // namespace cairn::sync
