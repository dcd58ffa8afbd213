#include "psa/connectwise/mapping.h"

namespace cairn::psa::connectwise {

using core::SyncEntity;

const Mapping& mapping() {
  using D = Direction;
  using R = Read;
  const auto O = SyncEntity::Organization, L = SyncEntity::Location, C = SyncEntity::Contact, G = SyncEntity::Configuration;
  static const Mapping m = {
      // Organization ⇄ Company
      {O, "name", "name"},
      {O, "short_name", "identifier"},
      {O, "organization_type_id", "types[]/name", D::TwoWay, R::Types},
      {O, "organization_status_id", "status/name", D::TwoWay, R::Status},
      {O, "parent_id", "parentCompany/id", D::TwoWay, R::Ref, O},
      // Not an attribute: a deleted company stays readable, flagged (psa-apis.md §1.4).
      {O, "", "deletedFlag", D::PsaToCairn, R::Deleted},
      // Location ⇄ Site (phone and fax come from the PSA only)
      {L, "name", "name"},
      {L, "address_1", "addressLine1"},
      {L, "address_2", "addressLine2"},
      {L, "city", "city"},
      {L, "region_id", "stateReference/name", D::TwoWay, R::Lookup},
      {L, "postal_code", "zip"},
      {L, "country_id", "country/name", D::TwoWay, R::Lookup},
      {L, "phone", "phoneNumber", D::PsaToCairn},
      {L, "fax", "faxNumber", D::PsaToCairn},
      {L, "primary", "primaryAddressFlag", D::TwoWay, R::Bool},
      {L, "organization_id", "company/id", D::TwoWay, R::Ref, O},
      // Contact ⇄ Contact
      {C, "first_name", "firstName"},
      {C, "last_name", "lastName"},
      {C, "title", "title"},
      {C, "contact_type_id", "types/0/name", D::TwoWay, R::Lookup},
      {C, "contact_emails", "communicationItems", D::TwoWay, R::Emails},
      {C, "contact_phones", "communicationItems", D::TwoWay, R::Phones},
      {C, "location_id", "site/id", D::TwoWay, R::Ref, L},
      {C, "organization_id", "company/id", D::TwoWay, R::Ref, O},
      // Configuration ⇄ Configuration (custom fields are never mapped)
      {G, "name", "name"},
      {G, "asset_tag", "tagNumber"},
      {G, "contact_id", "contact/id", D::TwoWay, R::Ref, C},
      {G, "default_gateway", "defaultGateway"},
      {G, "configuration_status_id", "status/name", D::TwoWay, R::Status},
      {G, "configuration_type_id", "type/name", D::TwoWay, R::Types},
      {G, "installed_at", "installationDate", D::TwoWay, R::Date},
      {G, "installed_by", "installedBy/name"},
      {G, "location_id", "site/id", D::TwoWay, R::Ref, L},
      {G, "manufacturer_id", "manufacturer/name", D::TwoWay, R::Lookup},
      {G, "model_id", "modelNumber", D::TwoWay, R::Lookup},
      {G, "notes", "notes"},
      {G, "operating_system_id", "osType", D::TwoWay, R::Lookup},
      {G, "primary_ip", "ipAddress"},
      {G, "purchased_at", "purchaseDate", D::TwoWay, R::Date},
      {G, "serial_number", "serialNumber"},
      {G, "mac_address", "macAddress", D::TwoWay, R::Mac},
      {G, "warranty_expires_at", "warrantyExpirationDate", D::TwoWay, R::Date},
      {G, "organization_id", "company/id", D::TwoWay, R::Ref, O},
  };
  return m;
}

}  // namespace cairn::psa::connectwise
