#pragma once
// One record as a PSA gave it, in Cairn's terms: the connector's codec fills it from the wire
// through the PSA's mapping table, and sync/reconcile compares it with the store. No I/O.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/value.h"

namespace cairn::core {

// The Cairn entity a PSA record becomes.
enum class SyncEntity { Organization, Location, Contact, Configuration };
const char* entity_type(SyncEntity e);   // "organizations", ... (JSON:API type)
const char* link_entity(SyncEntity e);   // "organization", ... (psa_links.entity)

// A reference to another record of the same PSA, by its PSA id ("company 250").
struct PsaRef {
  SyncEntity entity = SyncEntity::Organization;
  std::string psa_id;
  friend bool operator==(const PsaRef&, const PsaRef&) = default;
};

struct PsaRecord {
  SyncEntity entity = SyncEntity::Organization;
  std::string psa_id;
  // Cairn attribute (snake_case) → value, for plain fields: name, serial_number, city, ...
  std::map<std::string, Value> fields;
  // Cairn reference attribute → the PSA record it points at: organization_id → company 250,
  // parent_id → company 7, location_id → site 3, contact_id → contact 9.
  std::map<std::string, PsaRef> refs;
  // Cairn reference attribute → the name of a lookup: organization_type_id → "Customer",
  // configuration_status_id → "Active", manufacturer_id → "Dell".
  std::map<std::string, std::string> lookups;
  // Every type the PSA gives the record, in the PSA's order (ConnectWise companies have several, D25).
  std::vector<std::string> type_names;
  std::optional<std::string> status_name;
  // Fields the codec refused to carry over, with why (R10: "macAddress is not a single MAC").
  std::map<std::string, std::string> dropped;
  // False when the PSA marks the record inactive in a way that keeps it from syncing (Tigerpaw contacts).
  bool active = true;
  // The PSA marks the record deleted but still returns it (ConnectWise companies): to Cairn it is gone.
  bool deleted = false;
  std::string updated_at;  // the PSA's last-updated stamp, RFC 3339
};

}  // namespace cairn::core
