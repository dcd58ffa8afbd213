#pragma once
// The other direction of json_codec.h: a change set in Cairn's terms (a PsaRecord holding only
// what changes) becomes the PSA's members through the mapping's two-way rows. Pure.
//   "name"                 → {"name": "srv-01"}
//   "status/name"          → {"status": {"name": "Active"}}    (the connector finds the id)
//   "company/id"           → {"company": {"id": 250}}
//   "types[]/name"         → {"types": [{"name": "Customer"}]}
//   "~productID/manufacturerName" → {"~productID": {"manufacturerName": "Dell"}} (the connector resolves "~")
//   contact_emails rows, Read::Emails → {"communicationItems": [{"type": {"name": "Email"}, "value": …,
//                                         "defaultFlag": true, "communicationType": "Email"}]}
//   contact_phones rows, Read::PhoneSlot → {"phone": "+1555…", "extension": "12"} (the slot labelled
//                                         with the row's type, else the first phone slot)
// Lookup, type and status names travel in `lookups`, references as PSA ids in `refs`.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/psa_record.h"
#include "psa/mapping.h"

namespace cairn::psa {

struct Encoded {
  nlohmann::json members = nlohmann::json::object();
  // Attributes of the change set no two-way row carries (one-way fields).
  std::vector<std::string> skipped;
};

Encoded encode(const Mapping& m, const core::PsaRecord& changes);

// "2026-01-31" → "2026-01-31T00:00:00Z": PSAs take date-times where Cairn keeps dates.
std::string date_time_of(const std::string& date);

// Each top-level member as a JSON Patch "replace" operation (ConnectWise's PATCH body).
nlohmann::json replace_operations(const nlohmann::json& members);

}  // namespace cairn::psa
