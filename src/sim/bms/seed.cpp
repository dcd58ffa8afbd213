#include "sim/bms/seed.h"

#include <string>

#include "sim/bms/assumptions.h"

namespace cairn::sim::bms {

namespace {

// Phone types (B15): world phone kinds in this order.
Id phone_type(Phone::Kind k) {
  switch (k) {
    case Phone::Kind::Work: return 1;
    case Phone::Kind::Mobile: return 2;
    case Phone::Kind::Home: return 3;
    case Phone::Kind::Fax: return 4;
  }
  return 1;
}

}  // namespace

Store seed_store(const World& w, std::int64_t off) {
  Store s;
  auto rec = [off](Id id) { return id ? id + off : 0; };

  for (const auto& t : w.company_types)
    s.account_types.push_back({t.id, t.name, true, t.is_default, !t.is_vendor && t.name == "Customer", t.is_vendor});
  auto& categories = s.lookups[std::string(assumed::kCategoriesTable)];
  for (const auto& t : w.configuration_types) categories.push_back({t.id, t.name, !t.inactive, false});
  auto& states = s.lookups[std::string(assumed::kStatesTable)];
  for (const auto& st : w.configuration_statuses) states.push_back({st.id, st.name, true, st.is_default});
  auto& makers = s.lookups[std::string(assumed::kManufacturersTable)];
  for (const auto& m : w.manufacturers) makers.push_back({m.id, m.name, !m.inactive, false});
  s.lookups[std::string(assumed::kEmailTypesTable)] = {{1, "Work", true, true}, {2, "Personal", true, false}};
  s.lookups[std::string(assumed::kPhoneTypesTable)] = {
      {1, "Work", true, true}, {2, "Mobile", true, false}, {3, "Home", true, false}, {4, "Fax", true, false}};
  s.lookups[std::string(assumed::kBusinessTypesTable)] = {{1, "Small Business", true, true},
                                                          {2, "Enterprise", true, false}};
  auto& countries = s.lookups[std::string(assumed::kCountriesTable)];
  for (const auto& c : w.countries) countries.push_back({c.id, c.name, true, c.id == 1});
  auto& employees = s.lookups[std::string(assumed::kEmployeesTable)];
  for (const auto& t : w.technicians) employees.push_back({t.id, t.first_name + " " + t.last_name, true, false});

  auto region_code = [&](Id id) -> std::string {
    for (const auto& r : w.regions)
      if (r.id == id) return r.code;
    return "";
  };

  for (const auto& c : w.companies) {
    bool inactive_status = false;
    for (const auto& st : w.company_statuses)
      if (st.id == c.status_id) inactive_status = st.inactive;
    Account a;
    a.id = rec(c.id);
    a.code = c.short_name;
    a.name = c.name;
    a.parent_id = rec(c.parent_id);
    a.type_id = c.type_id;
    a.business_type_id = 1;
    a.manager_id = w.technicians.empty() ? 0 : w.technicians[static_cast<std::size_t>(c.id) % w.technicians.size()].id;
    a.is_active = !c.deleted && !inactive_status;  // B13
    a.website = c.website;
    a.created = c.created;
    a.modified = c.updated;
    s.accounts[a.id] = std::move(a);
  }

  // The main site first, so an account's first location is its main one (B14).
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& site : w.sites) {
      if (site.primary != (pass == 0)) continue;
      auto acc = s.accounts.find(rec(site.company_id));
      if (acc == s.accounts.end()) continue;
      Location l;
      l.id = rec(site.id);
      l.account_id = acc->first;
      l.name = site.name;
      l.is_main = site.primary;
      l.is_active = !site.inactive;
      l.address1 = site.address.line1;
      l.address2 = site.address.line2;
      l.city = site.address.city;
      l.state = region_code(site.address.region_id);
      l.zip = site.address.zip;
      l.country_id = site.address.country_id;
      l.phone = site.phone;
      l.fax = site.fax;
      l.created = site.created;
      l.modified = site.updated;
      acc->second.location_ids.push_back(l.id);
      s.locations[l.id] = std::move(l);
    }

  for (const auto& c : w.contacts) {
    Contact k;
    k.id = rec(c.id);
    k.account_id = rec(c.company_id);
    k.location_id = rec(c.site_id);
    k.first_name = c.first_name;
    k.last_name = c.last_name;
    k.job_title = c.title;
    k.is_active = !c.inactive;
    for (const auto& co : w.companies)
      if (co.id == c.company_id) k.is_poc = co.default_contact_id == c.id;
    for (std::size_t i = 0; i < c.emails.size(); ++i)
      k.emails.push_back({s.next_item++, c.emails[i], i == 0 ? Id{1} : Id{2}, i == 0});
    for (std::size_t i = 0; i < c.phones.size(); ++i)
      k.phones.push_back({s.next_item++, c.phones[i].extension.empty() ? c.phones[i].number
                                                                      : c.phones[i].number + " x" + c.phones[i].extension,
                          phone_type(c.phones[i].kind), i == 0});
    k.created = c.created;
    k.modified = c.updated;
    s.contacts[k.id] = std::move(k);
  }

  for (const auto& c : w.configurations) {
    Asset a;
    a.id = rec(c.id);
    a.name = c.name;
    a.account_id = rec(c.company_id);
    a.location_id = rec(c.site_id);
    a.contact_id = rec(c.contact_id);
    a.category_id = c.type_id;
    a.state_id = c.status_id;
    a.manufacturer_id = c.manufacturer_id;
    a.model_number = c.model;
    a.serial_number = c.serial_number;
    a.asset_tag = c.asset_tag;
    a.description = c.notes;
    a.is_active = c.active;
    a.ip_address = c.ip_address;
    a.default_gateway = c.default_gateway;
    a.mac_address = c.mac_address;
    a.os_type = c.os_type;
    a.os_info = c.os_info;
    a.warranty_expires = c.warranty_expires;
    a.acquired = c.purchased;
    a.created = c.created;
    a.modified = c.updated;
    s.assets[a.id] = std::move(a);
  }

  auto next = [off](const auto& m) { return m.empty() ? off + 1 : m.rbegin()->first + 1; };
  s.next_account = next(s.accounts);
  s.next_location = next(s.locations);
  s.next_contact = next(s.contacts);
  s.next_asset = next(s.assets);
  return s;
}

}  // namespace cairn::sim::bms
