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
      {"autotask", E::Contact, F::Attribute, "first_name", "Autotask needs a first name"},
      {"autotask", E::Contact, F::Attribute, "last_name", "Autotask needs a last name"},
      // Kaseya BMS: contacts need a primary email, a primary phone and a location (S7).
      {"bms", E::Contact, F::Attribute, "contact_emails", "Kaseya BMS needs a primary email"},
      {"bms", E::Contact, F::Attribute, "contact_phones", "Kaseya BMS needs a primary phone"},
      {"bms", E::Contact, F::Attribute, "location_id", "Kaseya BMS needs a location"},
      {"bms", E::Contact, F::Setting, "two_way_email_type", "Kaseya BMS needs an email type in the two-way settings (R16)"},
  };
  return rows;
}

}  // namespace cairn::psa
