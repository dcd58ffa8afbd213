#include "sim/tigerpaw/wire.h"

#include <cctype>

#include <nlohmann/json.hpp>

namespace cairn::sim::tigerpaw {

namespace {

using nlohmann::json;

void text(core::JsonWriter& w, std::string_view key, const std::string& v) {
  w.key(key);
  if (v.empty()) w.null();
  else w.value(v);
}

void number_or_null(core::JsonWriter& w, std::string_view key, std::int64_t v) {
  w.key(key);
  if (v == 0) w.null();
  else w.value(v);
}

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

void write_account_object(core::JsonWriter& w, const Account& a) {
  w.key("Account").begin_object();
  text(w, "Name", a.name);
  text(w, "AccountId", a.account_id);
  text(w, "Address1", a.address1);
  text(w, "Address2", a.address2);
  text(w, "City", a.city);
  text(w, "State", a.state);
  text(w, "PostalCode", a.postal_code);
  text(w, "Country", a.country);
  text(w, "AccountType", a.type);
  text(w, "Status", a.status);
  text(w, "URL1", a.url1);
  number_or_null(w, "PrimaryContactNumber", a.primary_contact);
  w.end_object();
}

void write_contact_object(core::JsonWriter& w, const Contact& c) {
  w.key("Contact").begin_object();
  w.key("AccountNumber").value(c.account);
  text(w, "Prefix", c.prefix);
  text(w, "FirstName", c.first_name);
  text(w, "MiddleInitial", c.middle_initial);
  text(w, "LastName", c.last_name);
  std::string full = c.first_name;
  if (!c.last_name.empty()) full += (full.empty() ? "" : " ") + c.last_name;
  text(w, "Name", full);
  text(w, "Title", c.title);
  text(w, "Department", c.department);
  text(w, "Address1", c.address1);
  text(w, "Address2", c.address2);
  text(w, "City", c.city);
  text(w, "State", c.state);
  text(w, "PostalCode", c.postal_code);
  text(w, "Country", c.country);
  text(w, "PersonalNotes", c.notes);
  w.key("Inactive").value(c.inactive);
  w.end_object();
}

void account_counts(core::JsonWriter& w, const Store& s, const Account& a) {
  number_or_null(w, "ParentAccountNumber", a.parent);
  auto it = s.contacts_of.find(a.number);
  w.key("NumberOfContacts").value(static_cast<std::int64_t>(it == s.contacts_of.end() ? 0 : it->second.size()));
}

const Contact* contact_of(const Store& s, std::int64_t number) {
  auto it = s.contacts.find(number);
  return it == s.contacts.end() ? nullptr : &it->second;
}

const EmailAddress* primary_email(const std::vector<EmailAddress>& emails) {
  for (const auto& e : emails)
    if (e.is_primary) return &e;
  return emails.empty() ? nullptr : &emails.front();
}

// String members: a string or null ("" clears). Anything else is refused.
std::optional<std::string> set_text(std::string& target, const json& v, std::string_view name) {
  if (v.is_null()) {
    target.clear();
    return std::nullopt;
  }
  if (!v.is_string()) return "The value of " + std::string(name) + " must be a string.";
  target = v.get<std::string>();
  return std::nullopt;
}

std::optional<std::string> set_bool(bool& target, const json& v, std::string_view name) {
  if (v.is_null()) return std::nullopt;  // bool? left null: unchanged
  if (!v.is_boolean()) return "The value of " + std::string(name) + " must be true or false.";
  target = v.get<bool>();
  return std::nullopt;
}

std::optional<std::string> set_number(std::int64_t& target, const json& v, std::string_view name) {
  if (v.is_null()) {
    target = 0;
    return std::nullopt;
  }
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0) return "The value of " + std::string(name) + " must be a number.";
  target = v.get<std::int64_t>();
  return std::nullopt;
}

}  // namespace

const json* find_member(const json& obj, std::string_view name) {
  if (!obj.is_object()) return nullptr;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (ieq(it.key(), name)) return &it.value();
  return nullptr;
}

