#pragma once
// V2's PATCH body: a JSON-Patch array [{"op","path","value"}] (psa-apis.md §3.2), applied to the
// record's wire view. Paths name fields in any case ("/StatusId" or "/stateId") and may go into
// arrays ("/emails/0/emailAddress", "/phones/-"). Supported ops: add, replace, remove (B17).
#include <nlohmann/json.hpp>

#include <string>

namespace cairn::sim::bms {

// Applies ops to doc in place; answers "" or the message of a 400 (doc is then unspecified).
std::string apply_json_patch(nlohmann::json& doc, const nlohmann::json& ops);

}  // namespace cairn::sim::bms
