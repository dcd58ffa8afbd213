#include "sim/connectwise/store.h"

namespace cairn::sim::connectwise {

namespace {

Info seeded(Timestamp created, Timestamp updated) { return Info{created, updated, kSeedMember, kSeedMember}; }

}  // namespace

void load_world(Store& s, World&& w, const std::string& api_member) {
  const Info lookup_info = seeded(1735689600, 1735689600);  // lookups date from 2025-01-01
  for (auto& c : w.countries) s.countries.add_seeded({c.id, std::move(c.code), std::move(c.name), lookup_info});
  for (auto& r : w.regions)
    s.states.add_seeded({r.id, std::move(r.code), std::move(r.name), r.country_id, lookup_info});
  for (auto& t : w.technicians)
    s.members.add_seeded({t.id, std::move(t.identifier), std::move(t.first_name), std::move(t.last_name), false, lookup_info});
  s.members.sort_seeded();
  // The API member and the PSA user the admin path acts as come after the technicians.
  s.api_member_id = s.members.add({0, api_member, "Cairn", "API", false, lookup_info}).id;
  s.user_member_id = s.members.add({0, kUserMember, "Psa", "User", false, lookup_info}).id;
  s.communication_types.add_seeded({kEmail, "Email", false, false, true, true, lookup_info});
  s.communication_types.add_seeded({kDirect, "Direct", true, false, false, true, lookup_info});
  s.communication_types.add_seeded({kCell, "Cell", true, false, false, false, lookup_info});
  s.communication_types.add_seeded({kHome, "Home", true, false, false, false, lookup_info});
  s.communication_types.add_seeded({kFax, "Fax", false, true, false, true, lookup_info});
  for (auto& t : w.company_types)
    s.company_types.add_seeded({t.id, std::move(t.name), t.is_default, t.is_vendor, lookup_info});
  for (auto& t : w.company_statuses)
    s.company_statuses.add_seeded({t.id, std::move(t.name), t.is_default, t.inactive, lookup_info});
  for (auto& t : w.configuration_types)
    s.configuration_types.add_seeded({t.id, std::move(t.name), t.inactive, false, lookup_info});
  for (auto& t : w.configuration_statuses)
    s.configuration_statuses.add_seeded({t.id, std::move(t.name), t.closed, t.is_default, lookup_info});
  for (auto& t : w.contact_types) s.contact_types.add_seeded({t.id, std::move(t.name), false, lookup_info});
  for (auto& m : w.manufacturers) s.manufacturers.add_seeded({m.id, std::move(m.name), m.inactive, lookup_info});

  auto region_code = [&](Id region_id) -> std::string {
    const State* st = s.states.find(region_id);
    return st ? st->identifier : std::string();
  };
  s.states.sort_seeded();
  s.companies.reserve(w.companies.size());
  for (auto& c : w.companies) {
    Company r;
    r.id = c.id;
    r.identifier = std::move(c.short_name);
    r.name = std::move(c.name);
    r.status_id = c.status_id;
    if (c.type_id) r.type_ids.push_back(c.type_id);
    r.address_line1 = std::move(c.address.line1);
    r.address_line2 = std::move(c.address.line2);
    r.city = std::move(c.address.city);
    r.state = region_code(c.address.region_id);
    r.zip = std::move(c.address.zip);
    r.country_id = c.address.country_id;
    r.phone_number = std::move(c.phone);
    r.fax_number = std::move(c.fax);
    r.website = std::move(c.website);
    r.parent_id = c.parent_id;
    r.site_id = c.primary_site_id;
    r.default_contact_id = c.default_contact_id;
    r.deleted_flag = c.deleted;
    if (c.deleted) {
      r.date_deleted = c.updated;
      r.deleted_by = kSeedMember;
    }
    r.info = seeded(c.created, c.updated);
    s.companies.add_seeded(std::move(r));
  }
  s.sites.reserve(w.sites.size());
  for (auto& x : w.sites) {
    Site r;
    r.id = x.id;
    r.company_id = x.company_id;
    r.name = std::move(x.name);
    r.address_line1 = std::move(x.address.line1);
    r.address_line2 = std::move(x.address.line2);
    r.city = std::move(x.address.city);
    r.state_id = x.address.region_id;
    r.zip = std::move(x.address.zip);
    r.country_id = x.address.country_id;
    r.phone_number = std::move(x.phone);
    r.phone_number_ext = std::move(x.phone_ext);
    r.fax_number = std::move(x.fax);
    r.primary_address_flag = x.primary;
    r.inactive_flag = x.inactive;
    r.info = seeded(x.created, x.updated);
    s.sites.add_seeded(std::move(r));
  }
  s.contacts.reserve(w.contacts.size());
  for (auto& x : w.contacts) {
    Contact r;
    r.id = x.id;
    r.first_name = std::move(x.first_name);
    r.last_name = std::move(x.last_name);
    r.company_id = x.company_id;
    r.site_id = x.site_id;
    r.title = std::move(x.title);
    r.inactive_flag = x.inactive;
    if (x.type_id) r.type_ids.push_back(x.type_id);
    bool first = true;
    for (auto& e : x.emails) {
      r.communication_items.push_back({s.next_communication_item_id++, kEmail, std::move(e), "", first});
      first = false;
    }
    for (auto& p : x.phones) {
      const Id type = p.kind == Phone::Kind::Fax      ? kFax
                      : p.kind == Phone::Kind::Mobile ? kCell
                      : p.kind == Phone::Kind::Home   ? kHome
                                                      : kDirect;
      r.communication_items.push_back(
          {s.next_communication_item_id++, type, std::move(p.number), std::move(p.extension), p.is_default});
    }
    r.info = seeded(x.created, x.updated);
    s.contacts.add_seeded(std::move(r));
  }
  s.configurations.reserve(w.configurations.size());
  for (auto& x : w.configurations) {
    Configuration r;
    r.id = x.id;
    r.name = std::move(x.name);
    r.type_id = x.type_id;
    r.status_id = x.status_id;
    r.company_id = x.company_id;
    r.contact_id = x.contact_id;
    r.site_id = x.site_id;
    r.manufacturer_id = x.manufacturer_id;
    r.installed_by_id = x.installed_by;
    r.serial_number = std::move(x.serial_number);
    r.model_number = std::move(x.model);
    r.tag_number = std::move(x.asset_tag);
    r.mac_address = std::move(x.mac_address);
    r.ip_address = std::move(x.ip_address);
    r.default_gateway = std::move(x.default_gateway);
    r.os_type = std::move(x.os_type);
    r.os_info = std::move(x.os_info);
    r.notes = std::move(x.notes);
    r.purchase_date = x.purchased;
    r.installation_date = x.installed;
    r.warranty_expiration_date = x.warranty_expires;
    r.active_flag = x.active;
    r.info = seeded(x.created, x.updated);
    s.configurations.add_seeded(std::move(r));
  }
  s.countries.sort_seeded();
  s.communication_types.sort_seeded();
  s.company_types.sort_seeded();
  s.company_statuses.sort_seeded();
  s.configuration_types.sort_seeded();
  s.configuration_statuses.sort_seeded();
  s.contact_types.sort_seeded();
  s.manufacturers.sort_seeded();
  s.companies.sort_seeded();
  s.sites.sort_seeded();
  s.contacts.sort_seeded();
  s.configurations.sort_seeded();
  w = World{};
}

}  // namespace cairn::sim::connectwise
