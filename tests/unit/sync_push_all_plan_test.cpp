// Push-all's plan (R17, D17) over values: link what the PSA already has by the engine's match
// keys, create the rest, skip with the reason what D16 refuses, what is ambiguous and what could
// not be found again on a rerun.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/integrations.h"
#include "sync/push_all.h"
#include "sync/push_all_plan.h"

using namespace cairn;
using core::SyncEntity;
using core::Value;
using sync::PushAllAction;
using sync::PushAllCandidate;
using sync::PushAllKind;

namespace {

core::SyncSettings settings() {
  core::SyncSettings s;
  s.org_types = {"Customer"};
  s.org_statuses = {"Active"};
  s.config_types = {"Managed Server"};
  s.config_statuses = {"Active"};
  s.contacts_sync = true;
  s.two_way = true;
  s.default_account_manager = "Ann Manager";
  return s;
}

// Lookup ids as the store would hold them.
constexpr std::int64_t kCustomer = 1, kProspect = 2, kActive = 3, kServer = 4, kActiveConfig = 5;

PushAllCandidate org(std::int64_t id, const std::string& name, const std::string& type = "Customer") {
  PushAllCandidate c;
  c.entity = SyncEntity::Organization;
  c.id = id;
  c.values = {{"name", Value(name)},
              {"short_name", Value(name.substr(0, 3))},
              {"organization_type_id", Value(type == "Customer" ? kCustomer : kProspect)},
              {"organization_type_name", Value(type)},
              {"organization_status_id", Value(kActive)},
              {"organization_status_name", Value("Active")}};
  return c;
}

PushAllCandidate contact(std::int64_t id, std::int64_t org_id, const std::string& first, const std::string& last) {
  PushAllCandidate c;
  c.entity = SyncEntity::Contact;
  c.id = id;
  c.values = {{"organization_id", Value(org_id)}, {"organization_name", Value("org " + std::to_string(org_id))},
              {"first_name", Value(first)},       {"last_name", Value(last)}};
  return c;
}

PushAllCandidate config(std::int64_t id, std::int64_t org_id, const std::string& name, const std::string& serial = "") {
  PushAllCandidate c;
  c.entity = SyncEntity::Configuration;
  c.id = id;
  c.values = {{"organization_id", Value(org_id)},
              {"configuration_type_id", Value(kServer)},
              {"configuration_type_name", Value("Managed Server")},
              {"configuration_status_id", Value(kActiveConfig)},
              {"configuration_status_name", Value("Active")},
              {"name", name.empty() ? Value() : Value(name)},
              {"serial_number", serial.empty() ? Value() : Value(serial)}};
  return c;
}

core::PsaRecord psa_org(const std::string& psa_id, const std::string& name) {
  core::PsaRecord r;
  r.entity = SyncEntity::Organization;
  r.psa_id = psa_id;
  r.fields["name"] = Value(name);
  r.type_names = {"Customer"};
  r.status_name = "Active";
  return r;
}

core::PsaRecord psa_contact(const std::string& psa_id, const std::string& company, const std::string& first,
                            const std::string& last) {
  core::PsaRecord r;
  r.entity = SyncEntity::Contact;
  r.psa_id = psa_id;
  r.refs["organization_id"] = core::PsaRef{SyncEntity::Organization, company};
  r.fields["first_name"] = Value(first);
  r.fields["last_name"] = Value(last);
  return r;
}

core::PsaRecord psa_config(const std::string& psa_id, const std::string& company, const std::string& name,
                           const std::string& serial = "") {
  core::PsaRecord r;
  r.entity = SyncEntity::Configuration;
  r.psa_id = psa_id;
  r.refs["organization_id"] = core::PsaRef{SyncEntity::Organization, company};
  r.fields["name"] = Value(name);
  if (!serial.empty()) r.fields["serial_number"] = Value(serial);
  r.type_names = {"Managed Server"};
  r.status_name = "Active";
  return r;
}

class PushAllPlan : public ::testing::Test {
 protected:
  PushAllPlan() {
    local.lookups.add("organization_types", "Customer", kCustomer);
    local.lookups.add("organization_types", "Prospect", kProspect);
    local.lookups.add("organization_statuses", "Active", kActive);
    local.lookups.add("configuration_types", "Managed Server", kServer);
    local.lookups.add("configuration_statuses", "Active", kActiveConfig);
  }
  sync::PushAllPlanner planner(const std::string& kind = "connectwise") { return {kind, settings(), local}; }
  void link(SyncEntity e, const std::string& psa_id, std::int64_t local_id) {
    local.links[e][psa_id] = sync::LinkInfo{local_id, "", "syncing", false, false};
  }
  sync::LocalState local;
};

const PushAllAction& of(const std::vector<PushAllAction>& actions, std::int64_t local_id) {
  for (const auto& a : actions)
    if (a.local_id == local_id) return a;
  throw std::runtime_error("no action for " + std::to_string(local_id));
}

}  // namespace

