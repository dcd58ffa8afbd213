// Active Directory users to contacts (reference-behaviour §4, D23, R16), pure: skips, labels,
// AD-only data, matching by email then by first + last name, and enrichment that never overwrites.
#include <gtest/gtest.h>

#include "core/ad_contacts.h"

using namespace cairn::core;

namespace {

// 2024-01-01T00:00:00Z as a Windows FILETIME.
constexpr std::int64_t kJan2024 = (1704067200LL + 11644473600LL) * 10'000'000LL;
constexpr std::int64_t kDay = 86400LL * 10'000'000LL;

DirectoryUser user(std::string sam, std::string first, std::string last, std::string mail = "") {
  DirectoryUser u;
  u.account_name = std::move(sam);
  u.dn = "CN=" + u.account_name + ",OU=Staff,DC=example,DC=com";
  u.given_name = std::move(first);
  u.surname = std::move(last);
  u.mail = std::move(mail);
  u.user_account_control = 512;  // NORMAL_ACCOUNT
  return u;
}

KnownContact contact(std::int64_t id, std::string first, std::string last, std::vector<std::string> emails = {}) {
  KnownContact c;
  c.id = id;
  c.first_name = std::move(first);
  c.last_name = std::move(last);
  for (auto& e : emails) c.emails.push_back({std::move(e), "Work", c.emails.empty()});
  return c;
}

std::vector<AdAction> plan(const std::vector<DirectoryUser>& users, std::vector<KnownContact> contacts = {},
                           AdLabels labels = {}) {
  return plan_ad_import(users, ContactIndex(std::move(contacts)), labels, DirectoryPolicy{}, Clock::now());
}

}  // namespace

TEST(AdContacts, Labels_AreAdEmailAndAdPhoneWithoutPsaTypes) {
  AdLabels none = ad_labels(nullptr);
  EXPECT_EQ(none.email, "AD Email");
  EXPECT_EQ(none.phone, "AD Phone");
  SyncSettings unset;
  EXPECT_EQ(ad_labels(&unset).email, "AD Email");
  EXPECT_EQ(ad_labels(&unset).phone, "AD Phone");
}

TEST(AdContacts, Labels_R16_ArePsaTypesTheTwoWaySettingsName) {
  SyncSettings s;
  s.two_way_email_type = "Work";
  s.two_way_phone_type = "Direct";
  EXPECT_EQ(ad_labels(&s).email, "Work");
  EXPECT_EQ(ad_labels(&s).phone, "Direct");
  s.two_way_phone_type = "  ";
  EXPECT_EQ(ad_labels(&s).phone, "AD Phone");
}

TEST(AdContacts, Skip_ComputersAndDisabledAccounts) {
  auto computer = user("WS01$", "", "");
  EXPECT_EQ(skip_reason(computer), "computer account");
  auto classed = user("ws02", "", "");
  classed.is_computer = true;
  EXPECT_EQ(skip_reason(classed), "computer account");
  auto disabled = user("jdoe", "Jane", "Doe", "jane@example.com");
  disabled.user_account_control = 512 | 2;  // ACCOUNTDISABLE
  EXPECT_EQ(skip_reason(disabled), "disabled account");
  auto nameless = user("svc", "", "");
  EXPECT_EQ(skip_reason(nameless), "no first name, last name or email");
  EXPECT_EQ(skip_reason(user("jdoe", "Jane", "Doe")), std::nullopt);
}

