// The seam for pushing Active Directory contacts (R15, R16, reference-behaviour §4): a contact
// qualifies only with two-way on and a primary email and phone labelled with the PSA's types;
// Kaseya BMS also needs a location.
#include <gtest/gtest.h>

#include "core/ad_push.h"

using namespace cairn::core;

namespace {

SyncSettings two_way(std::string email_type = "Work", std::string phone_type = "Direct") {
  SyncSettings s;
  s.two_way = true;
  s.two_way_email_type = std::move(email_type);
  s.two_way_phone_type = std::move(phone_type);
  return s;
}

PushCandidate candidate(const SyncSettings& s, std::string kind = "connectwise") {
  PushCandidate c;
  c.psa_kind = std::move(kind);
  c.settings = &s;
  c.primary_email_label = "Work";
  c.primary_phone_label = "Direct";
  return c;
}

}  // namespace

TEST(AdPush, Qualifies_WithPsaTypedEmailAndPhone) {
  auto s = two_way();
  auto d = ad_contact_push_decision(candidate(s));
  EXPECT_TRUE(d.qualifies) << d.reason;
  EXPECT_EQ(d.reason, "");
}

TEST(AdPush, NotWithoutIntegrationOrTwoWay) {
  PushCandidate none;
  EXPECT_EQ(ad_contact_push_decision(none).reason, "the organization has no PSA integration");
  auto s = two_way();
  s.two_way = false;
  EXPECT_EQ(ad_contact_push_decision(candidate(s)).reason, "two-way sync is off");
  auto t = two_way();
  auto c = candidate(t, "tigerpaw");
  c.psa_two_way_capable = false;
  EXPECT_EQ(ad_contact_push_decision(c).reason, "tigerpaw syncs one way only");
}

TEST(AdPush, R16_AdLabelsAreNoPsaTypes) {
  auto s = two_way();
  auto c = candidate(s);
  c.primary_email_label = "AD Email";
  EXPECT_FALSE(ad_contact_push_decision(c).qualifies);
  EXPECT_EQ(ad_contact_push_decision(c).reason, "the primary email's label \"AD Email\" is not the PSA email type \"Work\"");
  auto untyped = two_way("", "Direct");
  EXPECT_EQ(ad_contact_push_decision(candidate(untyped)).reason, "the two-way settings name no PSA email type");
  auto no_phone_type = two_way("Work", "");
  EXPECT_EQ(ad_contact_push_decision(candidate(no_phone_type)).reason, "the two-way settings name no PSA phone type");
}

TEST(AdPush, NeedsPrimaryEmailAndPhone) {
  auto s = two_way();
  auto c = candidate(s);
  c.primary_email_label = "";
  EXPECT_EQ(ad_contact_push_decision(c).reason, "no primary email");
  c = candidate(s);
  c.primary_phone_label = "";
  EXPECT_EQ(ad_contact_push_decision(c).reason, "no primary phone");
}

TEST(AdPush, Bms_NeedsALocation) {
  auto s = two_way();
  auto c = candidate(s, "bms");
  EXPECT_EQ(ad_contact_push_decision(c).reason, "Kaseya BMS needs a location");
  c.has_location = true;
  EXPECT_TRUE(ad_contact_push_decision(c).qualifies);
  auto other = candidate(s, "autotask");
  EXPECT_TRUE(ad_contact_push_decision(other).qualifies) << "only BMS needs a location";
}
