#pragma once
// Links made and undone by a person (D7): `cairn link` ties a Cairn record to a PSA record by
// hand (an ambiguous match, a near miss); `cairn unlink` stops a record syncing and keeps it so,
// so the next sync neither re-links it by matching nor creates a duplicate of it.
#include <cstdint>
#include <string>

#include "core/error.h"
#include "store/audit.h"
#include "store/database.h"

namespace soci {
class session;
}

namespace cairn::store {

struct ManualLink {
  std::int64_t integration_id = 0;
  std::string entity;  // singular: "configuration"
  std::int64_t local_id = 0;
  std::string psa_id;
  std::string state;  // syncing, disabled
};

class PsaLinks {
 public:
  PsaLinks(soci::session& s, Dialect d) : s_(s), d_(d) {}

  // Links local record `local_id` of `entity` ("configuration", or the plural "configurations")
  // to PSA record `psa_id` of an integration. A record that was unlinked by hand syncs again.
  // Conflict when either side is already linked to something else.
  core::Result<ManualLink> link(std::int64_t integration_id, const std::string& entity, std::int64_t local_id,
                                const std::string& psa_id, const Actor& actor);
  // Stops the record syncing (state "disabled", kept across syncs); NotFound when it has no link.
  core::Result<ManualLink> unlink(const std::string& entity, std::int64_t local_id, const Actor& actor);

 private:
  soci::session& s_;
  Dialect d_;
};

}  // namespace cairn::store
