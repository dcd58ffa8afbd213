#include "sim/connectwise/wire.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace cairn::sim::connectwise {

namespace {

using core::JsonWriter;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Writing. Empty strings, unset dates and unset references are left out (assumptions.h A9).

void str(core::JsonWriter& w, const char* key, const std::string& v) {
  if (!v.empty()) w.key(key).value(v);
}

void flag(core::JsonWriter& w, const char* key, bool v) { w.key(key).value(v); }

void date(core::JsonWriter& w, const char* key, Timestamp t) {
  if (!t) return;
  std::string s;
  s.reserve(20);
  append_utc(s, t);
  w.key(key).value(s);
}

void info(core::JsonWriter& w, const Info& i) {
  w.key("_info").begin_object();
  date(w, "lastUpdated", i.updated);
  str(w, "updatedBy", i.updated_by);
  date(w, "dateEntered", i.entered);
  str(w, "enteredBy", i.entered_by);
  w.end_object();
}

// {id, name} with the name looked up now; a reference to a record that no longer exists keeps
// its id only.
template <typename T, typename NameOf>
void ref(core::JsonWriter& w, const char* key, Id id, const Table<T>& table, NameOf name_of) {
  if (!id) return;
  w.key(key).begin_object().key("id").value(id);
  if (const T* t = table.find(id)) w.key("name").value(name_of(*t));
  w.end_object();
}

const std::string& name_field(const auto& r) { return r.name; }
const std::string& description_field(const auto& r) { return r.description; }

void company_ref(core::JsonWriter& w, const char* key, Id id, const Store& s) {
  if (!id) return;
  w.key(key).begin_object().key("id").value(id);
  if (const Company* c = s.companies.find(id)) w.key("identifier").value(c->identifier).key("name").value(c->name);
  w.end_object();
}

void member_ref(core::JsonWriter& w, const char* key, Id id, const Store& s) {
  if (!id) return;
  w.key(key).begin_object().key("id").value(id);
  if (const Member* m = s.members.find(id))
    w.key("identifier").value(m->identifier).key("name").value(m->first_name + " " + m->last_name);
  w.end_object();
}

void country_ref(core::JsonWriter& w, Id id, const Store& s) {
  if (!id) return;
  w.key("country").begin_object().key("id").value(id);
  if (const Country* c = s.countries.find(id)) w.key("identifier").value(c->identifier).key("name").value(c->name);
  w.end_object();
}

// ---------------------------------------------------------------------------------------------
// Reading: a field that is absent keeps the default; null clears it; a wrong type is an error.

class Reader {
 public:
  Reader(const json& j, Errors& e) : j_(j), e_(e) {}

  const json* get(const char* key) const {
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  void invalid(const char* field, const std::string& message) { e_.push_back({"InvalidField", message, field}); }

  void str(const char* key, std::string& out, std::size_t max) {
    const json* v = get(key);
    if (!v || v->is_null()) return;
    if (!v->is_string()) return invalid(key, std::string("The ") + key + " field must be a string.");
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() > max)
      return e_.push_back({"FieldTooLong", std::string("The ") + key + " field may not exceed " + std::to_string(max) +
                                               " characters.", key});
    out = s;
  }
  void flag(const char* key, bool& out) {
    const json* v = get(key);
    if (!v || v->is_null()) return;
    if (!v->is_boolean()) return invalid(key, std::string("The ") + key + " field must be true or false.");
    out = v->get<bool>();
  }
  void date(const char* key, Timestamp& out) {
    const json* v = get(key);
    if (!v || v->is_null()) return;
    auto ms = v->is_string() ? parse_utc_millis(v->get_ref<const std::string&>()) : std::nullopt;
    if (!ms) return invalid(key, std::string("The ") + key + " field must be a date-time like 2026-01-31T00:00:00Z.");
    out = *ms / 1000;
  }
  void integer(const char* key, Id& out) {
    const json* v = get(key);
    if (!v || v->is_null()) return;
    if (!v->is_number_integer()) return invalid(key, std::string("The ") + key + " field must be an integer.");
    out = v->get<Id>();
  }
  // A reference {"id": N, ...}: N must name a record of table.
  template <typename T>
  void ref(const char* key, Id& out, const Table<T>& table) {
    const json* v = get(key);
    if (!v || v->is_null()) return;
    out = ref_id(key, *v, table);
  }
  template <typename T>
  void refs(const char* key, std::vector<Id>& out, const Table<T>& table) {
    const json* v = get(key);
    if (!v || v->is_null()) return;
    if (!v->is_array()) return invalid(key, std::string("The ") + key + " field must be an array of references.");
    out.clear();
    for (const auto& item : *v)
      if (Id id = ref_id(key, item, table)) out.push_back(id);
  }
  template <typename T>
  Id ref_id(const char* key, const json& v, const Table<T>& table) {
    const json* id = v.is_object() && v.contains("id") ? &v["id"] : nullptr;
    if (!id || !id->is_number_integer()) {
      invalid(key, std::string("The ") + key + " field must be a reference like {\"id\": 1}.");
      return 0;
    }
    const Id n = id->get<Id>();
    if (!table.find(n)) {
      invalid(key, std::string(key) + " id " + std::to_string(n) + " was not found.");
      return 0;
    }
    return n;
  }

