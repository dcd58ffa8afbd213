#pragma once
// D16, R14, R15: whether a record saved in Cairn is created in its PSA, or why it stays local.
// Pure: the caller gathers the facts from the store.
#include <functional>
#include <optional>
#include <string>

#include "core/psa_record.h"
#include "core/sync_settings.h"

namespace cairn::sync {

struct CreateCandidate {
  core::SyncEntity entity = core::SyncEntity::Organization;
  std::optional<std::string> type_name;    // organizations and configurations
  std::optional<std::string> status_name;
  std::function<bool(const std::string& attribute)> has;  // the attribute holds a value (rows: at least one)
  bool bulk = false;  // arrived with others in one request: an import (R15)
};

// Why the candidate is not created in a PSA of `kind` with these settings, or nullopt when it is.
std::optional<std::string> why_not_created(const std::string& kind, const CreateCandidate& c,
                                           const core::SyncSettings& settings);

// The part of that which holds for a link to a record the PSA has too: two-way off, a bulk
// import, a type or status not enabled. The PSA's required fields (the table) are a create's.
std::optional<std::string> why_not_pushed(const std::string& kind, const CreateCandidate& c,
                                          const core::SyncSettings& settings);

}  // namespace cairn::sync