TEST(AdContacts, Filetime_ConvertsAndNeverIsNone) {
  EXPECT_EQ(filetime_to_rfc3339(kJan2024), "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(filetime_to_rfc3339(kJan2024 + 5'000'000), "2024-01-01T00:00:00.500Z");
  EXPECT_EQ(filetime_to_rfc3339(0), std::nullopt);
  EXPECT_EQ(filetime_to_rfc3339(0x7FFFFFFFFFFFFFFFLL), std::nullopt);
}

TEST(AdContacts, AdAttributes_StatusLogonAndPasswordExpiry) {
  auto u = user("jdoe", "Jane", "Doe");
  u.last_logon = kJan2024 + kDay;
  u.pwd_last_set = kJan2024;
  DirectoryPolicy policy;
  policy.max_pwd_age = -42 * kDay;  // AD's default: 42 days, stored negative
  auto now = Clock::now();
  auto a = ad_attributes(u, policy, now);
  EXPECT_EQ(a.account_status, "enabled");
  EXPECT_EQ(a.last_logon_at, "2024-01-02T00:00:00.000Z");
  EXPECT_EQ(a.password_last_set_at, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(a.password_expires_at, "2024-02-12T00:00:00.000Z");

  u.user_account_control = 512 | 0x10000;  // DONT_EXPIRE_PASSWORD
  EXPECT_EQ(ad_attributes(u, policy, now).password_expires_at, std::nullopt);
  u.user_account_control = 512 | 0x10;  // LOCKOUT
  EXPECT_EQ(ad_attributes(u, policy, now).account_status, "locked-out");
  u.account_expires = kJan2024;  // in the past
  EXPECT_EQ(ad_attributes(u, policy, now).account_status, "expired");
  EXPECT_EQ(ad_attributes(u, DirectoryPolicy{}, now).password_expires_at, std::nullopt);
}

TEST(AdContacts, NewUser_CreatesContactWithLabelledEmailAndPhones) {
  auto u = user("jdoe", "Jane", "Doe", "jane@example.com");
  u.title = "CFO";
  u.telephone = "+1 (555) 010-0001";
  u.mobile = "+1 555 010 0002";
  auto actions = plan({u});
  ASSERT_EQ(actions.size(), 1u);
  const auto& a = actions[0];
  EXPECT_EQ(a.kind, AdAction::Kind::Create);
  EXPECT_EQ(a.user, "jdoe");
  EXPECT_EQ(a.draft.first_name, "Jane");
  EXPECT_EQ(a.draft.last_name, "Doe");
  EXPECT_EQ(a.draft.title, "CFO");
  ASSERT_EQ(a.draft.emails.size(), 1u);
  EXPECT_EQ(a.draft.emails[0].value, "jane@example.com");
  EXPECT_EQ(a.draft.emails[0].label, "AD Email");
  EXPECT_TRUE(a.draft.emails[0].primary);
  ASSERT_EQ(a.draft.phones.size(), 2u);
  EXPECT_EQ(a.draft.phones[0].value, "+15550100001");
  EXPECT_EQ(a.draft.phones[0].label, "AD Phone");
  EXPECT_TRUE(a.draft.phones[0].primary);
  EXPECT_FALSE(a.draft.phones[1].primary);
  EXPECT_EQ(a.draft.ad.account_status, "enabled");
}

TEST(AdContacts, Match_ByEmailFirst_CaseInsensitive) {
  // The email's owner wins over a contact who merely shares the name.
  auto actions = plan({user("jdoe", "Jane", "Doe", "Jane@Example.com")},
                      {contact(7, "Jane", "Doe", {"other@example.com"}), contact(9, "J.", "Doe", {"jane@example.com"})});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, AdAction::Kind::Enrich);
  EXPECT_EQ(actions[0].contact_id, 9);
  EXPECT_EQ(actions[0].matched_by, "email");
  EXPECT_TRUE(actions[0].draft.emails.empty()) << "the contact has that address already";
}

TEST(AdContacts, Match_ByNameWhenTheEmailDiffers_AddsTheEmail) {
  auto actions = plan({user("jdoe", "Jane", "Doe", "jane@example.com")}, {contact(7, "jane", "DOE", {"jd@old.example"})});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, AdAction::Kind::Enrich);
  EXPECT_EQ(actions[0].contact_id, 7);
  EXPECT_EQ(actions[0].matched_by, "name");
  ASSERT_EQ(actions[0].draft.emails.size(), 1u);
  EXPECT_EQ(actions[0].draft.emails[0].value, "jane@example.com");
  EXPECT_FALSE(actions[0].draft.emails[0].primary) << "the contact's own primary email stays primary";
}