 private:
  const json& j_;
  Errors& e_;
};

void require(Errors& e, bool ok, const char* field) {
  if (!ok) e.push_back({"MissingRequiredField", std::string("The ") + field + " field is required.", field});
}

FastValue fast_ref(Id id) {
  return id ? FastValue{FastValue::Kind::Int, id} : FastValue{FastValue::Kind::Missing, 0};
}
FastValue fast_bool(bool b) { return {FastValue::Kind::Bool, b ? 1 : 0}; }
constexpr FastValue kUnsupported{};

}  // namespace

// The lookups are read-only through the API except where noted in the emulator's routes; their
// read() still works so the admin path can add them.
#define SIMPLE_TABLE(R, member, res, nn)                       \
  const char* const Wire<R>::resource = res;                  \
  const char* const Wire<R>::noun = nn;                       \
  const char* const Wire<R>::callback_type = "";              \
  Table<R>& Wire<R>::table(Store& s) { return s.member; }     \
  void Wire<R>::keep(const R&, R&, bool) {}                   \
  Id Wire<R>::company_of(const R&) { return 0; }

// ---------------------------------------------------------------------------------------------
SIMPLE_TABLE(Country, countries, "country", "Country")
void Wire<Country>::write(core::JsonWriter& w, const Country& r, const Store&) {
  w.begin_object().key("id").value(r.id);
  str(w, "identifier", r.identifier);
  str(w, "name", r.name);
  info(w, r.info);
  w.end_object();
}
void Wire<Country>::read(const json& j, Country& r, const Store&, Errors& e) {
  Reader in(j, e);
  in.str("identifier", r.identifier, 5);
  in.str("name", r.name, 50);
}
void Wire<Country>::check(const Country& r, const Store&, Errors& e) { require(e, !r.name.empty(), "name"); }
FastValue Wire<Country>::fast(const Country&, std::string_view) { return kUnsupported; }

// ---------------------------------------------------------------------------------------------
SIMPLE_TABLE(State, states, "state", "State")
void Wire<State>::write(core::JsonWriter& w, const State& r, const Store& s) {
  w.begin_object().key("id").value(r.id);
  str(w, "identifier", r.identifier);
  str(w, "name", r.name);
  ref(w, "country", r.country_id, s.countries, name_field<Country>);
  info(w, r.info);
  w.end_object();
}
void Wire<State>::read(const json& j, State& r, const Store& s, Errors& e) {
  Reader in(j, e);
  in.str("identifier", r.identifier, 50);
  in.str("name", r.name, 50);
  in.ref("country", r.country_id, s.countries);
}
void Wire<State>::check(const State& r, const Store&, Errors& e) { require(e, !r.identifier.empty(), "identifier"); }
FastValue Wire<State>::fast(const State& r, std::string_view p) {
  return p == "country/id" ? fast_ref(r.country_id) : kUnsupported;
}

// ---------------------------------------------------------------------------------------------
SIMPLE_TABLE(Member, members, "member", "Member")
void Wire<Member>::write(core::JsonWriter& w, const Member& r, const Store&) {
  w.begin_object().key("id").value(r.id);
  str(w, "identifier", r.identifier);
  str(w, "firstName", r.first_name);
  str(w, "lastName", r.last_name);
  flag(w, "inactiveFlag", r.inactive_flag);
  info(w, r.info);
  w.end_object();
}
void Wire<Member>::read(const json& j, Member& r, const Store&, Errors& e) {
  Reader in(j, e);
  in.str("identifier", r.identifier, 15);
  in.str("firstName", r.first_name, 30);
  in.str("lastName", r.last_name, 30);
  in.flag("inactiveFlag", r.inactive_flag);
}
void Wire<Member>::check(const Member& r, const Store&, Errors& e) { require(e, !r.identifier.empty(), "identifier"); }
FastValue Wire<Member>::fast(const Member& r, std::string_view p) {
  return p == "inactiveflag" ? fast_bool(r.inactive_flag) : kUnsupported;
}

