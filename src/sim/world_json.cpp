#include "sim/world_json.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cairn::sim {

NLOHMANN_JSON_SERIALIZE_ENUM(Phone::Kind, {{Phone::Kind::Work, "work"},
                                           {Phone::Kind::Mobile, "mobile"},
                                           {Phone::Kind::Home, "home"},
                                           {Phone::Kind::Fax, "fax"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Country, id, code, name)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Region, id, country_id, code, name)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CompanyType, id, name, is_default, is_vendor)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CompanyStatus, id, name, is_default, inactive)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ConfigurationType, id, name, inactive)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ConfigurationStatus, id, name, is_default, closed)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ContactType, id, name)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Manufacturer, id, name, inactive)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Technician, id, identifier, first_name, last_name)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Address, line1, line2, city, region_id, zip, country_id)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Company, id, short_name, name, type_id, status_id, parent_id, address,
                                                phone, fax, website, primary_site_id, default_contact_id, deleted,
                                                created, updated)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Site, id, company_id, name, address, phone, phone_ext, fax, primary,
                                                inactive, created, updated)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Phone, kind, number, extension, is_default)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Contact, id, company_id, site_id, first_name, last_name, title, type_id,
                                                inactive, emails, phones, created, updated)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Configuration, id, company_id, type_id, status_id, contact_id, site_id,
                                                manufacturer_id, installed_by, name, serial_number, model, asset_tag,
                                                mac_address, ip_address, default_gateway, os_type, os_info, notes,
                                                purchased, installed, warranty_expires, active, created, updated)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(World, countries, regions, company_types, company_statuses,
                                                configuration_types, configuration_statuses, contact_types,
                                                manufacturers, technicians, companies, sites, contacts, configurations)

std::variant<World, std::string> parse_world_json(const std::string& text) {
  try {
    auto j = nlohmann::json::parse(text);
    if (!j.is_object()) return std::string("a seed file must hold one JSON object of lists");
    return j.get<World>();
  } catch (const nlohmann::json::exception& e) {
    return std::string(e.what());
  }
}

std::variant<World, std::string> read_world_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read seed file " + path;
  std::ostringstream text;
  text << in.rdbuf();
  auto r = parse_world_json(text.str());
  if (auto* err = std::get_if<std::string>(&r)) return "seed file " + path + ": " + *err;
  return r;
}

std::string world_to_json(const World& world) { return nlohmann::json(world).dump(); }

}  // namespace cairn::sim
