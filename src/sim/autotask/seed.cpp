#include "sim/autotask/seed.h"

#include <tuple>

#include "sim/autotask/assumptions.h"
#include "sim/autotask/entities.h"

namespace cairn::sim::autotask {

namespace {

using nlohmann::json;

// A record with every field of the entity, all null: Autotask sends unset fields as null (T12).
json blank(const std::string& entity) {
  json r = json::object();
  for (const auto& f : find_entity(entity)->fields) r[f.name] = nullptr;
  return r;
}

json text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json ref(Id id) { return id ? json(id) : json(nullptr); }
json when(Timestamp t) { return t ? json(format_utc(t)) : json(nullptr); }

}  // namespace

Tables seed_tables(const World& w, const std::string& api_username, const std::string& own_company_name) {
  Tables t;
  for (const auto& e : entity_defs()) t.by_entity[e.name];
  auto& resources = t.by_entity["Resources"];
  for (const auto& tech : w.technicians) {
    json r = blank("Resources");
    r["id"] = tech.id;
    r["firstName"] = tech.first_name;
    r["lastName"] = tech.last_name;
    r["userName"] = tech.identifier;
    r["email"] = tech.identifier + "@cairnsim.example";
    r["isActive"] = true;
    r["resourceType"] = "Employee";
    resources[tech.id] = std::move(r);
  }
  t.api_resource_id = resources.empty() ? 1 : resources.rbegin()->first + 1;
  {
    json r = blank("Resources");
    r["id"] = t.api_resource_id;
    r["firstName"] = "Cairn";
    r["lastName"] = "API";
    r["userName"] = api_username;
    r["email"] = api_username;
    r["isActive"] = true;
    r["resourceType"] = "API User (system)";
    resources[t.api_resource_id] = std::move(r);
  }
  const Id default_owner = w.technicians.empty() ? t.api_resource_id : w.technicians.front().id;

  for (const auto& ct : w.company_types) {
    t.company_types[ct.id] = ct.name;
    if (ct.is_default) t.default_company_type = ct.id;
  }
  for (const auto& st : w.company_statuses) t.classifications[st.id] = st.name;

  auto region_code = [&](Id id) -> json {
    for (const auto& r : w.regions)
      if (r.id == id) return r.code;
    return nullptr;
  };

  auto& types = t.by_entity["ConfigurationItemTypes"];
  for (const auto& ct : w.configuration_types) {
    json r = blank("ConfigurationItemTypes");
    r["id"] = ct.id;
    r["name"] = ct.name;
    r["isActive"] = !ct.inactive;
    types[ct.id] = std::move(r);
  }

  auto& companies = t.by_entity["Companies"];
  {
    // Company 0: the MSP itself (T16).
    constexpr Timestamp kOwnCompanyCreated = 1704067200;  // 2024-01-01T00:00:00Z
    json r = blank("Companies");
    r["id"] = 0;
    r["companyName"] = own_company_name;
    r["companyType"] = t.default_company_type ? json(t.default_company_type) : json(nullptr);
    r["isActive"] = true;
    r["ownerResourceID"] = default_owner;
    r["phone"] = "+1 585 555 0100";
    r["address1"] = "1 Cairn Way";
    r["city"] = "Rochester";
    r["state"] = "NY";
    r["postalCode"] = "14604";
    r["countryID"] = w.countries.empty() ? json(nullptr) : json(w.countries.front().id);
    r["createDate"] = when(kOwnCompanyCreated);
    r["createdByResourceID"] = default_owner;
    r["lastActivityDate"] = when(kOwnCompanyCreated);
    r["lastTrackedModifiedDateTime"] = when(kOwnCompanyCreated);
    companies[0] = std::move(r);
  }
  for (const auto& c : w.companies) {
    bool inactive_status = false;
    for (const auto& st : w.company_statuses)
      if (st.id == c.status_id) inactive_status = st.inactive;
    json r = blank("Companies");
    r["id"] = c.id;
    r["companyName"] = c.name;
    r["companyNumber"] = text(c.short_name);
    r["companyType"] = ref(c.type_id);
    r["classification"] = ref(c.status_id);
    // Companies cannot be deleted in Autotask: a deleted world company is an inactive one (T16).
    r["isActive"] = !c.deleted && !inactive_status;
    r["parentCompanyID"] = ref(c.parent_id);
    r["ownerResourceID"] = w.technicians.empty() ? default_owner
                                                 : w.technicians[static_cast<std::size_t>(c.id) % w.technicians.size()].id;
    r["phone"] = text(c.phone);
    r["fax"] = text(c.fax);
    r["address1"] = text(c.address.line1);
    r["address2"] = text(c.address.line2);
    r["city"] = text(c.address.city);
    r["state"] = region_code(c.address.region_id);
    r["postalCode"] = text(c.address.zip);
    r["countryID"] = ref(c.address.country_id);
    r["webAddress"] = text(c.website);
    r["createDate"] = when(c.created);
    r["createdByResourceID"] = default_owner;
    r["lastActivityDate"] = when(c.updated);
    r["lastTrackedModifiedDateTime"] = when(c.updated);
    companies[c.id] = std::move(r);
  }

  auto& locations = t.by_entity["CompanyLocations"];
  for (const auto& s : w.sites) {
    json r = blank("CompanyLocations");
    r["id"] = s.id;
    r["companyID"] = s.company_id;
    r["name"] = s.name;
    r["isPrimary"] = s.primary;
    r["isActive"] = !s.inactive;
    r["address1"] = text(s.address.line1);
    r["address2"] = text(s.address.line2);
    r["city"] = text(s.address.city);
    r["state"] = region_code(s.address.region_id);
    r["postalCode"] = text(s.address.zip);
    r["countryID"] = ref(s.address.country_id);
    r["phone"] = text(s.phone);
    r["fax"] = text(s.fax);
    locations[s.id] = std::move(r);
  }

  auto& contacts = t.by_entity["Contacts"];
  for (const auto& c : w.contacts) {
    json r = blank("Contacts");
    r["id"] = c.id;
    r["companyID"] = c.company_id;
    r["companyLocationID"] = ref(c.site_id);
    r["firstName"] = c.first_name;
    r["lastName"] = text(c.last_name);
    r["title"] = text(c.title);
    static const char* const kEmails[] = {"emailAddress", "emailAddress2", "emailAddress3"};
    for (std::size_t k = 0; k < c.emails.size() && k < 3; ++k) r[kEmails[k]] = c.emails[k];
    for (const auto& p : c.phones) {
      const char* field = nullptr;
      switch (p.kind) {
        case Phone::Kind::Work: field = r["phone"].is_null() ? "phone" : "alternatePhone"; break;
        case Phone::Kind::Mobile: field = "mobilePhone"; break;
        case Phone::Kind::Home: field = "alternatePhone"; break;
        case Phone::Kind::Fax: field = "faxNumber"; break;
      }
      if (!r[field].is_null()) continue;
      r[field] = p.number;
      if (std::string(field) == "phone" && !p.extension.empty()) r["extension"] = p.extension;
    }
    r["isActive"] = c.inactive ? 0 : 1;  // an integer on Contacts, unlike Companies (§2.9)
    r["primaryContact"] = 0;
    for (const auto& co : w.companies)
      if (co.id == c.company_id && co.default_contact_id == c.id) r["primaryContact"] = 1;
    r["createDate"] = when(c.created);
    r["lastActivityDate"] = when(c.updated);
    r["lastModifiedDate"] = when(c.updated);
    contacts[c.id] = std::move(r);
  }

  // Manufacturer and model live on a Product; one Product per (manufacturer, model) pair.
  auto& products = t.by_entity["Products"];
  std::map<std::tuple<Id, std::string>, Id> product_of;
  auto manufacturer_name = [&](Id id) -> std::string {
    for (const auto& m : w.manufacturers)
      if (m.id == id) return m.name;
    return "";
  };
  auto& cis = t.by_entity["ConfigurationItems"];
  for (const auto& c : w.configurations) {
    auto key = std::make_tuple(c.manufacturer_id, c.model);
    auto it = product_of.find(key);
    if (it == product_of.end()) {
      const Id pid = static_cast<Id>(products.size()) + 1;
      const std::string maker = manufacturer_name(c.manufacturer_id);
      std::string name = maker.empty() ? c.model : (c.model.empty() ? maker : maker + " " + c.model);
      if (name.empty()) name = "Generic Device";
      json p = blank("Products");
      p["id"] = pid;
      p["name"] = name;
      p["manufacturerName"] = text(maker);
      p["manufacturerProductName"] = text(c.model);
      p["isActive"] = true;
      p["isSerialized"] = true;
      products[pid] = std::move(p);
      it = product_of.emplace(key, pid).first;
    }
    json r = blank("ConfigurationItems");
    r["id"] = c.id;
    r["companyID"] = c.company_id;
    r["productID"] = it->second;
    // Autotask allows a CI without a reference title; its product's name then stands for it (T16).
    r["referenceTitle"] = c.id % 10 == 0 ? json(nullptr) : text(c.name);
    r["referenceNumber"] = text(c.asset_tag);
    r["serialNumber"] = text(c.serial_number);
    r["configurationItemType"] = ref(c.type_id);
    r["isActive"] = c.active;
    r["installDate"] = when(c.installed);
    r["installedByID"] = ref(c.installed_by);
    r["warrantyExpirationDate"] = when(c.warranty_expires);
    r["contactID"] = ref(c.contact_id);
    r["companyLocationID"] = ref(c.site_id);
    r["notes"] = text(c.notes);
    r["createDate"] = when(c.created);
    r["lastModifiedTime"] = when(c.updated);
    r["rmmDeviceAuditIPAddress"] = text(c.ip_address);
    r["rmmDeviceAuditMacAddress"] = text(c.mac_address);
    r["rmmDeviceAuditOperatingSystem"] = text(c.os_info);
    cis[c.id] = std::move(r);
  }
  return t;
}

}  // namespace cairn::sim::autotask