// ---------------------------------------------------------------------------------------------
SIMPLE_TABLE(CommunicationType, communication_types, "communicationType", "CommunicationType")
void Wire<CommunicationType>::write(core::JsonWriter& w, const CommunicationType& r, const Store&) {
  w.begin_object().key("id").value(r.id);
  str(w, "description", r.description);
  flag(w, "phoneFlag", r.phone_flag);
  flag(w, "faxFlag", r.fax_flag);
  flag(w, "emailFlag", r.email_flag);
  flag(w, "defaultFlag", r.default_flag);
  info(w, r.info);
  w.end_object();
}
void Wire<CommunicationType>::read(const json& j, CommunicationType& r, const Store&, Errors& e) {
  Reader in(j, e);
  in.str("description", r.description, 15);
  in.flag("phoneFlag", r.phone_flag);
  in.flag("faxFlag", r.fax_flag);
  in.flag("emailFlag", r.email_flag);
  in.flag("defaultFlag", r.default_flag);
}
void Wire<CommunicationType>::check(const CommunicationType& r, const Store&, Errors& e) {
  require(e, !r.description.empty(), "description");
}
FastValue Wire<CommunicationType>::fast(const CommunicationType&, std::string_view) { return kUnsupported; }

// ---------------------------------------------------------------------------------------------
SIMPLE_TABLE(CompanyType, company_types, "companyType", "CompanyType")
void Wire<CompanyType>::write(core::JsonWriter& w, const CompanyType& r, const Store&) {
  w.begin_object().key("id").value(r.id);
  str(w, "name", r.name);
  flag(w, "defaultFlag", r.default_flag);
  flag(w, "vendorFlag", r.vendor_flag);
  info(w, r.info);
  w.end_object();
}
void Wire<CompanyType>::read(const json& j, CompanyType& r, const Store&, Errors& e) {
  Reader in(j, e);
  in.str("name", r.name, 50);
  in.flag("defaultFlag", r.default_flag);
  in.flag("vendorFlag", r.vendor_flag);
}
void Wire<CompanyType>::check(const CompanyType& r, const Store&, Errors& e) { require(e, !r.name.empty(), "name"); }
FastValue Wire<CompanyType>::fast(const CompanyType&, std::string_view) { return kUnsupported; }

// ---------------------------------------------------------------------------------------------
SIMPLE_TABLE(CompanyStatus, company_statuses, "companyStatus", "CompanyStatus")
void Wire<CompanyStatus>::write(core::JsonWriter& w, const CompanyStatus& r, const Store&) {
  w.begin_object().key("id").value(r.id);
  str(w, "name", r.name);
  flag(w, "defaultFlag", r.default_flag);
  flag(w, "inactiveFlag", r.inactive_flag);
  info(w, r.info);
  w.end_object();
}
void Wire<CompanyStatus>::read(const json& j, CompanyStatus& r, const Store&, Errors& e) {
  Reader in(j, e);
  in.str("name", r.name, 50);
  in.flag("defaultFlag", r.default_flag);
  in.flag("inactiveFlag", r.inactive_flag);
}
void Wire<CompanyStatus>::check(const CompanyStatus& r, const Store&, Errors& e) { require(e, !r.name.empty(), "name"); }
FastValue Wire<CompanyStatus>::fast(const CompanyStatus& r, std::string_view p) {
  return p == "inactiveflag" ? fast_bool(r.inactive_flag) : kUnsupported;
}

// ---------------------------------------------------------------------------------------------
SIMPLE_TABLE(ConfigurationType, configuration_types, "configurationType", "ConfigurationType")
void Wire<ConfigurationType>::write(core::JsonWriter& w, const ConfigurationType& r, const Store&) {
  w.begin_object().key("id").value(r.id);
  str(w, "name", r.name);
  flag(w, "inactiveFlag", r.inactive_flag);
  flag(w, "systemFlag", r.system_flag);
  info(w, r.info);
  w.end_object();
}
void Wire<ConfigurationType>::read(const json& j, ConfigurationType& r, const Store&, Errors& e) {
  Reader in(j, e);
  in.str("name", r.name, 50);
  in.flag("inactiveFlag", r.inactive_flag);
}
void Wire<ConfigurationType>::check(const ConfigurationType& r, const Store&, Errors& e) {
  require(e, !r.name.empty(), "name");
}
FastValue Wire<ConfigurationType>::fast(const ConfigurationType& r, std::string_view p) {
  return p == "inactiveflag" ? fast_bool(r.inactive_flag) : kUnsupported;
}

