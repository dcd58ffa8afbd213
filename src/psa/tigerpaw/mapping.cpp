#include "psa/tigerpaw/mapping.h"

#include <cctype>
#include <map>
#include <vector>

namespace cairn::psa::tigerpaw {

using core::SyncEntity;
using nlohmann::json;

namespace {

std::string text(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  return {};
}

bool flag(const json& obj, const char* key) {
  if (!obj.is_object()) return false;
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Tigerpaw's Location is "type or extension" (psa-apis.md §5.3): "Ext. 12", "x12" or "12" name an
// extension, on the main line.
bool names_an_extension(const std::string& location) {
  const std::string l = lower(trim(location));
  if (l.empty()) return false;
  return l.rfind("ext", 0) == 0 || (l.find_first_not_of("0123456789x#. ") == std::string::npos &&
                                    l.find_first_of("0123456789") != std::string::npos);
}

constexpr const char* kFax = "fax";
constexpr const char* kExtensionLine = "Main";

}  // namespace

const Mapping& mapping() {
  using D = Direction;
  using R = Read;
  const auto O = SyncEntity::Organization, L = SyncEntity::Location, C = SyncEntity::Contact;
  // One way only (R12: no two-way for Tigerpaw): every row is PSA → Cairn, so each mapped field is
  // read-only in Cairn (D15).
  const D In = D::PsaToCairn;
  static const Mapping m = {
      // Organization ← Account (summary)
      {O, "name", "Account/Name", In},
      {O, "short_name", "Account/AccountId", In},
      {O, "organization_type_id", "Account/AccountType", In, R::Types},
      {O, "organization_status_id", "Account/Status", In, R::Status},
      // Location ← an address (derived_location()); the account's is the primary one
      {L, "name", "Address1|Address2|City|PostalCode|Country", In},  // Address 1, else the first filled part
      {L, "address_1", "Address1", In},
      {L, "address_2", "Address2", In},
      {L, "city", "City", In},
      {L, "region_id", "State", In, R::Lookup},
      {L, "postal_code", "PostalCode", In},
      {L, "country_id", "Country", In, R::Lookup},
      {L, "phone", "PhoneNumber", In},
      {L, "fax", "FaxNumber", In},
      {L, "primary", "IsPrimary", In, R::Bool},
      {L, "organization_id", "AccountNumber", In, R::Ref, O},
      // Contact ← Contact (details); an inactive contact does not sync (D6)
      {C, "first_name", "Contact/FirstName", In},
      {C, "last_name", "Contact/LastName", In},
      {C, "title", "Contact/Title", In},
      {C, "notes", "Contact/PersonalNotes", In},
      {C, "contact_emails", "~communicationItems", In, R::Emails},
      {C, "contact_phones", "~communicationItems", In, R::Phones},
      {C, "active", "Contact/Inactive", In, R::Inactive},
      {C, "organization_id", "Contact/AccountNumber", In, R::Ref, O},
  };
  return m;
}

std::string without_extension(const std::string& number) {
  const std::string l = lower(number);
  // The first marker after which only an extension's digits follow, with a number before it.
  for (std::size_t at = 1; at < l.size(); ++at) {
    std::size_t i = at;
    if (l.compare(at, 3, "ext") == 0) i += 3;
    else if (l[at] == 'x' || l[at] == '#') i += 1;
    else continue;
    while (i < l.size() && std::isalpha(static_cast<unsigned char>(l[i])) && l[at] == 'e') ++i;  // "extension"
    while (i < l.size() && (l[i] == '.' || l[i] == ':' || l[i] == ' ')) ++i;
    if (i == l.size() || l.find_first_not_of("0123456789", i) != std::string::npos) continue;
    std::string head = trim(number.substr(0, at));
    while (!head.empty() && (head.back() == ',' || head.back() == '-' || head.back() == ';')) head = trim(head.substr(0, head.size() - 1));
    if (head.find_first_of("0123456789") != std::string::npos) return head;
  }
  return trim(number);
}

void add_communication_items(json& contact) {
  json items = json::array();
  if (auto phones = contact.find("PhoneNumbers"); phones != contact.end() && phones->is_array()) {
    // One entry per phone type: the primary of the type, else its first (§2.5).
    std::map<std::string, const json*> by_type;
    std::vector<std::string> order;
    for (const auto& p : *phones) {
      if (without_extension(text(p, "Number")).empty()) continue;
      const std::string location = trim(text(p, "Location"));
      const std::string type = names_an_extension(location) ? kExtensionLine : location;
      auto [it, fresh] = by_type.emplace(lower(type), &p);
      if (fresh) order.push_back(lower(type));
      else if (!flag(*it->second, "IsPrimary") && flag(p, "IsPrimary")) it->second = &p;
    }
    for (const auto& key : order) {
      const json& p = *by_type[key];
      const std::string location = trim(text(p, "Location"));
      const std::string label = names_an_extension(location) ? kExtensionLine : location;
      items.push_back({{"communicationType", lower(label) == kFax ? "Fax" : "Phone"},
                       {"type", {{"name", label}}},
                       {"value", without_extension(text(p, "Number"))},
                       {"defaultFlag", flag(p, "IsPrimary")}});
    }
  }
  if (auto emails = contact.find("EmailAddresses"); emails != contact.end() && emails->is_array())
    for (const auto& e : *emails) {
      if (trim(text(e, "Email")).empty()) continue;
      items.push_back({{"communicationType", "Email"},
                       {"type", {{"name", trim(text(e, "Description"))}}},
                       {"value", trim(text(e, "Email"))},
                       {"defaultFlag", flag(e, "IsPrimary")}});
    }
  contact["~communicationItems"] = std::move(items);
}

std::string address_key(const json& address) {
  std::string key;
  for (const char* part : {"Address1", "Address2", "City", "State", "Country"}) {
    const std::string v = trim(text(address, part));
    key += std::to_string(v.size()) + ":" + v;
  }
  return key;
}

std::optional<json> derived_location(const json& address, const json& phone, const json& fax, const json& account_number,
                                     bool primary) {
  json out = json::object();
  bool blank = true;
  for (const char* part : {"Address1", "Address2", "City", "State", "PostalCode", "Country"}) {
    const std::string v = trim(text(address, part));
    out[part] = v.empty() ? json() : json(v);
    blank = blank && v.empty();
  }
  if (blank) return std::nullopt;
  const std::string number = phone.is_string() ? without_extension(phone.get<std::string>()) : "";
  const std::string fax_number = fax.is_string() ? without_extension(fax.get<std::string>()) : "";
  out["PhoneNumber"] = number.empty() ? json() : json(number);
  out["FaxNumber"] = fax_number.empty() ? json() : json(fax_number);
  out["IsPrimary"] = primary;
  out["AccountNumber"] = account_number;
  return out;
}

std::string account_location_id(const std::string& account_number) { return "account:" + account_number; }
std::string contact_location_id(const std::string& contact_number) { return "contact:" + contact_number; }

}  // namespace cairn::psa::tigerpaw
