// The World as Kaseya BMS records: the demo cases a sync must handle survive the conversion.
#include <gtest/gtest.h>

#include "sim/bms/assumptions.h"
#include "sim/bms/seed.h"
#include "sim/world.h"

using namespace cairn::sim;
using namespace cairn::sim::bms;

TEST(BmsSeed, DemoKeepsEveryWorldRecordWithItsCases) {
  const World w = make_demo_world(1);
  const Store s = seed_store(w, 0);
  EXPECT_EQ(s.accounts.size(), w.companies.size());
  EXPECT_EQ(s.locations.size(), w.sites.size());
  EXPECT_EQ(s.contacts.size(), w.contacts.size());
  EXPECT_EQ(s.assets.size(), w.configurations.size());
  EXPECT_EQ(s.account_types.size(), w.company_types.size());
  bool vendor = false, parent = false, multi_mac = false, inactive_contact = false, foreign_contact = false;
  for (const auto& t : s.account_types) vendor = vendor || t.is_vendor;
  for (const auto& [id, a] : s.accounts) {
    parent = parent || a.parent_id != 0;
    ASSERT_FALSE(a.location_ids.empty()) << a.name;
    EXPECT_TRUE(s.locations.at(a.location_ids.front()).is_main) << a.name;  // B14: main first
  }
  for (const auto& [id, c] : s.contacts) inactive_contact = inactive_contact || !c.is_active;
  for (const auto& [id, a] : s.assets) {
    multi_mac = multi_mac || a.mac_address.size() > 17;
    if (a.contact_id) foreign_contact = foreign_contact || s.contacts.at(a.contact_id).account_id != a.account_id;
  }
  EXPECT_TRUE(vendor && parent && multi_mac && inactive_contact && foreign_contact);
}

TEST(BmsSeed, InactiveOrDeletedCompaniesAreInactiveAccounts) {
  const World w = make_demo_world(1);
  const Store s = seed_store(w, 0);
  for (const auto& c : w.companies) {
    bool inactive_status = false;
    for (const auto& st : w.company_statuses)
      if (st.id == c.status_id) inactive_status = st.inactive;
    EXPECT_EQ(s.accounts.at(c.id).is_active, !c.deleted && !inactive_status) << c.name;
  }
}

TEST(BmsSeed, ContactsCarryTypedEmailsAndPhonesWithOneDefault) {
  const World w = make_demo_world(1);
  const Store s = seed_store(w, 0);
  for (const auto& c : w.contacts) {
    const bms::Contact& k = s.contacts.at(c.id);
    ASSERT_EQ(k.emails.size(), c.emails.size());
    ASSERT_EQ(k.phones.size(), c.phones.size());
    if (!k.emails.empty()) {
      EXPECT_TRUE(k.emails[0].is_default);
      EXPECT_EQ(k.emails[0].address, c.emails[0]);
    }
    for (std::size_t i = 0; i < c.phones.size(); ++i)
      if (c.phones[i].kind == Phone::Kind::Fax) {
        EXPECT_EQ(k.phones[i].type_id, 4);
      }
  }
  EXPECT_EQ(s.lookups.at(std::string(assumed::kPhoneTypesTable)).size(), 4u);
}

TEST(BmsSeed, ScaleWorldConvertsAndNextIdsFollowTheSeed) {
  const World w = make_scale_world(500, 3);
  const Store s = seed_store(w, 0);
  EXPECT_EQ(s.assets.size(), 500u);
  EXPECT_EQ(s.next_asset, s.assets.rbegin()->first + 1);
  EXPECT_EQ(s.next_account, s.accounts.rbegin()->first + 1);
}
