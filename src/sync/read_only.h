#pragma once
// D15: which attributes of a synced record a person may not change in Cairn. With two-way off,
// every mapped attribute belongs to the PSA (it would be overwritten by the next pull); with
// two-way on, only the one-way ones do (ConnectWise site phone and fax). Cairn-only attributes
// are always editable. Pure.
#include <optional>
#include <string>

#include "core/psa_record.h"

namespace cairn::sync {

// Why `attribute` of a record linked to a PSA of `kind` is read-only, or nullopt when it may change.
std::optional<std::string> read_only_reason(const std::string& kind, core::SyncEntity e, const std::string& attribute,
                                            bool two_way);

}  // namespace cairn::sync
