#pragma once
// Two-way on the Kaseya V2 platform (Kaseya BMS, Pulseway PSA) as plain functions over values:
// a change set, already encoded through the mapping's two-way rows (psa/push_codec.h), becomes
// the bodies V2 and V1 take (psa-apis.md §3.3-3.4). Names Cairn keeps (account type, category,
// state, manufacturer, country, email and phone types) become the platform's ids through
// `IdOf`, which the connector answers from the picklists it reads once. Pure.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/psa_record.h"
#include "core/value.h"

namespace cairn::psa::bms {

// The id of `name` in a picklist (kAccountTypes, or a system/lookup table name), or nullopt when
// the platform has no such name.
using IdOf = std::function<std::optional<std::int64_t>(const std::string& table, const std::string& name)>;

inline constexpr const char* kAccountTypes = "accounttypes";  // system/accounttypes/lookup
// system/lookup/{table} names: undocumented (psa-apis.md §3.3), the emulator's B12.
inline constexpr const char* kCategoriesTable = "AssetCategories";
inline constexpr const char* kStatesTable = "AssetStates";
inline constexpr const char* kManufacturersTable = "Manufacturers";
inline constexpr const char* kCountriesTable = "Countries";
inline constexpr const char* kEmailTypesTable = "EmailTypes";
inline constexpr const char* kPhoneTypesTable = "PhoneTypes";
inline constexpr const char* kBusinessTypesTable = "BusinessTypes";
inline constexpr const char* kEmployeesTable = "Employees";

// Encoded members (the mapping's read paths, lookups by name) → V2 members: a name member
// becomes its id member ("accountType": "Customer" → "accountTypeId": 1; null stays null).
// Throws PushError (422) naming a name the platform does not have; `product` says whose.
nlohmann::json v2_members(core::SyncEntity e, const nlohmann::json& encoded, const IdOf& id_of, const std::string& product);

// Members as a JSON Patch of "replace" operations on "/member" paths (V2 PATCH, §3.2).
nlohmann::json patch_operations(const nlohmann::json& members);

// A location's V2 members (addresses[0] holding the address) over `current` (V1's flat
// PascalCase body, or {} for a create): what V1's POST and PUT crm/locations take.
nlohmann::json v1_location(const nlohmann::json& members, nlohmann::json current = nlohmann::json::object());
// A location as V2 shows it (the account's summary or crm/accounts/{a}/locations/{id}) as V1's body.
nlohmann::json v1_location_of_view(const nlohmann::json& view);

// The type a contact's e-mail or phone row is written with (R16): the row's own label when the
// platform has a type of that name, else the integration's chosen type, else none (the row is
// not sent). A fax row is the "Fax" phone type.
struct ContactTypes {
  std::string email_type, phone_type;  // the integration's two-way settings
};
std::optional<std::int64_t> email_type_of(const core::Row& row, const ContactTypes& chosen, const IdOf& id_of);
std::optional<std::int64_t> phone_type_of(const core::Row& row, const ContactTypes& chosen, const IdOf& id_of);

// A contact create's "emails" and "phones" arrays from Cairn's rows (rows without a type left out).
nlohmann::json create_emails(const core::Value& rows, const ContactTypes& chosen, const IdOf& id_of);
nlohmann::json create_phones(const core::Value& rows, const ContactTypes& chosen, const IdOf& id_of);

// The items of PATCH crm/contacts/{id}/emails (or /phones) that turn the contact's current
// list (as V2 shows it) into Cairn's rows: Operation 0 add, 1 update (type or default changed),
// 2 delete; matched by the address or number. Empty when nothing differs.
nlohmann::json email_operations(const nlohmann::json& current, const core::Value& rows, const ContactTypes& chosen,
                                const IdOf& id_of);
nlohmann::json phone_operations(const nlohmann::json& current, const core::Value& rows, const ContactTypes& chosen,
                                const IdOf& id_of);

}  // namespace cairn::psa::bms
