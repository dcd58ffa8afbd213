#include "psa/create_requirements.h"

namespace cairn::psa {

const std::vector<CreateRequirement>& create_requirements() {
  using E = core::SyncEntity;
  using F = CreateRequirement::From;
  static const std::vector<CreateRequirement> rows = {
      // ConnectWise: a configuration needs its type and status (S20); a company its identifier and status.
      {"connectwise", E::Configuration, F::Attribute, "configuration_type_id", "ConnectWise needs a configuration type"},
      {"connectwise", E::Configuration, F::Attribute, "configuration_status_id", "ConnectWise needs a configuration status"},
      {"connectwise", E::Organization, F::Attribute, "short_name", "ConnectWise needs a short name (its company identifier)"},
      {"connectwise", E::Organization, F::Attribute, "organization_status_id", "ConnectWise needs an organization status"},
      {"connectwise", E::Organization, F::Attribute, "organization_type_id", "ConnectWise needs an organization type"},
      {"connectwise", E::Contact, F::Attribute, "first_name", "ConnectWise needs a first name"},
      // Autotask: CIs hang off a product (manufacturer + model); new companies need an owner that
      // API users cannot be, hence the integration's default account manager (S5, S10).
      {"autotask", E::Configuration, F::Attribute, "manufacturer_id", "Autotask needs a manufacturer"},
      {"autotask", E::Configuration, F::Attribute, "model_id", "Autotask needs a model"},
      {"autotask", E::Configuration, F::Attribute, "configuration_status_id", "Autotask needs a status (Active or Inactive)"},
      {"autotask", E::Organization, F::Attribute, "organization_type_id", "Autotask needs an organization type"},
      {"autotask", E::Organization, F::Setting, "default_account_manager",
       "Autotask needs a default account manager in the integration's two-way settings"},
      // ... and a phone (psa-apis.md §2.9), which an organization has only through its primary location.
      {"autotask", E::Organization, F::Attribute, "primary_location_phone",
       "Autotask needs a company phone: give the organization's primary location a phone"},
      {"autotask", E::Contact, F::Attribute, "first_name", "Autotask needs a first name"},
      {"autotask", E::Contact, F::Attribute, "last_name", "Autotask needs a last name"},
      // Kaseya BMS: contacts need a primary email, a primary phone and a location (S25), and
      // with no email type chosen no contact is pushed at all (R16's exception, S10); the V2
      // API needs a first and last name (B18).
      {"bms", E::Contact, F::Attribute, "contact_emails", "Kaseya BMS needs a primary email"},
      {"bms", E::Contact, F::Attribute, "contact_phones", "Kaseya BMS needs a primary phone"},
      {"bms", E::Contact, F::Attribute, "location_id", "Kaseya BMS needs a location"},
      {"bms", E::Contact, F::Setting, "two_way_email_type", "Kaseya BMS needs an email type in the two-way settings (R16)"},
      {"bms", E::Contact, F::Attribute, "first_name", "Kaseya BMS needs a first name"},
      {"bms", E::Contact, F::Attribute, "last_name", "Kaseya BMS needs a last name"},
      // The V2 platform's creates (psa-apis.md §3.3, B18): an account needs its type and an
      // account manager (the integration's default account manager); an asset its category
      // and its account location.
      {"bms", E::Organization, F::Attribute, "organization_type_id", "Kaseya BMS needs an organization type (its account type)"},
      {"bms", E::Organization, F::Setting, "default_account_manager",
       "Kaseya BMS needs a default account manager in the integration's two-way settings"},
      {"bms", E::Configuration, F::Attribute, "configuration_type_id", "Kaseya BMS needs a configuration type (its asset category)"},
      {"bms", E::Configuration, F::Attribute, "location_id", "Kaseya BMS needs a location (the asset's account location)"},
      // Pulseway PSA: the same platform and API (§2.4), without BMS's contact rules: a contact
      // with no email or phone type chosen is pushed without them (R16).
      {"pulseway", E::Contact, F::Attribute, "first_name", "Pulseway PSA needs a first name"},
      {"pulseway", E::Contact, F::Attribute, "last_name", "Pulseway PSA needs a last name"},
      {"pulseway", E::Organization, F::Attribute, "organization_type_id", "Pulseway PSA needs an organization type (its account type)"},
      {"pulseway", E::Organization, F::Setting, "default_account_manager",
       "Pulseway PSA needs a default account manager in the integration's two-way settings"},
      {"pulseway", E::Configuration, F::Attribute, "configuration_type_id",
       "Pulseway PSA needs a configuration type (its asset category)"},
      {"pulseway", E::Configuration, F::Attribute, "location_id", "Pulseway PSA needs a location (the asset's account location)"},
  };
  return rows;
}

}  // namespace cairn::psa