TEST(AdContacts, Enrich_FillsEmptyFieldsAndNeverOverwrites) {
  auto u = user("jdoe", "Jane", "Doe", "jane@example.com");
  u.title = "CFO";
  u.telephone = "555-0100";
  auto titled = contact(7, "Jane", "Doe", {"jane@example.com"});
  titled.title = "Finance chief";
  titled.phones.push_back({"5550100", "Work", true});
  auto kept = plan({u}, {titled});
  ASSERT_EQ(kept[0].kind, AdAction::Kind::Enrich);
  EXPECT_EQ(kept[0].draft.title, std::nullopt);
  EXPECT_EQ(kept[0].draft.first_name, std::nullopt);
  EXPECT_TRUE(kept[0].draft.phones.empty()) << "555-0100 is 5550100 once separators go";

  auto untitled = contact(7, "", "Doe", {"jane@example.com"});
  auto filled = plan({u}, {untitled});
  EXPECT_EQ(filled[0].draft.title, "CFO");
  EXPECT_EQ(filled[0].draft.first_name, "Jane");
  ASSERT_EQ(filled[0].draft.phones.size(), 1u);
  EXPECT_TRUE(filled[0].draft.phones[0].primary) << "the contact had no phone";
}

TEST(AdContacts, Match_AmbiguousNameIsSkippedWithTheReason) {
  auto actions = plan({user("jdoe", "Jane", "Doe")}, {contact(7, "Jane", "Doe"), contact(8, "Jane", "Doe")});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, AdAction::Kind::Skip);
  EXPECT_EQ(actions[0].reason, "2 contacts match by name; none was chosen");
}

TEST(AdContacts, Match_OneContactIsEnrichedByOneUserOnly) {
  auto actions = plan({user("jdoe", "Jane", "Doe", "jane@example.com"), user("jdoe2", "Jane", "Doe", "jane@example.com")},
                      {contact(7, "Jane", "Doe", {"jane@example.com"})});
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].kind, AdAction::Kind::Enrich);
  EXPECT_EQ(actions[1].kind, AdAction::Kind::Skip);
  EXPECT_EQ(actions[1].reason, "contact 7 was already matched by another user of this import");
}

TEST(AdContacts, Create_TwoUsersWithOneEmailMakeOneContact) {
  auto actions = plan({user("a", "Ann", "Lee", "shared@example.com"), user("b", "Bob", "Lee", "shared@example.com"),
                       user("c", "Cy", "Lee", "cy@example.com")});
  EXPECT_EQ(actions[0].kind, AdAction::Kind::Create);
  EXPECT_EQ(actions[1].kind, AdAction::Kind::Skip);
  EXPECT_EQ(actions[1].reason, "another user of this import has the same email");
  EXPECT_EQ(actions[2].kind, AdAction::Kind::Create);
}

TEST(AdContacts, Labels_PsaTypesLabelNewEmailsAndPhones) {
  auto u = user("jdoe", "Jane", "Doe", "jane@example.com");
  u.mobile = "5550199";
  AdLabels psa{"Work", "Mobile"};
  auto actions = plan({u}, {}, psa);
  EXPECT_EQ(actions[0].draft.emails[0].label, "Work");
  EXPECT_EQ(actions[0].draft.phones[0].label, "Mobile");
}

TEST(AdContacts, SkippedUsersKeepTheirOrderAndName) {
  auto disabled = user("old", "Old", "Timer", "old@example.com");
  disabled.user_account_control = 514;
  auto actions = plan({disabled, user("PC1$", "", "")});
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].user, "old");
  EXPECT_EQ(actions[0].reason, "disabled account");
  EXPECT_EQ(actions[1].reason, "computer account");
}
