// D15: which attributes of a synced record are the PSA's.
#include <gtest/gtest.h>

#include "sync/read_only.h"

using cairn::core::SyncEntity;
using cairn::sync::read_only_reason;

TEST(ReadOnlyFields, TwoWayOff_EveryMappedAttributeIsThePsas) {
  auto why = read_only_reason("connectwise", SyncEntity::Organization, "name", false);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("name comes from ConnectWise Manage and two-way sync is off"), std::string::npos) << *why;
  EXPECT_TRUE(read_only_reason("autotask", SyncEntity::Configuration, "serial_number", false));
  EXPECT_TRUE(read_only_reason("autotask", SyncEntity::Contact, "contact_phones", false));
}

TEST(ReadOnlyFields, CairnOnlyAttributesAreAlwaysEditable) {
  EXPECT_FALSE(read_only_reason("connectwise", SyncEntity::Organization, "quick_notes", false));
  EXPECT_FALSE(read_only_reason("connectwise", SyncEntity::Organization, "alert", false));
  // Autotask maps no MAC address (§2.2): it stays Cairn's even on a synced configuration.
  EXPECT_FALSE(read_only_reason("autotask", SyncEntity::Configuration, "mac_address", false));
  EXPECT_TRUE(read_only_reason("connectwise", SyncEntity::Configuration, "mac_address", false));
}

TEST(ReadOnlyFields, TwoWayOn_OnlyOneWayAttributesStayThePsas) {
  EXPECT_FALSE(read_only_reason("connectwise", SyncEntity::Organization, "name", true));
  auto phone = read_only_reason("connectwise", SyncEntity::Location, "phone", true);
  ASSERT_TRUE(phone);
  EXPECT_NE(phone->find("one-way"), std::string::npos) << *phone;
  // Autotask location phones are two-way.
  EXPECT_FALSE(read_only_reason("autotask", SyncEntity::Location, "phone", true));
}

TEST(ReadOnlyFields, KindsWithoutAConnectorRestrictNothing) {
  EXPECT_FALSE(read_only_reason("halo", SyncEntity::Organization, "name", false));
}

TEST(ReadOnlyFields, D6_TigerpawSyncsOneWaySoEveryMappedFieldIsReadOnly) {
  auto why = read_only_reason("tigerpaw", SyncEntity::Organization, "name", false);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("comes from Tigerpaw only"), std::string::npos) << *why;
  EXPECT_TRUE(read_only_reason("tigerpaw", SyncEntity::Location, "fax", false));
  EXPECT_FALSE(read_only_reason("tigerpaw", SyncEntity::Organization, "quick_notes", false));  // Cairn's own
}

TEST(ReadOnlyFields, D15_KaseyaV2TwoWayOff_EveryMappedAttributeIsThePsas) {
  for (const char* kind : {"bms", "pulseway"}) {
    SCOPED_TRACE(kind);
    auto why = read_only_reason(kind, SyncEntity::Contact, "first_name", false);
    ASSERT_TRUE(why);
    EXPECT_NE(why->find(std::string("first-name comes from ") + (kind == std::string("bms") ? "Kaseya BMS" : "Pulseway PSA") +
                        " and two-way sync is off"),
              std::string::npos)
        << *why;
    EXPECT_TRUE(read_only_reason(kind, SyncEntity::Contact, "contact_emails", false));
    EXPECT_TRUE(read_only_reason(kind, SyncEntity::Location, "phone", false));
    EXPECT_TRUE(read_only_reason(kind, SyncEntity::Configuration, "mac_address", false));
    EXPECT_FALSE(read_only_reason(kind, SyncEntity::Configuration, "hostname", false));  // Cairn's own
  }
}

TEST(ReadOnlyFields, D15_KaseyaV2TwoWayOn_EveryMappedAttributeIsTwoWay) {
  // §2.3 and §2.4 mark every row ⇄, location phone and fax too (unlike ConnectWise sites).
  for (const char* kind : {"bms", "pulseway"}) {
    SCOPED_TRACE(kind);
    for (const char* a : {"name", "short_name", "organization_type_id", "parent_id"})
      EXPECT_FALSE(read_only_reason(kind, SyncEntity::Organization, a, true)) << a;
    for (const char* a : {"phone", "fax", "address_1", "country_id", "primary"})
      EXPECT_FALSE(read_only_reason(kind, SyncEntity::Location, a, true)) << a;
    for (const char* a : {"first_name", "important", "contact_emails", "contact_phones", "location_id"})
      EXPECT_FALSE(read_only_reason(kind, SyncEntity::Contact, a, true)) << a;
    for (const char* a : {"name", "serial_number", "mac_address", "warranty_expires_at", "manufacturer_id"})
      EXPECT_FALSE(read_only_reason(kind, SyncEntity::Configuration, a, true)) << a;
  }
}
