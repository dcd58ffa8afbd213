#include "psa/bms/mapping.h"

namespace cairn::psa::bms {

using core::SyncEntity;
using nlohmann::json;

const Mapping& mapping() {
  using D = Direction;
  using R = Read;
  const auto O = SyncEntity::Organization, L = SyncEntity::Location, C = SyncEntity::Contact, G = SyncEntity::Configuration;
  static const Mapping m = {
      // Organization ⇄ Account (D26-like: an account has an active flag, no status list; B13)
      {O, "name", "accountName"},
      {O, "short_name", "accountCode"},
      {O, "organization_type_id", "accountType", D::TwoWay, R::Types},
      {O, "organization_status_id", "isActive", D::TwoWay, R::Active},
      {O, "parent_id", "parentId", D::TwoWay, R::Ref, O},
      // Location ⇄ Location: one address each (B14); the main location is Cairn's primary one
      {L, "name", "locationName"},
      {L, "address_1", "addresses/0/address1"},
      {L, "address_2", "addresses/0/address2"},
      {L, "city", "addresses/0/city"},
      {L, "region_id", "addresses/0/state", D::TwoWay, R::Lookup},
      {L, "postal_code", "addresses/0/zipCode"},
      {L, "country_id", "addresses/0/country", D::TwoWay, R::Lookup},
      {L, "phone", "addresses/0/phone"},
      {L, "fax", "addresses/0/fax"},
      {L, "primary", "isMain", D::TwoWay, R::Bool},
      {L, "organization_id", "accountId", D::TwoWay, R::Ref, O},
      // Contact ⇄ Contact: Point of Contact is Cairn's Important
      {C, "first_name", "firstName"},
      {C, "last_name", "lastName"},
      {C, "title", "jobTitle"},
      {C, "important", "isPoc", D::TwoWay, R::Bool},
      {C, "contact_emails", "~communicationItems", D::TwoWay, R::Emails},
      {C, "contact_phones", "~communicationItems", D::TwoWay, R::Phones},
      {C, "location_id", "locationId", D::TwoWay, R::Ref, L},
      {C, "organization_id", "accountId", D::TwoWay, R::Ref, O},
      // Configuration ⇄ Hardware asset (the full record of servicedesk/hardwareasset/{id})
      {G, "name", "name"},
      {G, "asset_tag", "assetTag"},
      {G, "contact_id", "contactId", D::TwoWay, R::Ref, C},
      {G, "default_gateway", "defaultGateway"},
      {G, "configuration_status_id", "state", D::TwoWay, R::Status},
      {G, "configuration_type_id", "category", D::TwoWay, R::Types},
      {G, "primary_ip", "ipAddress"},
      {G, "location_id", "accountLocationId", D::TwoWay, R::Ref, L},
      {G, "manufacturer_id", "manufacturer", D::TwoWay, R::Lookup},
      {G, "model_id", "modelNumber", D::TwoWay, R::Lookup},
      {G, "notes", "description"},
      {G, "operating_system_notes", "osInfo"},
      {G, "position", "locationInfo"},
      {G, "operating_system_id", "osType", D::TwoWay, R::Lookup},
      {G, "purchased_at", "acquisitionDate", D::TwoWay, R::Date},
      {G, "serial_number", "serialNumber"},
      {G, "mac_address", "macAddress", D::TwoWay, R::Mac},
      {G, "warranty_expires_at", "warrantyExpirationDate", D::TwoWay, R::Date},
      {G, "organization_id", "accountId", D::TwoWay, R::Ref, O},
  };
  return m;
}

const char* list_path(SyncEntity e) {
  switch (e) {
    case SyncEntity::Organization:
    case SyncEntity::Location: return "/crm/accounts/summary";
    case SyncEntity::Contact: return "/crm/contacts/summary";
    case SyncEntity::Configuration: return "/servicedesk/hardwareasset/searchselect";
  }
  return "";
}

bool pulls_incrementally(SyncEntity e) { return e == SyncEntity::Organization || e == SyncEntity::Contact; }

void add_communication_items(json& contact) {
  json items = json::array();
  auto text = [](const json& item, const char* key) {
    auto it = item.find(key);
    return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto flag = [](const json& item) {
    auto it = item.find("isDefault");
    return it != item.end() && it->is_boolean() && it->get<bool>();
  };
  if (auto emails = contact.find("emails"); emails != contact.end() && emails->is_array())
    for (const auto& e : *emails) {
      if (!e.is_object() || text(e, "emailAddress").empty()) continue;
      items.push_back({{"communicationType", "Email"},
                       {"type", {{"name", text(e, "emailType")}}},
                       {"value", text(e, "emailAddress")},
                       {"defaultFlag", flag(e)}});
    }
  if (auto phones = contact.find("phones"); phones != contact.end() && phones->is_array())
    for (const auto& p : *phones) {
      if (!p.is_object() || text(p, "phone").empty()) continue;
      const std::string type = text(p, "phoneType");
      items.push_back({{"communicationType", type == "Fax" ? "Fax" : "Phone"},
                       {"type", {{"name", type}}},
                       {"value", text(p, "phone")},
                       {"defaultFlag", flag(p)}});
    }
  contact["~communicationItems"] = std::move(items);
}

}  // namespace cairn::psa::bms
