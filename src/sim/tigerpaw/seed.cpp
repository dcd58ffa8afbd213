#include "sim/tigerpaw/seed.h"

#include <unordered_map>

#include "sim/tigerpaw/assumptions.h"

namespace cairn::sim::tigerpaw {

Store seed_store(const World& w) {
  Store s;
  for (const auto& t : w.company_types) s.account_types.push_back({t.id, t.name, true, t.is_default});
  for (const auto& st : w.company_statuses) s.account_statuses.push_back({st.id, st.name, true, st.is_default});
  std::int64_t loc_id = 0;
  for (const char* name : {"Main", "Direct", "Mobile", "Home", "Fax"})
    s.phone_locations.push_back({++loc_id, name, true, loc_id == 1});

  std::unordered_map<Id, std::string> region_code, country_name, type_name, status_name;
  for (const auto& r : w.regions) region_code[r.id] = r.code;
  for (const auto& c : w.countries) country_name[c.id] = c.name;
  for (const auto& t : w.company_types) type_name[t.id] = t.name;
  for (const auto& st : w.company_statuses) status_name[st.id] = st.name;
  std::string inactive_status = "Inactive";
  for (const auto& st : w.company_statuses)
    if (st.inactive) inactive_status = st.name;
  auto lookup = [](const std::unordered_map<Id, std::string>& m, Id id) {
    auto it = m.find(id);
    return it == m.end() ? std::string() : it->second;
  };
  auto phone = [&s](std::string number, std::string location, bool primary) {
    return PhoneNumber{s.next_phone_id++, std::move(number), std::move(location), primary};
  };

  for (const auto& c : w.companies) {
    Account a;
    a.number = c.id;
    a.name = c.name;
    a.account_id = c.short_name;
    a.address1 = c.address.line1;
    a.address2 = c.address.line2;
    a.city = c.address.city;
    a.state = lookup(region_code, c.address.region_id);
    a.postal_code = c.address.zip;
    a.country = lookup(country_name, c.address.country_id);
    a.type = lookup(type_name, c.type_id);
    a.status = c.deleted ? inactive_status : lookup(status_name, c.status_id);
    a.url1 = c.website;
    a.parent = c.parent_id;
    a.primary_contact = c.default_contact_id;
    if (!c.phone.empty()) a.phones.push_back(phone(c.phone, "Main", true));
    if (!c.fax.empty()) a.phones.push_back(phone(c.fax, std::string(assumed::kFaxLocation), true));
    a.created = c.created;
    a.modified = c.updated;
    s.contacts_of[a.number];
    s.accounts.emplace(a.number, std::move(a));
  }

  std::unordered_map<Id, const Site*> sites;
  for (const auto& site : w.sites) sites[site.id] = &site;
  std::unordered_map<Id, const Company*> companies;
  for (const auto& c : w.companies) companies[c.id] = &c;
  for (const auto& c : w.contacts) {
    Contact k;
    k.number = c.id;
    k.account = c.company_id;
    k.first_name = c.first_name;
    k.last_name = c.last_name;
    k.title = c.title;
    k.inactive = c.inactive;
    const Address* addr = nullptr;
    if (auto it = sites.find(c.site_id); it != sites.end()) addr = &it->second->address;
    else if (auto co = companies.find(c.company_id); co != companies.end()) addr = &co->second->address;
    if (addr) {
      k.address1 = addr->line1;
      k.address2 = addr->line2;
      k.city = addr->city;
      k.state = lookup(region_code, addr->region_id);
      k.postal_code = addr->zip;
      k.country = lookup(country_name, addr->country_id);
    }
    for (const auto& p : c.phones) {
      std::string location;
      switch (p.kind) {
        case Phone::Kind::Work:
          location = p.extension.empty() ? "Direct" : std::string(assumed::kExtensionPrefix) + p.extension;
          break;
        case Phone::Kind::Mobile: location = "Mobile"; break;
        case Phone::Kind::Home: location = "Home"; break;
        case Phone::Kind::Fax: location = std::string(assumed::kFaxLocation); break;
      }
      k.phones.push_back(phone(p.number, std::move(location), p.is_default));
    }
    for (std::size_t i = 0; i < c.emails.size(); ++i)
      k.emails.push_back({s.next_email_id++, c.emails[i], i == 0 ? "Work" : "Other", i == 0});
    k.created = c.created;
    k.modified = c.updated;
    s.contacts_of[k.account].insert(k.number);
    s.contacts.emplace(k.number, std::move(k));
  }
  return s;
}

}  // namespace cairn::sim::tigerpaw
