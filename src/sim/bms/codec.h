#pragma once
// Kaseya V2 records to and from their wire JSON (psa-apis.md §3.4, camelCase out, any case in).
// Writers stream straight into the page (the list hot path); readers validate a request body
// against the store and answer the record or the message of a 400 (B16, B18).
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <variant>

#include "core/json_writer.h"
#include "sim/bms/records.h"

namespace cairn::sim::bms {

void write_lookup(core::JsonWriter& w, const LookupItem& item, bool account_type);
void write_location(core::JsonWriter& w, const Store& s, const Location& l);
void write_location_lookup(core::JsonWriter& w, const Location& l);
// crm/accounts/summary row and record: the account with its locations embedded.
void write_account(core::JsonWriter& w, const Store& s, const Account& a);
void write_account_lookup(core::JsonWriter& w, const Account& a);
void write_contact(core::JsonWriter& w, const Store& s, const Contact& c);
// servicedesk/hardwareasset/{id}: the full record.
void write_asset(core::JsonWriter& w, const Store& s, const Asset& a);
// servicedesk/hardwareasset/searchselect row: the slim list row (no MAC, model, dates, §3.4).
void write_asset_row(core::JsonWriter& w, const Store& s, const Asset& a);

// Any writer's output as a JSON value (for PATCH and admin merges over the wire view).
template <typename F>
nlohmann::json as_json(F&& write) {
  std::string out;
  core::JsonWriter w(out);
  write(w);
  return nlohmann::json::parse(out);
}

// Body -> record. `base` supplies what a body cannot change (id, account for contacts' PUT,
// created time, locations of an account); every writable field absent from the body is reset
// (create and PUT replace; PATCH reads the patched full view). Answers the message of a 400.
std::variant<Account, std::string> read_account(const nlohmann::json& body, const Account& base, const Store& s);
// An account create's "locations" array as new locations (ids not yet assigned).
std::variant<std::vector<Location>, std::string> read_new_locations(const nlohmann::json& body, const Store& s);
// poc_field: how this route spells the point-of-contact flag ("isPoc"; PUT: "poc", §3.4).
std::variant<Contact, std::string> read_contact(const nlohmann::json& body, const Contact& base, const Store& s,
                                                std::string_view poc_field);
std::variant<Asset, std::string> read_asset(const nlohmann::json& body, const Asset& base, const Store& s);
// A location from V1's flat PascalCase body or V2's view (addresses[0] holds the address).
std::variant<Location, std::string> read_location(const nlohmann::json& body, const Location& base, const Store& s);

}  // namespace cairn::sim::bms