TEST_F(PushAllPlan, D17_OrganizationThePsaHasByNameIsLinked_TheOtherIsCreated) {
  auto p = planner();
  auto actions = p.plan(SyncEntity::Organization, {org(1, "Acme"), org(2, "Globex")}, {psa_org("250", "Acme")});
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(of(actions, 1).kind, PushAllKind::Link);
  EXPECT_EQ(of(actions, 1).psa_id, "250");
  EXPECT_FALSE(of(actions, 1).fingerprint.empty());
  EXPECT_EQ(of(actions, 1).match_key, "name=Acme");
  EXPECT_EQ(of(actions, 2).kind, PushAllKind::Create);
  EXPECT_TRUE(of(actions, 2).psa_id.empty());
}

TEST_F(PushAllPlan, D1_MatchIsExactAfterTrimming_NoFuzzyMatch) {
  auto p = planner();
  auto actions = p.plan(SyncEntity::Organization, {org(1, "  Acme "), org(2, "Globex Inc")},
                        {psa_org("250", "Acme"), psa_org("251", "Globex, Inc.")});
  EXPECT_EQ(of(actions, 1).kind, PushAllKind::Link);
  EXPECT_EQ(of(actions, 2).kind, PushAllKind::Create);
}

TEST_F(PushAllPlan, ChildrenOfALinkedOrPushedCompanyMatchInThatCompanyOnly) {
  auto p = planner();
  link(SyncEntity::Organization, "7", 10);  // linked before this run
  auto orgs = p.plan(SyncEntity::Organization, {org(1, "Acme")}, {psa_org("250", "Acme"), psa_org("7", "Old Co")});
  ASSERT_EQ(of(orgs, 1).kind, PushAllKind::Link);
  auto contacts = p.plan(SyncEntity::Contact,
                         {contact(20, 1, "Ann", "Lee"), contact(21, 10, "Ann", "Lee"), contact(22, 10, "Bob", "Ray")},
                         {psa_contact("900", "250", "Ann", "Lee"), psa_contact("901", "999", "Bob", "Ray")});
  EXPECT_EQ(of(contacts, 20).kind, PushAllKind::Link);  // Ann Lee of Acme: PSA company 250 is Acme's
  EXPECT_EQ(of(contacts, 20).psa_id, "900");
  EXPECT_EQ(of(contacts, 21).kind, PushAllKind::Create);  // same name, another company
  EXPECT_EQ(of(contacts, 22).kind, PushAllKind::Create);  // Bob Ray is under a company that is not Old Co
  auto sorted = p.companies_in_psa();
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"250", "7"}));
}