// ---------------------------------------------------------------------------------------------
SIMPLE_TABLE(ConfigurationStatus, configuration_statuses, "configurationStatus", "ConfigurationStatus")
void Wire<ConfigurationStatus>::write(core::JsonWriter& w, const ConfigurationStatus& r, const Store&) {
  w.begin_object().key("id").value(r.id);
  str(w, "description", r.description);
  flag(w, "closedFlag", r.closed_flag);
  flag(w, "defaultFlag", r.default_flag);
  info(w, r.info);
  w.end_object();
}
void Wire<ConfigurationStatus>::read(const json& j, ConfigurationStatus& r, const Store&, Errors& e) {
  Reader in(j, e);
  in.str("description", r.description, 50);
  in.flag("closedFlag", r.closed_flag);
  in.flag("defaultFlag", r.default_flag);
}
void Wire<ConfigurationStatus>::check(const ConfigurationStatus& r, const Store&, Errors& e) {
  require(e, !r.description.empty(), "description");
}
FastValue Wire<ConfigurationStatus>::fast(const ConfigurationStatus& r, std::string_view p) {
  return p == "closedflag" ? fast_bool(r.closed_flag) : kUnsupported;
}

// ---------------------------------------------------------------------------------------------
SIMPLE_TABLE(ContactType, contact_types, "contactType", "ContactType")
void Wire<ContactType>::write(core::JsonWriter& w, const ContactType& r, const Store&) {
  w.begin_object().key("id").value(r.id);
  str(w, "description", r.description);
  flag(w, "defaultFlag", r.default_flag);
  info(w, r.info);
  w.end_object();
}
void Wire<ContactType>::read(const json& j, ContactType& r, const Store&, Errors& e) {
  Reader in(j, e);
  in.str("description", r.description, 50);
  in.flag("defaultFlag", r.default_flag);
}
void Wire<ContactType>::check(const ContactType& r, const Store&, Errors& e) {
  require(e, !r.description.empty(), "description");
}
FastValue Wire<ContactType>::fast(const ContactType&, std::string_view) { return kUnsupported; }

// ---------------------------------------------------------------------------------------------
SIMPLE_TABLE(Manufacturer, manufacturers, "manufacturer", "Manufacturer")
void Wire<Manufacturer>::write(core::JsonWriter& w, const Manufacturer& r, const Store&) {
  w.begin_object().key("id").value(r.id);
  str(w, "name", r.name);
  flag(w, "inactiveFlag", r.inactive_flag);
  info(w, r.info);
  w.end_object();
}
void Wire<Manufacturer>::read(const json& j, Manufacturer& r, const Store&, Errors& e) {
  Reader in(j, e);
  in.str("name", r.name, 50);
  in.flag("inactiveFlag", r.inactive_flag);
}
void Wire<Manufacturer>::check(const Manufacturer& r, const Store&, Errors& e) { require(e, !r.name.empty(), "name"); }
FastValue Wire<Manufacturer>::fast(const Manufacturer& r, std::string_view p) {
  return p == "inactiveflag" ? fast_bool(r.inactive_flag) : kUnsupported;
}
#undef SIMPLE_TABLE

