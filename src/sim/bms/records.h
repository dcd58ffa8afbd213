#pragma once
// The Kaseya V2 platform's records as compact structs (psa-apis.md §3.4): a scale world of a
// million assets must fit in memory and a page of them must be written without building a DOM.
// Ids are the platform's own (the world's plus the profile's id offset); 0 means "none".
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/sim_time.h"

namespace cairn::sim::bms {

using Id = std::int64_t;

struct LookupItem {  // a row of a picklist: system/lookup/{table}, system/accounttypes/lookup
  Id id = 0;
  std::string name;
  bool is_active = true;
  bool is_default = false;
  bool is_client = false;  // account types only
  bool is_vendor = false;
};

struct Location {
  Id id = 0;
  Id account_id = 0;
  std::string name;
  bool is_main = false;
  bool is_active = true;
  // The one address (B14).
  std::string address1, address2, city, state, zip;
  Id country_id = 0;
  std::string phone, fax, email;
  Timestamp created = 0, modified = 0;
};

struct Account {
  Id id = 0;
  std::string code;  // accountCode: Cairn's short name
  std::string name;
  Id parent_id = 0;
  Id type_id = 0;
  Id business_type_id = 0;
  Id manager_id = 0;
  bool is_active = true;
  std::string description, website;
  Timestamp created = 0, modified = 0;
  std::vector<Id> location_ids;  // in creation order; the account's locations live in Store::locations
};

struct ContactEmail {
  Id id = 0;
  std::string address;
  Id type_id = 0;
  bool is_default = false;
};

struct ContactPhone {
  Id id = 0;
  std::string number;
  Id type_id = 0;
  bool is_default = false;
};

struct Contact {
  Id id = 0;
  Id account_id = 0;
  Id location_id = 0;
  std::string first_name, last_name, job_title;
  bool is_poc = false;
  bool is_active = true;
  std::vector<ContactEmail> emails;
  std::vector<ContactPhone> phones;
  Timestamp created = 0, modified = 0;
};

struct Asset {
  Id id = 0;
  std::string name;
  Id account_id = 0, location_id = 0, contact_id = 0;
  Id category_id = 0, state_id = 0, manufacturer_id = 0;
  std::string model_number, serial_number, asset_tag, description;
  bool is_active = true;
  std::string ip_address, default_gateway, mac_address, os_type, os_info, location_info;
  Timestamp warranty_expires = 0, acquired = 0;  // 0: not set
  Timestamp created = 0, modified = 0;
};

struct Store {
  std::map<Id, Account> accounts;
  std::map<Id, Location> locations;
  std::map<Id, Contact> contacts;
  std::map<Id, Asset> assets;
  std::vector<LookupItem> account_types;
  // Picklists by table name (assumed::k*Table).
  std::map<std::string, std::vector<LookupItem>> lookups;
  Id next_account = 1, next_location = 1, next_contact = 1, next_asset = 1, next_item = 1;
  std::uint64_t version = 0;  // bumped by every change: list caches compare it
};

}  // namespace cairn::sim::bms
