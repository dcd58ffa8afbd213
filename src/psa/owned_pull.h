#pragma once
// A connector that hands its records over instead of lending them: the sync engine queues a
// whole entity's records on another thread, and copying each one was a good part of a sync's
// allocations. Sources without it are copied from pull().
#include <functional>
#include <string>
#include <vector>

#include "core/psa_record.h"

namespace cairn::psa {

class OwnedPull {
 public:
  virtual ~OwnedPull() = default;
  // The records Source::pull gives, in the same order, each moved to `take`.
  virtual void pull_owned(core::SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
                          const std::function<void(core::PsaRecord&&)>& take) = 0;
};

}  // namespace cairn::psa