// ---------------------------------------------------------------------------------------------
const char* const Wire<Company>::resource = "company";
const char* const Wire<Company>::noun = "Company";
const char* const Wire<Company>::callback_type = "company";
Table<Company>& Wire<Company>::table(Store& s) { return s.companies; }
void Wire<Company>::write(core::JsonWriter& w, const Company& r, const Store& s) {
  w.begin_object().key("id").value(r.id);
  str(w, "identifier", r.identifier);
  str(w, "name", r.name);
  ref(w, "status", r.status_id, s.company_statuses, name_field<CompanyStatus>);
  w.key("types").begin_array();
  for (Id t : r.type_ids) {
    w.begin_object().key("id").value(t);
    if (const CompanyType* ct = s.company_types.find(t)) w.key("name").value(ct->name);
    w.end_object();
  }
  w.end_array();
  str(w, "addressLine1", r.address_line1);
  str(w, "addressLine2", r.address_line2);
  str(w, "city", r.city);
  str(w, "state", r.state);
  str(w, "zip", r.zip);
  country_ref(w, r.country_id, s);
  str(w, "phoneNumber", r.phone_number);
  str(w, "faxNumber", r.fax_number);
  str(w, "website", r.website);
  company_ref(w, "parentCompany", r.parent_id, s);
  ref(w, "site", r.site_id, s.sites, name_field<Site>);
  if (r.default_contact_id) {
    w.key("defaultContact").begin_object().key("id").value(r.default_contact_id);
    if (const Contact* c = s.contacts.find(r.default_contact_id))
      w.key("name").value(c->first_name + (c->last_name.empty() ? "" : " " + c->last_name));
    w.end_object();
  }
  flag(w, "leadFlag", r.lead_flag);
  flag(w, "deletedFlag", r.deleted_flag);
  date(w, "dateDeleted", r.date_deleted);
  str(w, "deletedBy", r.deleted_by);
  info(w, r.info);
  w.end_object();
}
void Wire<Company>::read(const json& j, Company& r, const Store& s, Errors& e) {
  Reader in(j, e);
  in.str("identifier", r.identifier, 30);
  in.str("name", r.name, 50);
  in.ref("status", r.status_id, s.company_statuses);
  in.refs("types", r.type_ids, s.company_types);
  in.str("addressLine1", r.address_line1, 50);
  in.str("addressLine2", r.address_line2, 50);
  in.str("city", r.city, 50);
  in.str("state", r.state, 50);
  in.str("zip", r.zip, 12);
  in.ref("country", r.country_id, s.countries);
  in.str("phoneNumber", r.phone_number, 30);
  in.str("faxNumber", r.fax_number, 30);
  in.str("website", r.website, 255);
  in.ref("parentCompany", r.parent_id, s.companies);
  in.ref("site", r.site_id, s.sites);
  in.ref("defaultContact", r.default_contact_id, s.contacts);
  in.flag("leadFlag", r.lead_flag);
}
void Wire<Company>::check(const Company& r, const Store& s, Errors& e) {
  require(e, !r.identifier.empty(), "identifier");
  require(e, !r.name.empty(), "name");
  require(e, r.status_id != 0, "status");
  if (r.parent_id && r.parent_id == r.id)
    e.push_back({"InvalidField", "A company cannot be its own parent.", "parentCompany"});
  for (const Company& c : s.companies.rows())
    if (c.id != r.id && c.identifier.size() == r.identifier.size() &&
        std::equal(c.identifier.begin(), c.identifier.end(), r.identifier.begin(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                               std::tolower(static_cast<unsigned char>(b)); })) {
      e.push_back({"DuplicateValue", "The identifier " + r.identifier + " is already in use.", "identifier"});
      break;
    }
}
void Wire<Company>::keep(const Company& old, Company& r, bool api_update) {
  // types[] can only be set on create through the API (psa-apis.md §1.3).
  if (api_update) r.type_ids = old.type_ids;
  r.deleted_flag = old.deleted_flag;
  r.date_deleted = old.date_deleted;
  r.deleted_by = old.deleted_by;
}
FastValue Wire<Company>::fast(const Company& r, std::string_view p) {
  if (p == "status/id") return fast_ref(r.status_id);
  if (p == "parentcompany/id") return fast_ref(r.parent_id);
  if (p == "deletedflag") return fast_bool(r.deleted_flag);
  return kUnsupported;
}
Id Wire<Company>::company_of(const Company& r) { return r.id; }

// ---------------------------------------------------------------------------------------------
const char* const Wire<Site>::resource = "site";
const char* const Wire<Site>::noun = "Site";
const char* const Wire<Site>::callback_type = "";
Table<Site>& Wire<Site>::table(Store& s) { return s.sites; }
void Wire<Site>::write(core::JsonWriter& w, const Site& r, const Store& s) {
  w.begin_object().key("id").value(r.id);
  str(w, "name", r.name);
  str(w, "addressLine1", r.address_line1);
  str(w, "addressLine2", r.address_line2);
  str(w, "city", r.city);
  if (r.state_id) {
    w.key("stateReference").begin_object().key("id").value(r.state_id);
    if (const State* st = s.states.find(r.state_id)) w.key("identifier").value(st->identifier).key("name").value(st->name);
    w.end_object();
  }
  str(w, "zip", r.zip);
  country_ref(w, r.country_id, s);
  str(w, "phoneNumber", r.phone_number);
  str(w, "phoneNumberExt", r.phone_number_ext);
  str(w, "faxNumber", r.fax_number);
  flag(w, "primaryAddressFlag", r.primary_address_flag);
  flag(w, "inactiveFlag", r.inactive_flag);
  company_ref(w, "company", r.company_id, s);
  info(w, r.info);
  w.end_object();
}
void Wire<Site>::read(const json& j, Site& r, const Store& s, Errors& e) {
  Reader in(j, e);
  in.str("name", r.name, 50);
  in.str("addressLine1", r.address_line1, 50);
  in.str("addressLine2", r.address_line2, 50);
  in.str("city", r.city, 50);
  in.ref("stateReference", r.state_id, s.states);
  in.str("zip", r.zip, 12);
  in.ref("country", r.country_id, s.countries);
  in.str("phoneNumber", r.phone_number, 30);
  in.str("phoneNumberExt", r.phone_number_ext, 10);
  in.str("faxNumber", r.fax_number, 30);
  in.flag("primaryAddressFlag", r.primary_address_flag);
  in.flag("inactiveFlag", r.inactive_flag);
  in.ref("company", r.company_id, s.companies);
}
void Wire<Site>::check(const Site& r, const Store&, Errors& e) {
  require(e, !r.name.empty(), "name");
  require(e, r.company_id != 0, "company");
}
void Wire<Site>::keep(const Site& old, Site& r, bool) { r.company_id = old.company_id; }
FastValue Wire<Site>::fast(const Site& r, std::string_view p) {
  if (p == "company/id") return fast_ref(r.company_id);
  if (p == "inactiveflag") return fast_bool(r.inactive_flag);
  return kUnsupported;
}
Id Wire<Site>::company_of(const Site& r) { return r.company_id; }

