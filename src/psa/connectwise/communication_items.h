#pragma once
// A contact's emails and phones are ConnectWise communication items (psa-apis.md §1.8). A push
// changes the contact's default item of a kind in place, and adds one where it has none, so the
// contact's other items (a second phone, a fax) are left as they are. Pure.
#include <nlohmann/json.hpp>

namespace cairn::psa::connectwise {

// JSON Patch operations that turn the contact's `current` items into holding each of `wanted`
// (items as push_codec writes them: communicationType, value, extension, defaultFlag, type).
// Only what differs is sent: "/communicationItems/2/value", or an "add" at "/communicationItems/-".
nlohmann::json communication_operations(const nlohmann::json& current, const nlohmann::json& wanted);

}  // namespace cairn::psa::connectwise