void write_phone(core::JsonWriter& w, const PhoneNumber& p) {
  w.begin_object();
  w.key("PhoneNumberId").value(p.id);
  text(w, "Number", p.number);
  text(w, "Location", p.location);
  w.key("IsPrimary").value(p.is_primary);
  w.end_object();
}

void write_email(core::JsonWriter& w, const EmailAddress& e) {
  w.begin_object();
  w.key("EmailAddressId").value(e.id);
  text(w, "Email", e.email);
  text(w, "Description", e.description);
  w.key("IsPrimary").value(e.is_primary);
  w.end_object();
}

void write_lookup(core::JsonWriter& w, const LookupEntry& e) {
  w.begin_object();
  w.key("Id").value(e.id);
  text(w, "Value", e.value);
  w.key("IsSystemEntry").value(e.is_system_entry);
  w.key("IsSystemDefault").value(e.is_system_default);
  w.end_object();
}

void write_account_summary(core::JsonWriter& w, const Store& s, const Account& a) {
  w.begin_object();
  w.key("AccountNumber").value(a.number);
  write_account_object(w, a);
  const PhoneNumber* phone = primary_phone(a.phones);
  const PhoneNumber* fax = primary_fax(a.phones);
  text(w, "PhoneNumber", phone ? phone->number : std::string());
  text(w, "FaxNumber", fax ? fax->number : std::string());
  const Contact* primary = contact_of(s, a.primary_contact);
  std::string primary_name;
  if (primary) primary_name = primary->first_name + (primary->last_name.empty() ? "" : " " + primary->last_name);
  text(w, "PrimaryContactName", primary_name);
  account_counts(w, s, a);
  w.end_object();
}

void write_account_detail(core::JsonWriter& w, const Store& s, const Account& a) {
  w.begin_object();
  w.key("AccountNumber").value(a.number);
  write_account_object(w, a);
  w.key("PhoneNumbers").begin_array();
  for (const auto& p : a.phones) write_phone(w, p);
  w.end_array();
  account_counts(w, s, a);
  w.end_object();
}

void write_contact_summary(core::JsonWriter& w, const Store& s, const Contact& c) {
  w.begin_object();
  w.key("ContactNumber").value(c.number);
  write_contact_object(w, c);
  const PhoneNumber* phone = primary_phone(c.phones);
  const PhoneNumber* fax = primary_fax(c.phones);
  const EmailAddress* email = primary_email(c.emails);
  text(w, "PhoneNumber", phone ? phone->number : std::string());
  text(w, "EmailAddress", email ? email->email : std::string());
  text(w, "FaxNumber", fax ? fax->number : std::string());
  auto acc = s.accounts.find(c.account);
  text(w, "AccountName", acc == s.accounts.end() ? std::string() : acc->second.name);
  w.key("IsPrimaryContact").value(acc != s.accounts.end() && acc->second.primary_contact == c.number);
  w.end_object();
}

void write_contact_detail(core::JsonWriter& w, const Store& s, const Contact& c) {
  w.begin_object();
  w.key("ContactNumber").value(c.number);
  write_contact_object(w, c);
  w.key("PhoneNumbers").begin_array();
  for (const auto& p : c.phones) write_phone(w, p);
  w.end_array();
  w.key("EmailAddresses").begin_array();
  for (const auto& e : c.emails) write_email(w, e);
  w.end_array();
  auto acc = s.accounts.find(c.account);
  w.key("IsPrimaryContact").value(acc != s.accounts.end() && acc->second.primary_contact == c.number);
  w.end_object();
}

std::optional<std::string> apply_account_fields(Account& a, const json& fields, const Store& s) {
  if (!fields.is_object()) return "The account must be a JSON object.";
  struct TextField {
    const char* name;
    std::string Account::*member;
  };
  static const TextField kText[] = {{"Name", &Account::name},           {"AccountId", &Account::account_id},
                                    {"Address1", &Account::address1},   {"Address2", &Account::address2},
                                    {"City", &Account::city},           {"State", &Account::state},
                                    {"PostalCode", &Account::postal_code}, {"Country", &Account::country},
                                    {"URL1", &Account::url1}};
  for (const auto& f : kText)
    if (const json* v = find_member(fields, f.name))
      if (auto err = set_text(a.*(f.member), *v, f.name)) return err;
  if (const json* v = find_member(fields, "AccountType")) {
    std::string value;
    if (auto err = set_text(value, *v, "AccountType")) return err;
    const LookupEntry* e = Store::find_value(s.account_types, value);
    if (!e) return "'" + value + "' is not a valid AccountType.";
    a.type = e->value;
  }
  if (const json* v = find_member(fields, "Status")) {
    std::string value;
    if (auto err = set_text(value, *v, "Status")) return err;
    const LookupEntry* e = Store::find_value(s.account_statuses, value);
    if (!e) return "'" + value + "' is not a valid account Status.";
    a.status = e->value;
  }
  return std::nullopt;
}