// ---------------------------------------------------------------------------------------------
const char* const Wire<Contact>::resource = "contact";
const char* const Wire<Contact>::noun = "Contact";
const char* const Wire<Contact>::callback_type = "contact";
Table<Contact>& Wire<Contact>::table(Store& s) { return s.contacts; }
void Wire<Contact>::write(core::JsonWriter& w, const Contact& r, const Store& s) {
  w.begin_object().key("id").value(r.id);
  str(w, "firstName", r.first_name);
  str(w, "lastName", r.last_name);
  company_ref(w, "company", r.company_id, s);
  ref(w, "site", r.site_id, s.sites, name_field<Site>);
  str(w, "title", r.title);
  flag(w, "inactiveFlag", r.inactive_flag);
  // defaultPhone*: the default phone item, as ConnectWise derives them.
  for (const auto& item : r.communication_items) {
    const CommunicationType* t = s.communication_types.find(item.type_id);
    if (item.default_flag && t && t->phone_flag) {
      w.key("defaultPhoneType").value(t->description).key("defaultPhoneNbr").value(item.value);
      str(w, "defaultPhoneExtension", item.extension);
      break;
    }
  }
  w.key("communicationItems").begin_array();
  for (const auto& item : r.communication_items) {
    const CommunicationType* t = s.communication_types.find(item.type_id);
    w.begin_object().key("id").value(item.id);
    w.key("type").begin_object().key("id").value(item.type_id);
    if (t) w.key("name").value(t->description);
    w.end_object();
    w.key("value").value(item.value);
    str(w, "extension", item.extension);
    flag(w, "defaultFlag", item.default_flag);
    const char* kind = !t ? "Phone" : t->email_flag ? "Email" : t->fax_flag ? "Fax" : "Phone";
    if (t && t->email_flag) {
      const auto at = item.value.find('@');
      if (at != std::string::npos) w.key("domain").value(std::string_view(item.value).substr(at));
    }
    w.key("communicationType").value(kind);
    w.end_object();
  }
  w.end_array();
  w.key("types").begin_array();
  for (Id t : r.type_ids) {
    w.begin_object().key("id").value(t);
    if (const ContactType* ct = s.contact_types.find(t)) w.key("name").value(ct->description);
    w.end_object();
  }
  w.end_array();
  info(w, r.info);
  w.end_object();
}
void Wire<Contact>::read(const json& j, Contact& r, const Store& s, Errors& e) {
  Reader in(j, e);
  in.str("firstName", r.first_name, 30);
  in.str("lastName", r.last_name, 60);
  in.ref("company", r.company_id, s.companies);
  in.ref("site", r.site_id, s.sites);
  in.str("title", r.title, 100);
  in.flag("inactiveFlag", r.inactive_flag);
  in.refs("types", r.type_ids, s.contact_types);
  if (const json* ids = in.get("typeIds"); ids && ids->is_array()) {
    r.type_ids.clear();
    for (const auto& v : *ids) {
      if (v.is_number_integer() && s.contact_types.find(v.get<Id>())) r.type_ids.push_back(v.get<Id>());
      else in.invalid("typeIds", "typeIds must list existing contact type ids.");
    }
  }
  const json* items = in.get("communicationItems");
  if (!items || items->is_null()) return;
  if (!items->is_array()) return in.invalid("communicationItems", "communicationItems must be an array.");
  r.communication_items.clear();
  for (const auto& it : *items) {
    if (!it.is_object()) {
      in.invalid("communicationItems", "Each communication item must be an object.");
      continue;
    }
    CommunicationItem item;
    Errors local;
    Reader ir(it, local);
    ir.integer("id", item.id);
    ir.ref("type", item.type_id, s.communication_types);
    ir.str("value", item.value, 250);
    ir.str("extension", item.extension, 15);
    ir.flag("defaultFlag", item.default_flag);
    if (!item.type_id && local.empty()) {
      // Clients may name the kind only ("communicationType": "Email"): take that kind's default type.
      const json* kind = ir.get("communicationType");
      const std::string k = kind && kind->is_string() ? kind->get<std::string>() : "";
      item.type_id = k == "Email" ? Id{kEmail} : k == "Fax" ? Id{kFax} : k == "Phone" ? Id{kDirect} : Id{0};
      if (!item.type_id) local.push_back({"MissingRequiredField", "The type field is required.", "type"});
    }
    if (item.value.empty()) local.push_back({"MissingRequiredField", "The value field is required.", "value"});
    for (auto& le : local) e.push_back({le.code, le.message, "communicationItems/" + le.field});
    r.communication_items.push_back(std::move(item));
  }
}
void Wire<Contact>::check(const Contact& r, const Store&, Errors& e) { require(e, !r.first_name.empty(), "firstName"); }
void Wire<Contact>::keep(const Contact& old, Contact& r, bool api_update) {
  // typeIds are set on create; afterwards through contactTypeAssociations (psa-apis.md §1.3).
  if (api_update) r.type_ids = old.type_ids;
}
FastValue Wire<Contact>::fast(const Contact& r, std::string_view p) {
  if (p == "company/id") return fast_ref(r.company_id);
  if (p == "site/id") return fast_ref(r.site_id);
  if (p == "inactiveflag") return fast_bool(r.inactive_flag);
  return kUnsupported;
}
Id Wire<Contact>::company_of(const Contact& r) { return r.company_id; }

