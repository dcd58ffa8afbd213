#include "cli/demo_data.h"

#include <soci/soci.h>

#include <map>
#include <stdexcept>

#include "store/documents.h"

namespace cairn::cli {
namespace {

struct Seeder {
  store::Documents& docs;
  store::Actor actor{"demo-seed", std::nullopt};

  std::int64_t add(const std::string& type, const std::vector<std::pair<std::string, core::Value>>& fields) {
    const auto& e = core::entity(type);
    store::Changes c;
    for (const auto& [name, value] : fields) {
      const core::Field* f = e.field(name);
      if (!f) throw std::logic_error("demo data names unknown field " + name);
      c.emplace_back(f, value);
    }
    auto r = docs.create(e, c, actor);
    if (!r) throw std::logic_error("demo data refused: " + r.error().detail);
    return r.value();
  }
  std::map<std::string, std::int64_t> lookups(const std::string& type, std::initializer_list<const char*> names) {
    std::map<std::string, std::int64_t> ids;
    for (const char* n : names) ids[n] = add(type, {{"name", core::Value(n)}});
    return ids;
  }
};

}  // namespace

bool seed_demo_data(store::Database& db) {
  soci::session s(db.pool());
  long long orgs = 0;
  s << "SELECT COUNT(*) FROM organizations", soci::into(orgs);
  if (orgs > 0) return false;
  store::Transaction tx(s, db.dialect());
  store::Documents docs(s, db.dialect());
  Seeder seed{docs};

  auto org_types = seed.lookups("organization_types", {"Customer", "Prospect", "Vendor", "Internal"});
  auto org_statuses = seed.lookups("organization_statuses", {"Active", "Inactive"});
  auto cfg_types = seed.lookups("configuration_types", {"Server", "Workstation", "Firewall", "Switch", "Printer"});
  auto cfg_statuses = seed.lookups("configuration_statuses", {"Active", "Inactive"});
  auto contact_types = seed.lookups("contact_types", {"Approver", "Champion", "Decision Maker", "End User"});
  auto makers = seed.lookups("manufacturers", {"Dell", "HP", "Cisco", "Ubiquiti", "Lenovo"});
  auto os = seed.lookups("operating_systems", {"Windows Server 2022", "Windows 11 Pro", "Ubuntu 22.04"});
  auto usa = seed.add("countries", {{"name", core::Value("United States")}, {"iso", core::Value("US")}});
  auto il = seed.add("regions", {{"name", core::Value("Illinois")}, {"iso", core::Value("IL")}, {"country_id", core::Value(usa)}});
  auto r740 = seed.add("models", {{"name", core::Value("PowerEdge R740")}, {"manufacturer_id", core::Value(makers["Dell"])}});

  auto msp = seed.add("organizations", {{"name", core::Value("Northwind IT")},
                                        {"organization_type_id", core::Value(org_types["Internal"])},
                                        {"organization_status_id", core::Value(org_statuses["Active"])},
                                        {"short_name", core::Value("NWIT")},
                                        {"primary", core::Value(true)}});
  (void)msp;
  struct Client {
    const char* name;
    const char* short_name;
    const char* type;
    const char* city;
  };
  const Client clients[] = {{"Acme Manufacturing", "ACME", "Customer", "Chicago"},
                            {"Blue Harbor Dental", "BHD", "Customer", "Evanston"},
                            {"Cedar Law Group", "CLG", "Customer", "Naperville"},
                            {"Delta Freight", "DELTA", "Prospect", "Joliet"},
                            {"Evergreen Clinic", "EVG", "Customer", "Aurora"}};
  int n = 0;
  for (const auto& cl : clients) {
    ++n;
    auto org = seed.add("organizations", {{"name", core::Value(cl.name)},
                                          {"organization_type_id", core::Value(org_types[cl.type])},
                                          {"organization_status_id", core::Value(org_statuses["Active"])},
                                          {"short_name", core::Value(cl.short_name)},
                                          {"quick_notes", core::Value("After-hours line: ext. 9")}});
    auto hq = seed.add("locations", {{"organization_id", core::Value(org)},
                                     {"name", core::Value("Head Office")},
                                     {"primary", core::Value(true)},
                                     {"address_1", core::Value(std::to_string(100 + n) + " Main Street")},
                                     {"city", core::Value(cl.city)},
                                     {"postal_code", core::Value("606" + std::to_string(10 + n))},
                                     {"region_id", core::Value(il)},
                                     {"country_id", core::Value(usa)},
                                     {"phone", core::Value("312-555-01" + std::to_string(10 + n))}});
    std::string domain = std::string(cl.short_name) + ".example";
    for (auto& c : domain) c = static_cast<char>(std::tolower(c));
    auto owner = seed.add(
        "contacts",
        {{"organization_id", core::Value(org)},
         {"first_name", core::Value(n % 2 ? "Maria" : "James")},
         {"last_name", core::Value(n % 2 ? "Garcia" : "Chen")},
         {"title", core::Value("Office Manager")},
         {"contact_type_id", core::Value(contact_types["Approver"])},
         {"location_id", core::Value(hq)},
         {"important", core::Value(true)},
         {"contact_emails", core::Value(core::Rows{{core::Value("office@" + domain), core::Value("Work"), core::Value(true)}})},
         {"contact_phones", core::Value(core::Rows{{core::Value("3125550100"), core::Value("2" + std::to_string(n)),
                                                    core::Value("Work"), core::Value("phone"), core::Value(true)}})}});
    seed.add("contacts", {{"organization_id", core::Value(org)},
                          {"first_name", core::Value("Sam")},
                          {"last_name", core::Value("Patel")},
                          {"title", core::Value("Bookkeeper")},
                          {"contact_type_id", core::Value(contact_types["End User"])},
                          {"contact_emails", core::Value(core::Rows{{core::Value("sam@" + domain), core::Value("Work"), core::Value(true)}})}});
    seed.add("configurations", {{"organization_id", core::Value(org)},
                                {"name", core::Value(std::string(cl.short_name) + "-DC01")},
                                {"configuration_type_id", core::Value(cfg_types["Server"])},
                                {"configuration_status_id", core::Value(cfg_statuses["Active"])},
                                {"manufacturer_id", core::Value(makers["Dell"])},
                                {"model_id", core::Value(r740)},
                                {"operating_system_id", core::Value(os["Windows Server 2022"])},
                                {"location_id", core::Value(hq)},
                                {"contact_id", core::Value(owner)},
                                {"hostname", core::Value(std::string(cl.short_name) + "-dc01")},
                                {"primary_ip", core::Value("10.0." + std::to_string(n) + ".10")},
                                {"mac_address", core::Value("00:1A:2B:3C:4D:" + std::to_string(10 + n))},
                                {"serial_number", core::Value("SRV" + std::to_string(1000 + n))},
                                {"warranty_expires_at", core::Value("2027-06-30")}});
    seed.add("configurations", {{"organization_id", core::Value(org)},
                                {"name", core::Value(std::string(cl.short_name) + "-FW")},
                                {"configuration_type_id", core::Value(cfg_types["Firewall"])},
                                {"configuration_status_id", core::Value(cfg_statuses["Active"])},
                                {"manufacturer_id", core::Value(makers["Ubiquiti"])},
                                {"location_id", core::Value(hq)},
                                {"primary_ip", core::Value("10.0." + std::to_string(n) + ".1")},
                                {"serial_number", core::Value("FW" + std::to_string(2000 + n))}});
    for (int w = 1; w <= 3; ++w)
      seed.add("configurations", {{"organization_id", core::Value(org)},
                                  {"name", core::Value(std::string(cl.short_name) + "-WS0" + std::to_string(w))},
                                  {"configuration_type_id", core::Value(cfg_types["Workstation"])},
                                  {"configuration_status_id", core::Value(cfg_statuses[w == 3 ? "Inactive" : "Active"])},
                                  {"manufacturer_id", core::Value(makers["Lenovo"])},
                                  {"operating_system_id", core::Value(os["Windows 11 Pro"])},
                                  {"serial_number", core::Value("WS" + std::to_string(3000 + n * 10 + w))}});
  }
  tx.commit();
  return true;
}

}  // namespace cairn::cli
