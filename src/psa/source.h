#pragma once
// What a connector gives the sync engine: a PSA's records of one entity, in Cairn's terms.
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/psa_record.h"

namespace cairn::psa {

// A push the PSA did not take (D14): `status` is the HTTP status (0 when the PSA could not be
// reached), the message is the PSA's own where it gave one.
struct PushError : std::runtime_error {
  long status;
  PushError(long s, const std::string& what) : std::runtime_error(what), status(s) {}
  // Worth trying again later: unreachable, throttled, or the PSA's own failure.
  bool transient() const { return status == 0 || status == 408 || status == 429 || status >= 500; }
};

// Runs a connector's write, turning its own ApiError (any type with a `status`) into a PushError.
template <typename ApiError, typename F>
auto pushing(F&& write) {
  try {
    return write();
  } catch (const ApiError& e) {
    throw PushError(e.status, e.what());
  }
}

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
  // Two-way (D14): writes `changes` (only the attributes to change, in Cairn's terms, references
  // as PSA ids) to PSA record changes.psa_id. `company` as for fetch. Returns the record as the
  // PSA now holds it (for the link's fingerprint: no echo, R18). Throws PushError.
  virtual core::PsaRecord update(const core::PsaRecord& changes, const std::string& company);
  // Two-way (D16): creates the record in the PSA and returns it as the PSA holds it, with its
  // PSA id. `owner`: who the PSA makes owner of a new company, where it needs one (Autotask's
  // default account manager: a resource id or name). Throws PushError.
  virtual core::PsaRecord create(const core::PsaRecord& record, const std::string& company, const std::string& owner);
  // D19 for long runs of writes (push-all): the requests this connector may still make before
  // the PSA's budget renews, or nullopt when the connector keeps no budget of its own.
  virtual std::optional<long> budget_left() { return std::nullopt; }
  // The budget's window has moved on (the caller waited): read what is left afresh.
  virtual void renew_budget() {}
  // List and look-up requests made so far.
  virtual std::int64_t requests() const = 0;
};

}  // namespace cairn::psa