// ---------------------------------------------------------------------------------------------
const char* const Wire<Configuration>::resource = "configuration";
const char* const Wire<Configuration>::noun = "Configuration";
const char* const Wire<Configuration>::callback_type = "configuration";
Table<Configuration>& Wire<Configuration>::table(Store& s) { return s.configurations; }
void Wire<Configuration>::write(core::JsonWriter& w, const Configuration& r, const Store& s) {
  w.begin_object().key("id").value(r.id);
  str(w, "name", r.name);
  ref(w, "type", r.type_id, s.configuration_types, name_field<ConfigurationType>);
  ref(w, "status", r.status_id, s.configuration_statuses, description_field<ConfigurationStatus>);
  company_ref(w, "company", r.company_id, s);
  if (r.contact_id) {
    w.key("contact").begin_object().key("id").value(r.contact_id);
    if (const Contact* c = s.contacts.find(r.contact_id))
      w.key("name").value(c->first_name + (c->last_name.empty() ? "" : " " + c->last_name));
    w.end_object();
  }
  ref(w, "site", r.site_id, s.sites, name_field<Site>);
  str(w, "serialNumber", r.serial_number);
  str(w, "modelNumber", r.model_number);
  str(w, "tagNumber", r.tag_number);
  date(w, "purchaseDate", r.purchase_date);
  date(w, "installationDate", r.installation_date);
  member_ref(w, "installedBy", r.installed_by_id, s);
  date(w, "warrantyExpirationDate", r.warranty_expiration_date);
  str(w, "notes", r.notes);
  str(w, "macAddress", r.mac_address);
  str(w, "ipAddress", r.ip_address);
  str(w, "defaultGateway", r.default_gateway);
  str(w, "osType", r.os_type);
  str(w, "osInfo", r.os_info);
  ref(w, "manufacturer", r.manufacturer_id, s.manufacturers, name_field<Manufacturer>);
  flag(w, "activeFlag", r.active_flag);
  flag(w, "billFlag", r.bill_flag);
  info(w, r.info);
  w.end_object();
}
void Wire<Configuration>::read(const json& j, Configuration& r, const Store& s, Errors& e) {
  Reader in(j, e);
  in.str("name", r.name, 100);
  in.ref("type", r.type_id, s.configuration_types);
  in.ref("status", r.status_id, s.configuration_statuses);
  in.ref("company", r.company_id, s.companies);
  in.ref("contact", r.contact_id, s.contacts);
  in.ref("site", r.site_id, s.sites);
  in.str("serialNumber", r.serial_number, 250);
  in.str("modelNumber", r.model_number, 50);
  in.str("tagNumber", r.tag_number, 50);
  in.date("purchaseDate", r.purchase_date);
  in.date("installationDate", r.installation_date);
  in.ref("installedBy", r.installed_by_id, s.members);
  in.date("warrantyExpirationDate", r.warranty_expiration_date);
  in.str("notes", r.notes, 2000);
  in.str("macAddress", r.mac_address, 25);
  in.str("ipAddress", r.ip_address, 50);
  in.str("defaultGateway", r.default_gateway, 50);
  in.str("osType", r.os_type, 250);
  in.str("osInfo", r.os_info, 250);
  in.ref("manufacturer", r.manufacturer_id, s.manufacturers);
  in.flag("activeFlag", r.active_flag);
  in.flag("billFlag", r.bill_flag);
}
void Wire<Configuration>::check(const Configuration& r, const Store& s, Errors& e) {
  require(e, !r.name.empty(), "name");
  require(e, r.type_id != 0, "type");
  require(e, r.company_id != 0, "company");
  require(e, r.status_id != 0, "status");
  if (r.site_id) {
    const Site* site = s.sites.find(r.site_id);
    if (site && site->company_id != r.company_id)
      e.push_back({"InvalidField", "The site must belong to the configuration's company.", "site"});
  }
}
void Wire<Configuration>::keep(const Configuration&, Configuration&, bool) {}
FastValue Wire<Configuration>::fast(const Configuration& r, std::string_view p) {
  if (p == "type/id") return fast_ref(r.type_id);
  if (p == "status/id") return fast_ref(r.status_id);
  if (p == "company/id") return fast_ref(r.company_id);
  if (p == "contact/id") return fast_ref(r.contact_id);
  if (p == "site/id") return fast_ref(r.site_id);
  if (p == "manufacturer/id") return fast_ref(r.manufacturer_id);
  if (p == "activeflag") return fast_bool(r.active_flag);
  return kUnsupported;
}
Id Wire<Configuration>::company_of(const Configuration& r) { return r.company_id; }

