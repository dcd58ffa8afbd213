#include "sim/bms/codec.h"

#include <algorithm>

#include "sim/bms/assumptions.h"
#include "sim/bms/wire.h"

namespace cairn::sim::bms {

using nlohmann::json;

namespace {

const std::vector<LookupItem>& table(const Store& s, std::string_view name) {
  static const std::vector<LookupItem> none;
  auto it = s.lookups.find(std::string(name));
  return it == s.lookups.end() ? none : it->second;
}

const LookupItem* find_item(const std::vector<LookupItem>& items, Id id) {
  for (const auto& i : items)
    if (i.id == id) return &i;
  return nullptr;
}

// Optional values: unset ids, texts and times are null (B11).
void opt_id(core::JsonWriter& w, std::string_view k, Id id) {
  w.key(k);
  id ? w.value(id) : w.null();
}
void text(core::JsonWriter& w, std::string_view k, const std::string& v) {
  w.key(k);
  v.empty() ? w.null() : w.value(v);
}
void name_of(core::JsonWriter& w, std::string_view k, const std::vector<LookupItem>& items, Id id) {
  const LookupItem* i = id ? find_item(items, id) : nullptr;
  w.key(k);
  i ? w.value(i->name) : w.null();
}
void when(core::JsonWriter& w, std::string_view k, Timestamp t) {
  w.key(k);
  if (!t) {
    w.null();
    return;
  }
  std::string s;
  append_utc(s, t);
  w.value(s);
}

std::string contact_name(const Contact& c) {
  return c.last_name.empty() ? c.first_name : c.first_name + " " + c.last_name;
}

// --- reading ------------------------------------------------------------------------------------

// Reads typed fields from a body whose names may be in any case; the first problem is kept.
class Reader {
 public:
  explicit Reader(const json& body) : body_(body) {}
  const std::string& error() const { return error_; }
  bool failed() const { return !error_.empty(); }
  const json* get(std::string_view name) const { return member(body_, name); }

  void str(std::string_view name, std::string& out) {
    out.clear();
    const json* v = get(name);
    if (!v || v->is_null()) return;
    if (!v->is_string()) return fail(name, "a string");
    out = v->get<std::string>();
  }
  void id(std::string_view name, Id& out) {
    out = 0;
    const json* v = get(name);
    if (!v || v->is_null()) return;
    if (!v->is_number_integer() || v->get<std::int64_t>() < 0) return fail(name, "a record id");
    out = v->get<Id>();
  }
  void flag(std::string_view name, bool& out, bool fallback) {
    out = fallback;
    const json* v = get(name);
    if (!v || v->is_null()) return;
    if (!v->is_boolean()) return fail(name, "true or false");
    out = v->get<bool>();
  }
  void date(std::string_view name, Timestamp& out) {
    out = 0;
    const json* v = get(name);
    if (!v || v->is_null()) return;
    const auto ms = v->is_string() ? parse_utc_millis(v->get<std::string>()) : std::nullopt;
    if (!ms) return fail(name, "a date");
    out = *ms / 1000;
  }
  void required(std::string_view name, bool present) {
    if (!present && error_.empty()) error_ = "The field " + std::string(name) + " is required.";
  }
  void check(bool ok, std::string message) {
    if (!ok && error_.empty()) error_ = std::move(message);
  }

