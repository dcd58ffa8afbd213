#include "psa/autotask/mapping.h"

#include <set>

namespace cairn::psa::autotask {

using core::SyncEntity;

const Mapping& mapping() {
  using D = Direction;
  using R = Read;
  const auto O = SyncEntity::Organization, L = SyncEntity::Location, C = SyncEntity::Contact, G = SyncEntity::Configuration;
  static const Mapping m = {
      // Organization ⇄ Company (Account)
      {O, "name", "companyName"},
      {O, "short_name", "companyNumber"},
      {O, "organization_type_id", "~companyType", D::TwoWay, R::Types},
      {O, "organization_status_id", "isActive", D::TwoWay, R::Active},
      {O, "parent_id", "parentCompanyID", D::TwoWay, R::Ref, O},
      // Autotask requires a phone of a new company (psa-apis.md §2.9); Cairn's organizations
      // have none, so a create sends its primary location's phone and address. Edits of that
      // location are the location's own pushes, not the company's.
      {O, "primary_location_phone", "phone", D::CairnToPsaOnCreate},
      {O, "primary_location_address_1", "address1", D::CairnToPsaOnCreate},
      {O, "primary_location_city", "city", D::CairnToPsaOnCreate},
      {O, "primary_location_postal_code", "postalCode", D::CairnToPsaOnCreate},
      // Location ⇄ CompanyLocation (phone and fax are two-way here, unlike ConnectWise)
      {L, "name", "name"},
      {L, "address_1", "address1"},
      {L, "address_2", "address2"},
      {L, "city", "city"},
      {L, "region_id", "state", D::TwoWay, R::Lookup},
      {L, "postal_code", "postalCode"},
      {L, "phone", "phone"},
      {L, "fax", "fax"},
      {L, "primary", "isPrimary", D::TwoWay, R::Bool},
      {L, "organization_id", "companyID", D::TwoWay, R::Ref, O},
      // Contact ⇄ Contact: Autotask's fixed slots become labelled rows
      {C, "first_name", "firstName"},
      {C, "last_name", "lastName"},
      {C, "title", "title"},
      {C, "contact_emails", "emailAddress", D::TwoWay, R::EmailSlot, O, "Work"},
      {C, "contact_phones", "phone", D::TwoWay, R::PhoneSlot, O, "Work", "extension"},
      {C, "contact_phones", "mobilePhone", D::TwoWay, R::PhoneSlot, O, "Mobile"},
      {C, "contact_phones", "alternatePhone", D::TwoWay, R::PhoneSlot, O, "Alternate"},
      {C, "contact_phones", "faxNumber", D::TwoWay, R::FaxSlot, O, "Fax"},
      {C, "location_id", "companyLocationID", D::TwoWay, R::Ref, L},
      {C, "organization_id", "companyID", D::TwoWay, R::Ref, O},
      // Configuration ⇄ ConfigurationItem (no MAC, IP or gateway: §2.2; UDFs never)
      {G, "name", "referenceTitle|~productID/name"},
      {G, "asset_tag", "referenceNumber"},
      {G, "contact_id", "contactID", D::TwoWay, R::Ref, C},
      {G, "configuration_status_id", "isActive", D::TwoWay, R::Active},
      {G, "configuration_type_id", "~configurationItemType", D::TwoWay, R::Types},
      {G, "installed_at", "installDate", D::TwoWay, R::Date},
      {G, "installed_by", "~installedByID"},
      {G, "manufacturer_id", "~productID/manufacturerName", D::TwoWay, R::Lookup},
      {G, "model_id", "~productID/manufacturerProductName", D::TwoWay, R::Lookup},
      {G, "notes", "notes"},
      {G, "serial_number", "serialNumber"},
      {G, "warranty_expires_at", "warrantyExpirationDate", D::TwoWay, R::Date},
      {G, "location_id", "companyLocationID", D::TwoWay, R::Ref, L},
      {G, "organization_id", "companyID", D::TwoWay, R::Ref, O},
  };
  return m;
}

const char* entity_path(SyncEntity e) {
  switch (e) {
    case SyncEntity::Organization: return "Companies";
    case SyncEntity::Location: return "CompanyLocations";
    case SyncEntity::Contact: return "Contacts";
    case SyncEntity::Configuration: return "ConfigurationItems";
  }
  return "";
}

const char* modified_field(SyncEntity e) {
  // psa-apis.md §2.4: CompanyLocations carry no modified time, so every pull reads them all.
  switch (e) {
    case SyncEntity::Organization: return "lastTrackedModifiedDateTime";
    case SyncEntity::Location: return "";
    case SyncEntity::Contact: return "lastModifiedDate";
    case SyncEntity::Configuration: return "lastModifiedTime";
  }
  return "";
}

const std::vector<Resolution>& resolutions() {
  static const std::vector<Resolution> r = {
      {"~companyType", "companyType"},
      {"~configurationItemType", "configurationItemType"},
      {"~productID", "productID"},
      {"~installedByID", "installedByID"},
  };
  return r;
}

std::vector<std::string> include_fields(SyncEntity e) {
  std::set<std::string> fields = {"id"};
  if (*modified_field(e)) fields.insert(modified_field(e));
  auto add = [&](std::string path) {
    path = path.substr(0, path.find('/'));
    for (const auto& r : resolutions())
      if (r.member == path) path = r.id_field;
    if (!path.empty()) fields.insert(path);
  };
  for (const auto& row : mapping()) {
    if (row.entity != e || row.direction == Direction::CairnToPsaOnCreate) continue;  // never read
    std::size_t start = 0;
    while (true) {
      std::size_t bar = row.path.find('|', start);
      add(row.path.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    if (!row.extension.empty()) add(row.extension);
  }
  return {fields.begin(), fields.end()};
}

}  // namespace cairn::psa::autotask
