#pragma once
// ConnectWise Manage records as the emulator keeps them: compact structs holding ids for
// references (names are looked up when a record is written, so a renamed type shows its new
// name everywhere, as in ConnectWise). Field names follow the wire (psa-apis.md §1.8).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/sim_time.h"

namespace cairn::sim::connectwise {

using Id = std::int64_t;  // 0: no reference / not set

// `_info`: who and when. Seeded records are entered and updated by the seed member.
struct Info {
  Timestamp entered = 0;
  Timestamp updated = 0;
  std::string entered_by;
  std::string updated_by;
};

struct Country {
  Id id = 0;
  std::string identifier;
  std::string name;
  Info info;
};

struct State {
  Id id = 0;
  std::string identifier;
  std::string name;
  Id country_id = 0;
  Info info;
};

struct Member {
  Id id = 0;
  std::string identifier;
  std::string first_name;
  std::string last_name;
  bool inactive_flag = false;
  Info info;
};

struct CommunicationType {
  Id id = 0;
  std::string description;
  bool phone_flag = false;
  bool fax_flag = false;
  bool email_flag = false;
  bool default_flag = false;
  Info info;
};

struct CompanyType {
  Id id = 0;
  std::string name;
  bool default_flag = false;
  bool vendor_flag = false;
  Info info;
};

struct CompanyStatus {
  Id id = 0;
  std::string name;
  bool default_flag = false;
  bool inactive_flag = false;
  Info info;
};

struct ConfigurationType {
  Id id = 0;
  std::string name;
  bool inactive_flag = false;
  bool system_flag = false;
  Info info;
};

struct ConfigurationStatus {
  Id id = 0;
  std::string description;  // ConnectWise keeps the name here; references still say "name"
  bool closed_flag = false;
  bool default_flag = false;
  Info info;
};

struct ContactType {
  Id id = 0;
  std::string description;
  bool default_flag = false;
  Info info;
};

struct Manufacturer {
  Id id = 0;
  std::string name;
  bool inactive_flag = false;
  Info info;
};

struct Company {
  Id id = 0;
  std::string identifier;
  std::string name;
  Id status_id = 0;
  std::vector<Id> type_ids;
  std::string address_line1;
  std::string address_line2;
  std::string city;
  std::string state;  // a string on companies (sites carry a stateReference object)
  std::string zip;
  Id country_id = 0;
  std::string phone_number;
  std::string fax_number;
  std::string website;
  Id parent_id = 0;
  Id site_id = 0;
  Id default_contact_id = 0;
  bool lead_flag = false;
  bool deleted_flag = false;
  Timestamp date_deleted = 0;
  std::string deleted_by;
  Info info;
};

struct Site {
  Id id = 0;
  Id company_id = 0;
  std::string name;
  std::string address_line1;
  std::string address_line2;
  std::string city;
  Id state_id = 0;
  std::string zip;
  Id country_id = 0;
  std::string phone_number;
  std::string phone_number_ext;
  std::string fax_number;
  bool primary_address_flag = false;
  bool inactive_flag = false;
  Info info;
};

struct CommunicationItem {
  Id id = 0;
  Id type_id = 0;
  std::string value;
  std::string extension;
  bool default_flag = false;
};

struct Contact {
  Id id = 0;
  std::string first_name;
  std::string last_name;
  Id company_id = 0;
  Id site_id = 0;
  std::string title;
  bool inactive_flag = false;
  std::vector<Id> type_ids;
  std::vector<CommunicationItem> communication_items;
  Info info;
};

struct Configuration {
  Id id = 0;
  std::string name;
  Id type_id = 0;
  Id status_id = 0;
  Id company_id = 0;
  Id contact_id = 0;
  Id site_id = 0;
  Id manufacturer_id = 0;
  Id installed_by_id = 0;  // a Member
  std::string serial_number;
  std::string model_number;
  std::string tag_number;
  std::string mac_address;
  std::string ip_address;
  std::string default_gateway;
  std::string os_type;
  std::string os_info;
  std::string notes;
  Timestamp purchase_date = 0;
  Timestamp installation_date = 0;
  Timestamp warranty_expiration_date = 0;
  bool active_flag = true;
  bool bill_flag = false;
  Info info;
};

struct Callback {
  Id id = 0;
  std::string description;
  std::string url;
  Id object_id = 0;
  std::string type;
  std::string level;
  Id member_id = 0;
  std::string payload_version;
  bool inactive_flag = false;
  bool is_soap_callback_flag = false;
  bool is_self_suppressed_flag = false;
  std::string connectwise_id;
  std::string signing_key;  // served at the key_url, never in the callback entry
  Info info;
};

}  // namespace cairn::sim::connectwise
