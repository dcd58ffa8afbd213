#pragma once
// reference-behaviour.md §2.3 (Kaseya BMS ⇄ Cairn) as data, read from the V2 API's camelCase
// records (psa-apis.md §3.4). BMS puts the names of its lookups (account type, asset category,
// state, manufacturer, e-mail and phone types) on the record itself, so nothing is resolved by
// id; a contact's e-mails and phones are reshaped into "~communicationItems" before the codec
// reads them, and a location arrives inside its account with the address in addresses[0].
#include <nlohmann/json.hpp>

#include <string>

#include "psa/mapping.h"

namespace cairn::psa::bms {

const Mapping& mapping();

// Where each entity is listed under /v2 ("crm/accounts/summary", …); locations are listed inside
// their accounts, so Location lists accounts too.
const char* list_path(core::SyncEntity e);
// Whether the list takes Filter.ModifiedOnFrom (D28: accounts and contacts; not assets, whose
// list row has no modified time, nor locations, listed inside every account).
bool pulls_incrementally(core::SyncEntity e);

// A contact's emails[] and phones[] as the communication items Read::Emails/Read::Phones read,
// under "~communicationItems" (phone type "Fax" becomes a fax row). Pure.
void add_communication_items(nlohmann::json& contact);

}  // namespace cairn::psa::bms