TEST_F(PushAllPlan, R1_TypeNotEnabled_SkippedWithTheReason_AndSoAreItsChildren) {
  auto p = planner();
  auto orgs = p.plan(SyncEntity::Organization, {org(1, "Lead Co", "Prospect"), org(2, "Acme")}, {});
  EXPECT_EQ(of(orgs, 1).kind, PushAllKind::Skip);
  EXPECT_NE(of(orgs, 1).reason.find("\"Prospect\" is not enabled"), std::string::npos) << of(orgs, 1).reason;
  EXPECT_EQ(of(orgs, 2).kind, PushAllKind::Create);
  auto contacts = p.plan(SyncEntity::Contact, {contact(20, 1, "Ann", "Lee"), contact(21, 2, "Bob", "Ray")}, {});
  EXPECT_EQ(of(contacts, 20).kind, PushAllKind::Skip);
  EXPECT_NE(of(contacts, 20).reason.find("is not in ConnectWise Manage and is not pushed in this run"), std::string::npos)
      << of(contacts, 20).reason;
  EXPECT_NE(of(contacts, 20).reason.find("Prospect"), std::string::npos) << "names the company's own reason";
  EXPECT_EQ(of(contacts, 21).kind, PushAllKind::Create);  // its company is being created in this run
}

TEST_F(PushAllPlan, D16_RequiredFieldMissing_SkippedWithThePsasReason_ButBulkImportsArePushed) {
  auto p = planner("autotask");
  link(SyncEntity::Organization, "250", 1);
  auto no_product = config(30, 1, "srv-01");  // Autotask needs a manufacturer and a model
  auto with_product = config(31, 1, "srv-02");
  with_product.values["manufacturer_id"] = Value(std::int64_t{8});
  with_product.values["model_id"] = Value(std::int64_t{9});
  auto actions = p.plan(SyncEntity::Configuration, {no_product, with_product}, {});
  EXPECT_EQ(of(actions, 30).kind, PushAllKind::Skip);
  EXPECT_NE(of(actions, 30).reason.find("Autotask needs a manufacturer"), std::string::npos) << of(actions, 30).reason;
  // Imported or not, nothing says "bulk" here: push-all is the person's confirmation (R17 over R15).
  EXPECT_EQ(of(actions, 31).kind, PushAllKind::Create);
}

TEST_F(PushAllPlan, D16_RequiredFieldsAreACreates_ACompanyThePsaHasIsLinkedWithoutAPhone) {
  auto p = planner("autotask");
  auto phoned = org(3, "Phoned");
  phoned.values["primary_location_phone"] = Value("+15550100");
  // Neither Acme nor Globex has a primary location with a phone; Autotask has Acme already.
  auto actions = p.plan(SyncEntity::Organization, {org(1, "Acme"), org(2, "Globex"), phoned}, {psa_org("250", "Acme")});
  EXPECT_EQ(of(actions, 1).kind, PushAllKind::Link);
  EXPECT_EQ(of(actions, 1).psa_id, "250");
  EXPECT_EQ(of(actions, 2).kind, PushAllKind::Skip);
  EXPECT_EQ(of(actions, 2).reason,
            "not pushed to Autotask PSA: Autotask needs a company phone: give the organization's primary location a phone");
  EXPECT_EQ(of(actions, 3).kind, PushAllKind::Create);
  // What is under the skipped company is skipped with the company's reason.
  auto children = p.plan(SyncEntity::Contact, {contact(20, 2, "Gail", "Globex")}, {});
  EXPECT_EQ(of(children, 20).kind, PushAllKind::Skip);
  EXPECT_NE(of(children, 20).reason.find("Autotask needs a company phone"), std::string::npos) << of(children, 20).reason;
}

TEST_F(PushAllPlan, TwoPsaRecordsWithTheKey_SkippedAsAmbiguous_NeverCreated) {
  auto p = planner();
  auto actions = p.plan(SyncEntity::Organization, {org(1, "Acme")}, {psa_org("250", "Acme"), psa_org("251", "Acme")});
  EXPECT_EQ(of(actions, 1).kind, PushAllKind::Skip);
  EXPECT_NE(of(actions, 1).reason.find("ambiguous"), std::string::npos);
  EXPECT_NE(of(actions, 1).reason.find("250, 251"), std::string::npos) << of(actions, 1).reason;
}

