#pragma once
// What a connector gives the sync engine: a PSA's records of one entity, in Cairn's terms.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/psa_record.h"

namespace cairn::psa {

class Source {
 public:
  virtual ~Source() = default;
  // Calls `each` for every record of the entity; `since` (RFC 3339, "" for all) asks only for
  // records changed after it. `syncing_orgs` are the PSA ids of companies that sync, for PSAs
  // that list some entities per company.
  virtual void pull(core::SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
                    const std::function<void(const core::PsaRecord&)>& each) = 0;
  // One record by its PSA id (a sync-now of one record, a webhook), or nullopt when the PSA no
  // longer has it. `company` is the PSA id of its company, for PSAs that keep locations under it.
  virtual std::optional<core::PsaRecord> fetch(core::SyncEntity e, const std::string& psa_id, const std::string& company) = 0;
  // The PSA's own names, for the settings: "org_types", "org_statuses", "config_types", "config_statuses".
  virtual std::map<std::string, std::vector<std::string>> catalogue() = 0;
  // List and look-up requests made so far.
  virtual std::int64_t requests() const = 0;
};

}  // namespace cairn::psa