std::optional<std::string> apply_contact_fields(Contact& c, const json& fields, const Store& s,
                                                bool allow_account_change) {
  if (!fields.is_object()) return "The contact must be a JSON object.";
  struct TextField {
    const char* name;
    std::string Contact::*member;
  };
  static const TextField kText[] = {
      {"Prefix", &Contact::prefix},        {"FirstName", &Contact::first_name}, {"MiddleInitial", &Contact::middle_initial},
      {"LastName", &Contact::last_name},   {"Title", &Contact::title},          {"Department", &Contact::department},
      {"Address1", &Contact::address1},    {"Address2", &Contact::address2},    {"City", &Contact::city},
      {"State", &Contact::state},          {"PostalCode", &Contact::postal_code}, {"Country", &Contact::country},
      {"PersonalNotes", &Contact::notes}};
  for (const auto& f : kText)
    if (const json* v = find_member(fields, f.name))
      if (auto err = set_text(c.*(f.member), *v, f.name)) return err;
  if (const json* v = find_member(fields, "Inactive"))
    if (auto err = set_bool(c.inactive, *v, "Inactive")) return err;
  if (allow_account_change)
    if (const json* v = find_member(fields, "AccountNumber")) {
      std::int64_t n = 0;
      if (auto err = set_number(n, *v, "AccountNumber")) return err;
      if (!s.accounts.count(n)) return "Account " + std::to_string(n) + " does not exist.";
      c.account = n;
    }
  return std::nullopt;
}

std::optional<std::string> check_new_account(const Account& a) {
  if (a.name.empty()) return std::string("Account.Name is required.");
  if (a.type.empty()) return std::string("Account.AccountType is required.");
  if (a.status.empty()) return std::string("Account.Status is required.");
  return std::nullopt;
}

std::optional<std::string> check_new_contact(const Contact& c, const Store& s) {
  if (c.account == 0 || !s.accounts.count(c.account)) return std::string("Contact.AccountNumber must name an existing account.");
  if (c.first_name.empty()) return std::string("Contact.FirstName is required.");
  if (c.last_name.empty()) return std::string("Contact.LastName is required.");
  return std::nullopt;
}

std::optional<std::string> apply_phone_fields(PhoneNumber& p, const json& fields) {
  if (!fields.is_object()) return "The phone number must be a JSON object.";
  if (const json* v = find_member(fields, "Number"))
    if (auto err = set_text(p.number, *v, "Number")) return err;
  if (const json* v = find_member(fields, "Location"))
    if (auto err = set_text(p.location, *v, "Location")) return err;
  if (const json* v = find_member(fields, "IsPrimary"))
    if (auto err = set_bool(p.is_primary, *v, "IsPrimary")) return err;
  if (p.number.empty()) return std::string("Number is required.");
  return std::nullopt;
}

std::optional<std::string> apply_email_fields(EmailAddress& e, const json& fields) {
  if (!fields.is_object()) return "The e-mail address must be a JSON object.";
  if (const json* v = find_member(fields, "Email"))
    if (auto err = set_text(e.email, *v, "Email")) return err;
  if (const json* v = find_member(fields, "Description"))
    if (auto err = set_text(e.description, *v, "Description")) return err;
  if (const json* v = find_member(fields, "IsPrimary"))
    if (auto err = set_bool(e.is_primary, *v, "IsPrimary")) return err;
  if (e.email.empty() || e.email.find('@') == std::string::npos) return std::string("Email must be an e-mail address.");
  return std::nullopt;
}

}  // namespace cairn::sim::tigerpaw