TEST_F(PushAllPlan, TwoCairnRecordsWithOneKey_BothSkipped_ThePsaCouldNotTellThemApart) {
  auto p = planner();
  auto actions = p.plan(SyncEntity::Organization, {org(1, "Acme"), org(2, "Acme")}, {});
  EXPECT_EQ(of(actions, 1).kind, PushAllKind::Skip);
  EXPECT_EQ(of(actions, 2).kind, PushAllKind::Skip);
  EXPECT_NE(of(actions, 1).reason.find("1, 2"), std::string::npos) << of(actions, 1).reason;
}

TEST_F(PushAllPlan, OnePsaRecordClaimedByTwoCairnRecords_BothSkipped) {
  auto p = planner();
  link(SyncEntity::Organization, "250", 1);
  // Serials differ between the Cairn records, and the PSA's has none: a blank never blocks (D3).
  auto actions = p.plan(SyncEntity::Configuration, {config(30, 1, "srv", "A1"), config(31, 1, "srv", "B2")},
                        {psa_config("700", "250", "srv")});
  EXPECT_EQ(of(actions, 30).kind, PushAllKind::Skip);
  EXPECT_EQ(of(actions, 31).kind, PushAllKind::Skip);
  EXPECT_NE(of(actions, 30).reason.find("700"), std::string::npos) << of(actions, 30).reason;
}

TEST_F(PushAllPlan, D3_SerialComparedOnlyWhereBothHaveOne) {
  auto p = planner();
  link(SyncEntity::Organization, "250", 1);
  auto actions = p.plan(SyncEntity::Configuration, {config(30, 1, "srv-a", "S1"), config(31, 1, "srv-b", "S2")},
                        {psa_config("700", "250", "srv-a"), psa_config("701", "250", "srv-b", "OTHER")});
  EXPECT_EQ(of(actions, 30).kind, PushAllKind::Link);
  EXPECT_EQ(of(actions, 30).psa_id, "700");
  EXPECT_EQ(of(actions, 31).kind, PushAllKind::Create);  // same name, another serial: another device
}

TEST_F(PushAllPlan, BlankMatchKeyPart_SkippedRatherThanRiskADuplicateOnARerun) {
  auto p = planner();
  link(SyncEntity::Organization, "250", 1);
  auto actions = p.plan(SyncEntity::Configuration, {config(30, 1, "")}, {});
  EXPECT_EQ(of(actions, 30).kind, PushAllKind::Skip);
  EXPECT_NE(of(actions, 30).reason.find("name is blank"), std::string::npos) << of(actions, 30).reason;
}

TEST_F(PushAllPlan, PsaRecordLinkedToAnotherCairnRecord_IsNotLinkedAgain) {
  auto p = planner();
  link(SyncEntity::Organization, "250", 5);
  auto actions = p.plan(SyncEntity::Organization, {org(1, "Acme")}, {psa_org("250", "Acme")});
  EXPECT_EQ(of(actions, 1).kind, PushAllKind::Create);
}

TEST_F(PushAllPlan, RecordWithoutOrganization_Skipped) {
  auto p = planner();
  PushAllCandidate c = contact(20, 0, "Ann", "Lee");
  c.values["organization_id"] = Value();
  auto actions = p.plan(SyncEntity::Contact, {c}, {});
  EXPECT_EQ(of(actions, 20).kind, PushAllKind::Skip);
  EXPECT_NE(of(actions, 20).reason.find("no organization"), std::string::npos);
}

TEST_F(PushAllPlan, D16_CreateAlreadyQueuedByASave_SkippedForThePusher_AndItsChildrenWait) {
  auto p = planner();
  auto queued = org(1, "Acme");
  queued.create_queued = true;
  // Even with a match in the PSA: the pusher may be creating it this moment, and links it after.
  auto orgs = p.plan(SyncEntity::Organization, {queued, org(2, "Globex")}, {psa_org("250", "Acme")});
  EXPECT_EQ(of(orgs, 1).kind, PushAllKind::Skip);
  EXPECT_EQ(of(orgs, 1).reason, "a create is already queued for it (cairn outbox list)");
  EXPECT_EQ(of(orgs, 2).kind, PushAllKind::Create);
  auto contacts = p.plan(SyncEntity::Contact, {contact(20, 1, "Ann", "Lee"), contact(21, 2, "Bob", "Ray")}, {});
  EXPECT_EQ(of(contacts, 20).kind, PushAllKind::Skip);
  EXPECT_NE(of(contacts, 20).reason.find("(a create is already queued for it"), std::string::npos) << of(contacts, 20).reason;
  EXPECT_EQ(of(contacts, 21).kind, PushAllKind::Create);
}