// ---------------------------------------------------------------------------------------------
const char* const Wire<Callback>::resource = "callback";
const char* const Wire<Callback>::noun = "Callback";
const char* const Wire<Callback>::callback_type = "";
Table<Callback>& Wire<Callback>::table(Store& s) { return s.callbacks; }
void Wire<Callback>::write(core::JsonWriter& w, const Callback& r, const Store&) {
  w.begin_object().key("id").value(r.id);
  str(w, "description", r.description);
  str(w, "url", r.url);
  w.key("objectId").value(r.object_id);
  str(w, "type", r.type);
  str(w, "level", r.level);
  w.key("memberId").value(r.member_id);
  str(w, "payloadVersion", r.payload_version);
  flag(w, "inactiveFlag", r.inactive_flag);
  flag(w, "isSoapCallbackFlag", r.is_soap_callback_flag);
  flag(w, "isSelfSuppressedFlag", r.is_self_suppressed_flag);
  str(w, "connectWiseID", r.connectwise_id);
  info(w, r.info);
  w.end_object();
}
void Wire<Callback>::read(const json& j, Callback& r, const Store&, Errors& e) {
  Reader in(j, e);
  in.str("description", r.description, 100);
  in.str("url", r.url, 1000);
  in.integer("objectId", r.object_id);
  in.str("type", r.type, 50);
  in.str("level", r.level, 50);
  in.str("payloadVersion", r.payload_version, 20);
  in.flag("inactiveFlag", r.inactive_flag);
  in.flag("isSelfSuppressedFlag", r.is_self_suppressed_flag);
}
void Wire<Callback>::check(const Callback& r, const Store&, Errors& e) {
  const bool http = r.url.rfind("http://", 0) == 0 || r.url.rfind("https://", 0) == 0;
  if (!http) e.push_back({"InvalidField", "The url must be an absolute http or https URL.", "url"});
  static const char* const kTypes[] = {"ticket",   "project",  "company",      "contact",
                                       "opportunity", "activity", "schedule", "configuration"};
  bool type_ok = false;
  for (const char* t : kTypes) type_ok = type_ok || r.type == t;
  if (!type_ok) e.push_back({"InvalidField", "The type " + r.type + " is not a callback type.", "type"});
  static const char* const kLevels[] = {"owner", "company", "status", "type", "territory", "integratorTag"};
  bool level_ok = false;
  for (const char* l : kLevels) level_ok = level_ok || r.level == l;
  if (!level_ok) e.push_back({"InvalidField", "The level " + r.level + " is not valid for " + r.type + ".", "level"});
  if (r.object_id <= 0) e.push_back({"MissingRequiredField", "The objectId field is required.", "objectId"});
}
void Wire<Callback>::keep(const Callback& old, Callback& r, bool) {
  r.member_id = old.member_id;
  r.signing_key = old.signing_key;
  r.connectwise_id = old.connectwise_id;
  r.is_soap_callback_flag = old.is_soap_callback_flag;
}
FastValue Wire<Callback>::fast(const Callback& r, std::string_view p) {
  return p == "inactiveflag" ? fast_bool(r.inactive_flag) : kUnsupported;
}
Id Wire<Callback>::company_of(const Callback&) { return 0; }

}  // namespace cairn::sim::connectwise
