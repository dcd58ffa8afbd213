#pragma once
// Tigerpaw's records as the emulator keeps them: accounts and contacts with their phone numbers
// and e-mail addresses, and the master tables Cairn reads (account types and statuses, phone
// locations). Wire shapes are in wire.h.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/sim_time.h"

namespace cairn::sim::tigerpaw {

struct PhoneNumber {
  std::int64_t id = 0;
  std::string number;
  std::string location;  // a phone location ("Main", "Fax", …) or "Ext. {n}" (assumption P12)
  bool is_primary = false;
  bool is_fax() const;
};

struct EmailAddress {
  std::int64_t id = 0;
  std::string email;
  std::string description;
  bool is_primary = false;
};

struct Account {
  std::int64_t number = 0;  // AccountNumber
  std::string name;
  std::string account_id;  // the user code ("short name")
  std::string address1, address2, city, state, postal_code, country;
  std::string type;    // a value of the account types master table
  std::string status;  // a value of the account statuses master table
  std::string url1;
  std::int64_t parent = 0;           // ParentAccountNumber (0: none)
  std::int64_t primary_contact = 0;  // PrimaryContactNumber (0: none)
  std::vector<PhoneNumber> phones;
  Timestamp created = 0;
  Timestamp modified = 0;  // never on the wire (assumption P14)
};

struct Contact {
  std::int64_t number = 0;  // ContactNumber
  std::int64_t account = 0;
  std::string prefix, first_name, middle_initial, last_name, title, department;
  std::string address1, address2, city, state, postal_code, country;
  std::string notes;  // PersonalNotes
  bool inactive = false;
  std::vector<PhoneNumber> phones;
  std::vector<EmailAddress> emails;
  Timestamp created = 0;
  Timestamp modified = 0;
};

struct LookupEntry {
  std::int64_t id = 0;
  std::string value;
  bool is_system_entry = false;
  bool is_system_default = false;
};

struct Store {
  std::map<std::int64_t, Account> accounts;
  std::map<std::int64_t, Contact> contacts;
  std::map<std::int64_t, std::set<std::int64_t>> contacts_of;  // account number -> its contact numbers
  std::vector<LookupEntry> account_types, account_statuses, phone_locations;
  std::int64_t next_phone_id = 1;
  std::int64_t next_email_id = 1;

  // The value of `table` that equals `value` ignoring case, or nullptr.
  static const LookupEntry* find_value(const std::vector<LookupEntry>& table, std::string_view value);
};

// The summaries' PhoneNumber: the primary non-fax number, else the first non-fax one (P12).
const PhoneNumber* primary_phone(const std::vector<PhoneNumber>& phones);
// The summaries' FaxNumber: the primary fax, else the first fax.
const PhoneNumber* primary_fax(const std::vector<PhoneNumber>& phones);

}  // namespace cairn::sim::tigerpaw