TEST_F(PushAllPlan, FindInPsa_OneRecordsLookup_ExactMatchesNobodyIsLinkedTo) {
  auto p = planner();
  link(SyncEntity::Organization, "250", 5);  // another Cairn record's
  const std::vector<core::PsaRecord> orgs = {psa_org("250", "Acme"), psa_org("251", " Acme "), psa_org("252", "Acme Inc")};
  EXPECT_EQ(p.find_in_psa(SyncEntity::Organization, org(1, "Acme"), orgs), (std::vector<size_t>{1}));
  EXPECT_TRUE(p.find_in_psa(SyncEntity::Organization, org(1, "Globex"), orgs).empty());
  // Two in the PSA: both, for the caller to call ambiguous.
  EXPECT_EQ(p.find_in_psa(SyncEntity::Organization, org(1, "Acme"), {psa_org("260", "Acme"), psa_org("261", "Acme")}),
            (std::vector<size_t>{0, 1}));
  // A contact in its own company only.
  link(SyncEntity::Organization, "300", 1);
  const std::vector<core::PsaRecord> contacts = {psa_contact("900", "250", "Ann", "Lee"), psa_contact("901", "300", "Ann", "Lee")};
  EXPECT_EQ(p.find_in_psa(SyncEntity::Contact, contact(20, 1, "Ann", "Lee"), contacts), (std::vector<size_t>{1}));
}

TEST_F(PushAllPlan, Totals_CountEachKindPerEntity) {
  auto p = planner();
  auto actions = p.plan(SyncEntity::Organization, {org(1, "Acme"), org(2, "Globex"), org(3, "Lead", "Prospect")},
                        {psa_org("250", "Acme")});
  sync::PushAllTotals totals;
  sync::add_totals(totals, actions);
  EXPECT_EQ(totals["organization"]["link"], 1);
  EXPECT_EQ(totals["organization"]["create"], 1);
  EXPECT_EQ(totals["organization"]["skip"], 1);
}

TEST(PushAllRefusal, D13_TwoWayOff_Tigerpaw_AndPaused_AreRefusedWithTheReason) {
  store::Integration i;
  i.id = 3;
  i.kind = "connectwise";
  i.settings = settings();
  EXPECT_FALSE(sync::push_all_refusal(i));
  i.settings.two_way = false;
  ASSERT_TRUE(sync::push_all_refusal(i));
  EXPECT_NE(sync::push_all_refusal(i)->find("two-way sync is off for integration 3"), std::string::npos);
  i.settings.two_way = true;
  i.state = store::IntegrationState::Paused;
  ASSERT_TRUE(sync::push_all_refusal(i));
  EXPECT_NE(sync::push_all_refusal(i)->find("paused"), std::string::npos);
  i.state = store::IntegrationState::Active;
  i.kind = "tigerpaw";
  ASSERT_TRUE(sync::push_all_refusal(i));
  EXPECT_NE(sync::push_all_refusal(i)->find("Tigerpaw has no push-all"), std::string::npos) << *sync::push_all_refusal(i);
}

TEST(PushAllProgress, EtaFromTheRateSoFar) {
  sync::PushAllProgress p;
  EXPECT_LT(p.eta_seconds(), 0);
  p.done = 25;
  p.total = 100;
  p.seconds = 10;
  EXPECT_DOUBLE_EQ(p.rate(), 2.5);
  EXPECT_DOUBLE_EQ(p.eta_seconds(), 30);
}