 private:
  void fail(std::string_view name, const char* what) {
    if (error_.empty()) error_ = "The value of " + std::string(name) + " is not valid: expected " + what + ".";
  }
  const json& body_;
  std::string error_;
};

std::string missing(std::string_view what, Id id) {
  return "The " + std::string(what) + " " + std::to_string(id) + " does not exist.";
}

void read_address(Reader& r, Location& l) {
  r.str("address1", l.address1);
  r.str("address2", l.address2);
  r.str("city", l.city);
  r.str("state", l.state);
  r.str("zipCode", l.zip);
  r.id("countryId", l.country_id);
  r.str("phone", l.phone);
  r.str("fax", l.fax);
  r.str("emailAddress", l.email);
}

}  // namespace

void write_lookup(core::JsonWriter& w, const LookupItem& i, bool account_type) {
  w.begin_object();
  w.key("id").value(i.id);
  w.key("name").value(i.name);
  w.key("isActive").value(i.is_active);
  if (account_type) {
    w.key("isClient").value(i.is_client);
    w.key("isVendor").value(i.is_vendor);
  } else {
    w.key("isDefault").value(i.is_default);
  }
  w.end_object();
}

void write_location(core::JsonWriter& w, const Store& s, const Location& l) {
  w.begin_object();
  w.key("id").value(l.id);
  w.key("accountId").value(l.account_id);
  w.key("locationName").value(l.name);
  w.key("isMain").value(l.is_main);
  w.key("isActive").value(l.is_active);
  w.key("addresses").begin_array().begin_object();
  text(w, "address1", l.address1);
  text(w, "address2", l.address2);
  text(w, "city", l.city);
  text(w, "state", l.state);
  text(w, "zipCode", l.zip);
  opt_id(w, "countryId", l.country_id);
  name_of(w, "country", table(s, assumed::kCountriesTable), l.country_id);
  text(w, "phone", l.phone);
  text(w, "fax", l.fax);
  text(w, "emailAddress", l.email);
  w.key("isMain").value(true);
  w.key("isBilling").value(l.is_main);
  w.end_object().end_array();
  when(w, "createdOn", l.created);
  when(w, "modifiedOn", l.modified);
  w.end_object();
}

void write_location_lookup(core::JsonWriter& w, const Location& l) {
  w.begin_object();
  w.key("id").value(l.id);
  w.key("name").value(l.name);
  w.key("isMain").value(l.is_main);
  w.key("isActive").value(l.is_active);
  w.end_object();
}

void write_account(core::JsonWriter& w, const Store& s, const Account& a) {
  w.begin_object();
  w.key("id").value(a.id);
  text(w, "accountCode", a.code);
  w.key("accountName").value(a.name);
  opt_id(w, "parentId", a.parent_id);
  {
    auto p = a.parent_id ? s.accounts.find(a.parent_id) : s.accounts.end();
    w.key("parentName");
    p != s.accounts.end() ? w.value(p->second.name) : w.null();
  }
  w.key("accountTypeId").value(a.type_id);
  name_of(w, "accountType", s.account_types, a.type_id);
  w.key("businessTypeId").value(a.business_type_id);
  opt_id(w, "accountManagerId", a.manager_id);
  w.key("isActive").value(a.is_active);
  text(w, "description", a.description);
  text(w, "website", a.website);
  when(w, "createdOn", a.created);
  when(w, "modifiedOn", a.modified);
  w.key("locations").begin_array();
  for (Id lid : a.location_ids) {
    auto it = s.locations.find(lid);
    if (it != s.locations.end()) write_location(w, s, it->second);
  }
  w.end_array();
  w.end_object();
}

void write_account_lookup(core::JsonWriter& w, const Account& a) {
  w.begin_object();
  w.key("id").value(a.id);
  w.key("name").value(a.name);
  w.key("isActive").value(a.is_active);
  w.end_object();
}

void write_contact(core::JsonWriter& w, const Store& s, const Contact& c) {
  w.begin_object();
  w.key("id").value(c.id);
  w.key("accountId").value(c.account_id);
  {
    auto a = s.accounts.find(c.account_id);
    w.key("accountName");
    a != s.accounts.end() ? w.value(a->second.name) : w.null();
  }
  opt_id(w, "locationId", c.location_id);
  {
    auto l = c.location_id ? s.locations.find(c.location_id) : s.locations.end();
    w.key("locationName");
    l != s.locations.end() ? w.value(l->second.name) : w.null();
  }
  w.key("firstName").value(c.first_name);
  text(w, "lastName", c.last_name);
  text(w, "jobTitle", c.job_title);
  w.key("isPoc").value(c.is_poc);
  w.key("isActive").value(c.is_active);
  when(w, "createdOn", c.created);
  when(w, "modifiedOn", c.modified);
  const auto& email_types = table(s, assumed::kEmailTypesTable);
  w.key("emails").begin_array();
  for (const auto& e : c.emails) {
    w.begin_object();
    w.key("id").value(e.id);
    w.key("emailAddress").value(e.address);
    opt_id(w, "emailTypeId", e.type_id);
    name_of(w, "emailType", email_types, e.type_id);
    w.key("isDefault").value(e.is_default);
    w.end_object();
  }
  w.end_array();
  const auto& phone_types = table(s, assumed::kPhoneTypesTable);
  w.key("phones").begin_array();
  for (const auto& p : c.phones) {
    w.begin_object();
    w.key("id").value(p.id);
    w.key("phone").value(p.number);
    opt_id(w, "phoneTypeId", p.type_id);
    name_of(w, "phoneType", phone_types, p.type_id);
    w.key("isDefault").value(p.is_default);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write_asset(core::JsonWriter& w, const Store& s, const Asset& a) {
  w.begin_object();
  w.key("id").value(a.id);
  w.key("name").value(a.name);
  w.key("accountId").value(a.account_id);
  {
    auto acc = s.accounts.find(a.account_id);
    w.key("accountName");
    acc != s.accounts.end() ? w.value(acc->second.name) : w.null();
  }
  opt_id(w, "accountLocationId", a.location_id);
  {
    auto l = a.location_id ? s.locations.find(a.location_id) : s.locations.end();
    w.key("accountLocation");
    l != s.locations.end() ? w.value(l->second.name) : w.null();
  }
  opt_id(w, "contactId", a.contact_id);
  {
    auto c = a.contact_id ? s.contacts.find(a.contact_id) : s.contacts.end();
    w.key("contactName");
    c != s.contacts.end() ? w.value(contact_name(c->second)) : w.null();
  }
  w.key("categoryId").value(a.category_id);
  name_of(w, "category", table(s, assumed::kCategoriesTable), a.category_id);
  opt_id(w, "stateId", a.state_id);
  name_of(w, "state", table(s, assumed::kStatesTable), a.state_id);
  opt_id(w, "manufacturerId", a.manufacturer_id);
  name_of(w, "manufacturer", table(s, assumed::kManufacturersTable), a.manufacturer_id);
  text(w, "modelNumber", a.model_number);
  text(w, "serialNumber", a.serial_number);
  text(w, "assetTag", a.asset_tag);
  text(w, "description", a.description);
  w.key("isActive").value(a.is_active);
  text(w, "ipAddress", a.ip_address);
  text(w, "defaultGateway", a.default_gateway);
  text(w, "macAddress", a.mac_address);
  text(w, "osType", a.os_type);
  text(w, "osInfo", a.os_info);
  when(w, "warrantyExpirationDate", a.warranty_expires);
  when(w, "acquisitionDate", a.acquired);
  text(w, "locationInfo", a.location_info);
  when(w, "createdOn", a.created);
  when(w, "modifiedOn", a.modified);
  w.end_object();
}

void write_asset_row(core::JsonWriter& w, const Store& s, const Asset& a) {
  w.begin_object();
  w.key("id").value(a.id);
  w.key("assetName").value(a.name);
  w.key("categoryId").value(a.category_id);
  name_of(w, "categoryName", table(s, assumed::kCategoriesTable), a.category_id);
  {
    auto l = a.location_id ? s.locations.find(a.location_id) : s.locations.end();
    w.key("locationName");
    l != s.locations.end() ? w.value(l->second.name) : w.null();
  }
  text(w, "serialNumber", a.serial_number);
  text(w, "ipAddress", a.ip_address);
  opt_id(w, "contactId", a.contact_id);
  {
    auto c = a.contact_id ? s.contacts.find(a.contact_id) : s.contacts.end();
    w.key("contactName");
    c != s.contacts.end() ? w.value(contact_name(c->second)) : w.null();
  }
  w.key("accountId").value(a.account_id);
  {
    auto acc = s.accounts.find(a.account_id);
    w.key("accountName");
    acc != s.accounts.end() ? w.value(acc->second.name) : w.null();
  }
  w.key("isActive").value(a.is_active);
  w.end_object();
}

std::variant<Account, std::string> read_account(const json& body, const Account& base, const Store& s) {
  if (!body.is_object()) return std::string("The request body must be a JSON object.");
  Account a = base;
  Reader r(body);
  r.str("accountCode", a.code);
  r.str("accountName", a.name);
  r.id("parentId", a.parent_id);
  r.id("accountTypeId", a.type_id);
  r.id("businessTypeId", a.business_type_id);
  r.id("accountManagerId", a.manager_id);
  r.flag("isActive", a.is_active, true);
  r.str("description", a.description);
  r.str("website", a.website);
  r.required("accountName", !a.name.empty());
  r.required("accountTypeId", a.type_id != 0);
  r.required("businessTypeId", a.business_type_id != 0);
  r.required("accountManagerId", a.manager_id != 0);
  r.check(!a.type_id || find_item(s.account_types, a.type_id), missing("account type", a.type_id));
  r.check(!a.business_type_id || find_item(table(s, assumed::kBusinessTypesTable), a.business_type_id),
          missing("business type", a.business_type_id));
  r.check(!a.manager_id || find_item(table(s, assumed::kEmployeesTable), a.manager_id),
          missing("account manager", a.manager_id));
  r.check(!a.parent_id || s.accounts.count(a.parent_id), missing("parent account", a.parent_id));
  r.check(!a.parent_id || a.parent_id != a.id, "An account cannot be its own parent.");
  if (r.failed()) return r.error();
  return a;
}

std::variant<Location, std::string> read_location(const json& body, const Location& base, const Store& s) {
  if (!body.is_object()) return std::string("The location must be a JSON object.");
  Location l = base;
  Reader r(body);
  r.str("locationName", l.name);
  r.flag("isMain", l.is_main, false);
  r.flag("isActive", l.is_active, true);
  const json* addresses = r.get("addresses");
  if (addresses && addresses->is_array() && !addresses->empty()) {
    Reader a((*addresses)[0]);
    read_address(a, l);
    if (a.failed()) return a.error();
  } else {
    read_address(r, l);
  }
  r.required("locationName", !l.name.empty());
  r.check(!l.country_id || find_item(table(s, assumed::kCountriesTable), l.country_id), missing("country", l.country_id));
  if (r.failed()) return r.error();
  return l;
}

std::variant<std::vector<Location>, std::string> read_new_locations(const json& body, const Store& s) {
  const json* list = member(body, "locations");
  if (!list || !list->is_array() || list->empty()) return std::string("The field locations is required.");
  std::vector<Location> out;
  for (const auto& item : *list) {
    auto l = read_location(item, Location{}, s);
    if (auto* err = std::get_if<std::string>(&l)) return *err;
    out.push_back(std::get<Location>(std::move(l)));
  }
  // Exactly one main location: the first unless the body names one (B14).
  if (std::none_of(out.begin(), out.end(), [](const Location& l) { return l.is_main; })) out.front().is_main = true;
  return out;
}

std::variant<Contact, std::string> read_contact(const json& body, const Contact& base, const Store& s,
                                                std::string_view poc_field) {
  if (!body.is_object()) return std::string("The request body must be a JSON object.");
  Contact c = base;
  Reader r(body);
  r.id("accountId", c.account_id);
  r.id("locationId", c.location_id);
  r.str("firstName", c.first_name);
  r.str("lastName", c.last_name);
  r.str("jobTitle", c.job_title);
  r.flag(poc_field, c.is_poc, false);
  r.flag("isActive", c.is_active, true);
  r.required("accountId", c.account_id != 0);
  r.required("firstName", !c.first_name.empty());
  r.required("lastName", !c.last_name.empty());
  r.check(!c.account_id || s.accounts.count(c.account_id), missing("account", c.account_id));
  if (c.location_id) {
    auto l = s.locations.find(c.location_id);
    r.check(l != s.locations.end() && l->second.account_id == c.account_id,
            "The location " + std::to_string(c.location_id) + " does not belong to account " +
                std::to_string(c.account_id) + ".");
  }
  if (r.failed()) return r.error();
  // Emails and phones: the create shape (phoneNumber) and the read shape (phone) are both read;
  // items keep their id when the body names one of the contact's own.
  auto item_id = [](const json& item, Id fallback) {
    const json* v = member(item, "id");
    return v && v->is_number_integer() ? v->get<Id>() : fallback;
  };
  if (const json* emails = r.get("emails"); emails && !emails->is_null()) {
    if (!emails->is_array()) return std::string("The value of emails is not valid: expected an array.");
    std::vector<ContactEmail> out;
    for (const auto& e : *emails) {
      Reader er(e);
      ContactEmail m;
      m.id = item_id(e, 0);
      er.str("emailAddress", m.address);
      er.id("emailTypeId", m.type_id);
      er.flag("isDefault", m.is_default, false);
      er.required("emailAddress", !m.address.empty());
      er.check(!m.type_id || find_item(table(s, assumed::kEmailTypesTable), m.type_id), missing("email type", m.type_id));
      if (er.failed()) return er.error();
      out.push_back(std::move(m));
    }
    c.emails = std::move(out);
  } else {
    c.emails.clear();
  }
  if (const json* phones = r.get("phones"); phones && !phones->is_null()) {
    if (!phones->is_array()) return std::string("The value of phones is not valid: expected an array.");
    std::vector<ContactPhone> out;
    for (const auto& p : *phones) {
      Reader pr(p);
      ContactPhone m;
      m.id = item_id(p, 0);
      pr.str(pr.get("phoneNumber") ? "phoneNumber" : "phone", m.number);
      pr.id("phoneTypeId", m.type_id);
      pr.flag("isDefault", m.is_default, false);
      pr.required("phoneNumber", !m.number.empty());
      pr.check(!m.type_id || find_item(table(s, assumed::kPhoneTypesTable), m.type_id), missing("phone type", m.type_id));
      if (pr.failed()) return pr.error();
      out.push_back(std::move(m));
    }
    c.phones = std::move(out);
  } else {
    c.phones.clear();
  }
  return c;
}

std::variant<Asset, std::string> read_asset(const json& body, const Asset& base, const Store& s) {
  if (!body.is_object()) return std::string("The request body must be a JSON object.");
  Asset a = base;
  Reader r(body);
  r.str("name", a.name);
  r.id("accountId", a.account_id);
  r.id("accountLocationId", a.location_id);
  r.id("contactId", a.contact_id);
  r.id("categoryId", a.category_id);
  r.id("stateId", a.state_id);
  r.id("manufacturerId", a.manufacturer_id);
  r.str("modelNumber", a.model_number);
  r.str("serialNumber", a.serial_number);
  r.str("assetTag", a.asset_tag);
  r.str("description", a.description);
  r.flag("isActive", a.is_active, true);
  r.str("ipAddress", a.ip_address);
  r.str("defaultGateway", a.default_gateway);
  r.str("macAddress", a.mac_address);
  r.str("osType", a.os_type);
  r.str("osInfo", a.os_info);
  r.str("locationInfo", a.location_info);
  r.date("warrantyExpirationDate", a.warranty_expires);
  r.date("acquisitionDate", a.acquired);
  r.required("name", !a.name.empty());
  r.required("accountId", a.account_id != 0);
  r.required("accountLocationId", a.location_id != 0);
  r.required("categoryId", a.category_id != 0);
  r.check(!a.account_id || s.accounts.count(a.account_id), missing("account", a.account_id));
  if (a.location_id && a.account_id) {
    auto l = s.locations.find(a.location_id);
    r.check(l != s.locations.end() && l->second.account_id == a.account_id,
            "The location " + std::to_string(a.location_id) + " does not belong to account " +
                std::to_string(a.account_id) + ".");
  }
  r.check(!a.contact_id || s.contacts.count(a.contact_id), missing("contact", a.contact_id));
  r.check(!a.category_id || find_item(table(s, assumed::kCategoriesTable), a.category_id), missing("category", a.category_id));
  r.check(!a.state_id || find_item(table(s, assumed::kStatesTable), a.state_id), missing("asset state", a.state_id));
  r.check(!a.manufacturer_id || find_item(table(s, assumed::kManufacturersTable), a.manufacturer_id),
          missing("manufacturer", a.manufacturer_id));
  if (r.failed()) return r.error();
  return a;
}

}  // namespace cairn::sim::bms
