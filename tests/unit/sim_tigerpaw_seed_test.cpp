// The World as Tigerpaw records (assumption P15): accounts with master-table types and statuses,
// active and inactive contacts, phone locations with extensions and faxes, derived addresses.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/tigerpaw/records.h"
#include "sim/tigerpaw/seed.h"
#include "sim/world.h"

using namespace cairn::sim;
using namespace cairn::sim::tigerpaw;

TEST(TigerpawSeed, AccountsCarryMasterTableTypesStatusesAndParents) {
  const World w = make_demo_world(1);
  const Store s = seed_store(w);
  ASSERT_EQ(s.accounts.size(), w.companies.size());
  EXPECT_EQ(s.account_types.size(), w.company_types.size());
  EXPECT_EQ(s.account_statuses.size(), w.company_statuses.size());
  for (const auto& c : w.companies) {
    const Account& a = s.accounts.at(c.id);
    EXPECT_EQ(a.name, c.name);
    EXPECT_EQ(a.account_id, c.short_name);
    EXPECT_NE(Store::find_value(s.account_types, a.type), nullptr) << a.type;
    EXPECT_NE(Store::find_value(s.account_statuses, a.status), nullptr) << a.status;
    EXPECT_EQ(a.parent, c.parent_id);
    ASSERT_NE(primary_phone(a.phones), nullptr);
    EXPECT_EQ(primary_phone(a.phones)->number, c.phone);
    ASSERT_NE(primary_fax(a.phones), nullptr);
    EXPECT_EQ(primary_fax(a.phones)->number, c.fax);
    EXPECT_EQ(s.contacts_of.at(c.id).size(),
              static_cast<std::size_t>(std::count_if(w.contacts.begin(), w.contacts.end(),
                                                     [&](const cairn::sim::Contact& k) { return k.company_id == c.id; })));
  }
}

TEST(TigerpawSeed, ContactsKeepInactiveFlagsExtensionsAndFaxes) {
  const World w = make_demo_world(1);
  const Store s = seed_store(w);
  ASSERT_EQ(s.contacts.size(), w.contacts.size());
  bool inactive = false, extension = false, fax = false;
  for (const auto& c : w.contacts) {
    const tigerpaw::Contact& k = s.contacts.at(c.id);
    EXPECT_EQ(k.inactive, c.inactive);
    inactive = inactive || k.inactive;
    EXPECT_EQ(k.emails.size(), c.emails.size());
    if (!k.emails.empty()) {
      EXPECT_TRUE(k.emails.front().is_primary);
    }
    for (const auto& p : c.phones) {
      if (p.kind == Phone::Kind::Work && !p.extension.empty()) {
        extension = true;
        EXPECT_EQ(primary_phone(k.phones)->location, "Ext. " + p.extension);
      }
      if (p.kind == Phone::Kind::Fax) {
        fax = true;
        ASSERT_NE(primary_fax(k.phones), nullptr);
        EXPECT_EQ(primary_fax(k.phones)->number, p.number);
      }
    }
    EXPECT_FALSE(k.address1.empty());  // from the contact's site
  }
  EXPECT_TRUE(inactive && extension && fax);
}

TEST(TigerpawSeed, ScaleWorldsSeedQuickly) {
  const World w = make_scale_world(5000, 3);
  const Store s = seed_store(w);
  EXPECT_EQ(s.accounts.size(), w.companies.size());
  EXPECT_EQ(s.contacts.size(), w.contacts.size());
}
