// The World as Autotask wire records: picklists, Autotask's field types, the product split of
// manufacturer and model, and the entity descriptions the emulator runs on.
#include <gtest/gtest.h>

#include <set>

#include "sim/autotask/entities.h"
#include "sim/autotask/seed.h"
#include "sim/world.h"

using namespace cairn::sim;
using namespace cairn::sim::autotask;

TEST(AutotaskSeed, CompaniesCarryPicklistIntegersAndBooleanIsActive) {
  const World w = make_demo_world(1);
  const Tables t = seed_tables(w, "api@x.example");
  const auto& companies = t.by_entity.at("Companies");
  ASSERT_EQ(companies.size(), w.companies.size() + 1);  // + company 0, the MSP itself (T16)
  for (const auto& c : w.companies) {
    const auto& r = companies.at(c.id);
    EXPECT_EQ(r["companyName"], c.name);
    EXPECT_EQ(r["companyType"], c.type_id);
    EXPECT_TRUE(t.company_types.count(r["companyType"].get<std::int64_t>()));
    EXPECT_TRUE(r["isActive"].is_boolean());
    if (c.deleted) {
      EXPECT_EQ(r["isActive"], false) << c.name;
    }
    EXPECT_TRUE(t.by_entity.at("Resources").count(r["ownerResourceID"].get<std::int64_t>()));
  }
  EXPECT_EQ(t.company_types.size(), w.company_types.size());
  EXPECT_EQ(t.classifications.size(), w.company_statuses.size());
}

TEST(AutotaskSeed, ContactsUseIntegerIsActiveAndEveryFieldIsPresent) {
  const World w = make_demo_world(1);
  const Tables t = seed_tables(w, "api@x.example");
  const auto* def = find_entity("contacts");
  ASSERT_NE(def, nullptr);
  for (const auto& [id, r] : t.by_entity.at("Contacts")) {
    EXPECT_TRUE(r["isActive"] == 0 || r["isActive"] == 1) << r;
    for (const auto& f : def->fields) EXPECT_TRUE(r.contains(f.name)) << f.name;
  }
}

TEST(AutotaskSeed, ConfigurationItemsReferenceProductsAndSomeHaveNoReferenceTitle) {
  const World w = make_demo_world(1);
  const Tables t = seed_tables(w, "api@x.example");
  const auto& cis = t.by_entity.at("ConfigurationItems");
  const auto& products = t.by_entity.at("Products");
  ASSERT_EQ(cis.size(), w.configurations.size());
  std::size_t untitled = 0;
  for (const auto& [id, r] : cis) {
    ASSERT_TRUE(products.count(r["productID"].get<std::int64_t>())) << r;
    if (r["referenceTitle"].is_null()) ++untitled;
  }
  EXPECT_GT(untitled, 0u);
  EXPECT_LT(untitled, cis.size());
  std::set<std::string> names;
  for (const auto& [id, p] : products) names.insert(p["name"].get<std::string>());
  EXPECT_EQ(names.size(), products.size());  // one Product per manufacturer and model
}

TEST(AutotaskSeed, TheApiUserIsAResourceOfItsOwn) {
  const Tables t = seed_tables(make_demo_world(1), "api@x.example");
  const auto& r = t.by_entity.at("Resources").at(t.api_resource_id);
  EXPECT_EQ(r["userName"], "api@x.example");
}

TEST(AutotaskEntities, ChildRoutesAndCaseInsensitiveLookup) {
  const auto* companies = find_entity("COMPANIES");
  ASSERT_NE(companies, nullptr);
  EXPECT_FALSE(companies->can_delete);
  const auto* contacts = find_child(*companies, "contacts");
  ASSERT_NE(contacts, nullptr);
  EXPECT_EQ(contacts->name, "Contacts");
  const auto* locations = find_child(*companies, "Locations");
  ASSERT_NE(locations, nullptr);
  EXPECT_EQ(locations->name, "CompanyLocations");
  EXPECT_EQ(find_entity("Tickets"), nullptr);
  EXPECT_NE(find_field(*companies, "LASTACTIVITYDATE"), nullptr);
}

TEST(AutotaskSeed, CompanyZeroIsTheMspsOwnActiveCompany) {
  const World w = make_demo_world(1);
  const Tables t = seed_tables(w, "api@x.example", "Own MSP Ltd");
  const auto& own = t.by_entity.at("Companies").at(0);
  EXPECT_EQ(own["id"], 0);
  EXPECT_EQ(own["companyName"], "Own MSP Ltd");
  EXPECT_EQ(own["isActive"], true);
  EXPECT_EQ(own["companyType"], t.default_company_type);
  EXPECT_TRUE(own["lastActivityDate"].is_string());
  for (const auto& [id, c] : t.by_entity.at("Contacts")) EXPECT_NE(c["companyID"], 0);
}
