#pragma once
// ConnectWise's PATCH body: a JSON array of {"op": "replace"|"add"|"remove", "path", "value"}
// (psa-apis.md §1.3). Paths come bare ("name", "status/id") or slash-prefixed with array
// indexes ("/communicationItems/1/value"); field names match ignoring case.
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace cairn::sim::connectwise {

// Applies ops to doc in order. Returns "" or what is wrong (the op's index and why); doc may
// then be partly changed, so callers apply to a copy.
std::string apply_patch(nlohmann::json& doc, const nlohmann::json& ops);

}  // namespace cairn::sim::connectwise
