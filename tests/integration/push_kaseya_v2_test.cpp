// Two-way sync over HTTP against the Kaseya V2 platform emulators, Kaseya BMS and Pulseway PSA,
// on SQLite and PostgreSQL: push on save with only the changed members sent (D14), a contact's
// e-mails and phones through their PATCH sub-resources, locations through V1, assets PUT whole,
// no echo (R18), an outage then recovery delivering an edit exactly once, read-only fields (D15),
// and creates with BMS's contact rules (D16, §2.3, R16) and Pulseway's (§2.4).
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <set>
#include <thread>
#include <tuple>

#include "integration/sim_bms_harness.h"
#include "integration/sync_harness.h"
#include "psa/bms/platform.h"
#include "psa/pulseway/platform.h"
#include "sim/pulseway/options.h"
#include "store/integrations.h"
#include "store/secrets.h"
#include "support/api_harness.h"
#include "sync/connectors.h"
#include "sync/engine.h"
#include "sync/pusher.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

using Param = std::tuple<Backend, std::string>;  // database, PSA kind

json doc(const std::string& type, const json& attributes) { return {{"data", {{"type", type}, {"attributes", attributes}}}}; }

class PushKaseyaV2 : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(backend());
    setenv("CAIRN_MASTER_KEY", test::kTestMasterKey, 1);
    sim = std::make_unique<test::KaseyaSim>(pulseway() ? sim::pulseway::default_options() : sim::bms::Options{});
    sim->login();
    api = std::make_unique<test::ApiHarness>(backend());
    auto key = store::master_key_for(api->db());
    ASSERT_TRUE(key.ok()) << key.error().detail;
    soci::session s(api->db().pool());
    store::Integrations integrations(s, api->db().dialect(), key.value());
    auto created = integrations.create(input(), {"test", std::nullopt}, "");
    ASSERT_TRUE(created.ok()) << created.error().detail;
    integration = created.value();
    options.poll = std::chrono::milliseconds(50);
    options.backoff = {std::chrono::milliseconds(20), std::chrono::milliseconds(100)};
    ASSERT_EQ(sync().state, "done");
    sim->server().requests().reset();
  }

  Backend backend() const { return std::get<0>(GetParam()); }
  bool pulseway() const { return std::get<1>(GetParam()) == "pulseway"; }
  std::string product() const { return pulseway() ? "Pulseway PSA" : "Kaseya BMS"; }

  store::IntegrationInput input() {
    store::IntegrationInput in;
    in.kind = std::get<1>(GetParam());
    in.name = "Two-way " + product();
    in.base_url = sim->base_url();
    in.credentials = {{"username", sim->options().username}, {"password", sim->options().password},
                      {"tenant", sim->options().tenant}};
    core::SyncSettings settings;
    settings.org_types = {"Customer"};
    settings.org_statuses = {"Active"};
    settings.config_types = {"Managed Server", "Managed Workstation", "Firewall"};
    settings.config_statuses = {"Active"};
    settings.contacts_sync = true;
    settings.two_way = true;
    settings.two_way_email_type = "Work";  // R16: the emulator's email and phone types (B15)
    settings.two_way_phone_type = "Mobile";
    in.settings = settings;
    return in;
  }

  // A full pull through make_source, as `cairn sync` builds it.
  sync::RunReport sync() {
    auto source = sync::make_source(integration);
    sync::RunOptions o;
    o.full = true;
    return sync::run_sync(api->db(), integration, *source, o);
  }
  long long count(const std::string& sql) { return test::SyncHarness::count(api->db(), sql); }
  std::string text(const std::string& sql) {
    auto v = test::SyncHarness::text(api->db(), sql);
    return v == "(null)" ? "" : v;
  }
  // Every documentation row, link, outbox row and audit row, without the sync log (a pull records its run).
  std::string documentation() {
    std::string all = api->snapshot();
    auto from = all.find("== sync_runs\n");
    if (from == std::string::npos) return all;
    auto to = all.find("== ", from + 3);
    return all.erase(from, to == std::string::npos ? std::string::npos : to - from);
  }
  std::string psa_id_of(const std::string& entity, const std::string& local_id) {
    return text("SELECT psa_id FROM psa_links WHERE entity = '" + entity + "' AND local_id = " + local_id);
  }
  // A linked location and its organization, both in the PSA: (location local id, organization local id).
  std::pair<std::string, std::string> linked_location() {
    const std::string location =
        text("SELECT CAST(MIN(local_id) AS TEXT) FROM psa_links WHERE entity = 'location' AND state = 'syncing'");
    return {location, text("SELECT CAST(organization_id AS TEXT) FROM locations WHERE id = " + location)};
  }
  std::string linked_contact() {
    return text("SELECT CAST(MIN(local_id) AS TEXT) FROM psa_links WHERE entity = 'contact' AND state = 'syncing'");
  }
  json attributes(const std::string& type, const std::string& id) { return api->attributes(type, id); }
  test::Reply patch(const std::string& type, const std::string& id, const json& attrs) {
    return api->patch("/" + type + "/" + id, doc(type, attrs));
  }
  bool push_state_becomes(const std::string& type, const std::string& id, const std::string& state) {
    return api->push_state_becomes(type, id, state);
  }
  void set_settings(const json& settings) {
    auto r = api->patch("/integrations/" + std::to_string(integration.id),
                        {{"data", {{"type", "integrations"}, {"attributes", {{"settings", settings}}}}}});
    ASSERT_EQ(r.status, 200) << r.raw;
  }
  // The writes that reached the PSA's data: the request log without the logins (V2 and V1).
  std::vector<sim::LoggedWrite> data_writes() {
    std::vector<sim::LoggedWrite> out;
    for (auto& w : sim->server().requests().writes())
      if (w.target.rfind("/v2/security/", 0) != 0 && w.target.rfind("/api/token", 0) != 0) out.push_back(w);
    return out;
  }
  // The JSON Patch paths of one logged write.
  static std::set<std::string> paths_of(const sim::LoggedWrite& w) {
    std::set<std::string> out;
    for (const auto& op : json::parse(w.body)) out.insert(op["path"].get<std::string>());
    return out;
  }
  json contact_in_psa(const std::string& psa_id) {
    auto r = sim->get("/crm/contacts/summary/" + psa_id);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body["result"];
  }
  // A contact with everything BMS asks for (§2.3) in a linked organization, at a linked location.
  json complete_contact(const std::string& first, const std::string& org, const std::string& location) {
    return {{"organization-id", std::stoll(org)},
            {"first-name", first},
            {"last-name", "Pushed"},
            {"location-id", std::stoll(location)},
            {"contact-emails", json::array({{{"value", first + "@example.test"}, {"primary", true}}})},
            {"contact-phones", json::array({{{"value", "+1 555 0100"}, {"primary", true}}})}};
  }

  std::unique_ptr<test::KaseyaSim> sim;
  std::unique_ptr<test::ApiHarness> api;
  store::Integration integration;
  sync::PusherOptions options;
};

TEST_P(PushKaseyaV2, D14_EditReachesThePsaInOneCycle_OnlyTheChangedMembersSent_R18_NoEcho) {
  const std::string contact = linked_contact();
  ASSERT_FALSE(contact.empty());
  const std::string psa_contact = psa_id_of("contact", contact);
  const std::string org = text("SELECT CAST(organization_id AS TEXT) FROM contacts WHERE id = " + contact);
  const std::string psa_account = psa_id_of("organization", org);
  auto r = patch("contacts", contact, {{"title", "Chief Pusher"}, {"first-name", "Renamed"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["data"]["attributes"]["psa-push-state"], "pending");
  ASSERT_EQ(patch("organizations", org, {{"name", "Renamed In Cairn Ltd"}}).status, 200);
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 2);

  json in_psa = contact_in_psa(psa_contact);
  EXPECT_EQ(in_psa["firstName"], "Renamed");
  EXPECT_EQ(in_psa["jobTitle"], "Chief Pusher");
  EXPECT_EQ(sim->get("/crm/accounts/summary/" + psa_account).body["result"]["accountName"], "Renamed In Cairn Ltd");
  // One JSON Patch each, of exactly the members that changed.
  auto contact_writes = sim->server().requests().writes("PATCH", "/v2/crm/contacts/" + psa_contact);
  ASSERT_EQ(contact_writes.size(), 1u);
  EXPECT_EQ(paths_of(contact_writes[0]), (std::set<std::string>{"/firstName", "/jobTitle"}));
  auto account_writes = sim->server().requests().writes("PATCH", "/v2/crm/accounts/" + psa_account);
  ASSERT_EQ(account_writes.size(), 1u);
  EXPECT_EQ(paths_of(account_writes[0]), (std::set<std::string>{"/accountName"}));
  EXPECT_EQ(data_writes().size(), 2u);
  EXPECT_EQ(attributes("contacts", contact)["psa-push-state"], "pushed");
  EXPECT_EQ(attributes("organizations", org)["psa-push-state"], "pushed");

  // R18: the next pull brings the pushed values back and changes nothing, pushes nothing.
  const auto before = documentation();
  const auto outbox_rows = count("SELECT COUNT(*) FROM outbox");
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(documentation(), before);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), outbox_rows);
  EXPECT_EQ(pusher.run_due(), 0);
  EXPECT_EQ(data_writes().size(), 2u);
}

TEST_P(PushKaseyaV2, D14_ContactEmailsAndPhonesGoThroughTheirPatchSubResources) {
  const std::string contact = linked_contact();
  const std::string psa_contact = psa_id_of("contact", contact);
  json before = contact_in_psa(psa_contact);
  // Keep what the contact has (as the pull brought it), and add one e-mail and one phone.
  json now = attributes("contacts", contact);
  json emails = now["contact-emails"].is_array() ? now["contact-emails"] : json::array();
  json phones = now["contact-phones"].is_array() ? now["contact-phones"] : json::array();
  emails.push_back({{"value", "second@example.test"}, {"primary", false}});
  phones.push_back({{"value", "+1 555 0177"}, {"primary", false}});
  ASSERT_EQ(patch("contacts", contact, {{"contact-emails", emails}, {"contact-phones", phones}}).status, 200);
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  EXPECT_EQ(attributes("contacts", contact)["psa-push-state"], "pushed");
  json after = contact_in_psa(psa_contact);
  ASSERT_EQ(after["emails"].size(), before["emails"].size() + 1);
  EXPECT_EQ(after["emails"].back()["emailAddress"], "second@example.test");
  EXPECT_EQ(after["emails"].back()["emailType"], "Work");  // R16: the integration's email type
  ASSERT_EQ(after["phones"].size(), before["phones"].size() + 1);
  EXPECT_EQ(after["phones"].back()["phone"], "+15550177");  // as Cairn keeps it (separators stripped)
  EXPECT_EQ(after["phones"].back()["phoneType"], "Mobile");  // R16: the integration's phone type
  // Only the new items were sent: one add each, nothing to the contact itself.
  auto e = sim->server().requests().writes("PATCH", "/v2/crm/contacts/" + psa_contact + "/emails");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(json::parse(e[0].body),
            json::parse(R"([{"Operation":0,"EmailAddress":"second@example.test","TypeId":1,"IsDefault":false}])"));
  EXPECT_EQ(sim->server().requests().writes("PATCH", "/v2/crm/contacts/" + psa_contact + "/phones").size(), 1u);
  EXPECT_EQ(data_writes().size(), 2u);
  const auto snapshot = documentation();
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(documentation(), snapshot);
}

TEST_P(PushKaseyaV2, D14_LocationsGoThroughV1_AssetsArePutWhole) {
  auto [location, org] = linked_location();
  ASSERT_FALSE(location.empty());
  const std::string psa_location = psa_id_of("location", location);
  const std::string psa_account = psa_id_of("organization", org);
  ASSERT_EQ(patch("locations", location, {{"city", "Pushville"}, {"phone", "+1 555 0142"}}).status, 200);
  // One with a location: V2's PUT needs the asset's account location (B18).
  const std::string config = text(
      "SELECT CAST(MIN(l.local_id) AS TEXT) FROM psa_links l JOIN configurations g ON g.id = l.local_id "
      "WHERE l.entity = 'configuration' AND l.state = 'syncing' AND g.location_id IS NOT NULL");
  ASSERT_FALSE(config.empty());
  const std::string psa_asset = psa_id_of("configuration", config);
  ASSERT_EQ(patch("configurations", config, {{"serial-number", "SN-PUSHED-1"}}).status, 200);
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 2);
  EXPECT_EQ(attributes("locations", location)["psa-push-state"], "pushed") << attributes("locations", location).dump();
  EXPECT_EQ(attributes("configurations", config)["psa-push-state"], "pushed") << attributes("configurations", config).dump();
  json l = sim->get("/crm/accounts/" + psa_account + "/locations/" + psa_location).body["result"];
  EXPECT_EQ(l["addresses"][0]["city"], "Pushville");
  EXPECT_EQ(l["addresses"][0]["phone"], "+15550142");  // two-way on this platform (§2.3)
  EXPECT_EQ(sim->server().requests().writes("PUT", "/api/crm/locations/" + psa_location).size(), 1u);
  EXPECT_EQ(sim->get("/servicedesk/hardwareasset/" + psa_asset).body["result"]["serialNumber"], "SN-PUSHED-1");
  EXPECT_EQ(sim->server().requests().writes("PUT", "/v2/servicedesk/hardwareasset/" + psa_asset).size(), 1u);
  const auto before = documentation();
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(documentation(), before);
}

TEST_P(PushKaseyaV2, D14_OutageThenRestartThenPsaBack_EditArrivesExactlyOnce) {
  const std::string contact = linked_contact();
  const std::string psa_contact = psa_id_of("contact", contact);
  sim->server().faults().set({.fail_rate = 1.0});
  ASSERT_EQ(patch("contacts", contact, {{"title", "Through The Outage"}}).status, 200);
  {
    sync::Pusher first(api->db(), options);
    first.start();
    ASSERT_TRUE(push_state_becomes("contacts", contact, "failed"));
    first.stop();  // Cairn goes down while the PSA is still out
  }
  json a = attributes("contacts", contact);
  EXPECT_NE(a["psa-push-error"].get<std::string>().find(product() + " answered 500"), std::string::npos) << a.dump();
  EXPECT_TRUE(sim->server().requests().writes("PATCH").empty());  // nothing reached the data
  sim->server().faults().set({});
  sync::Pusher second(api->db(), options);  // Cairn again, then the PSA back
  second.start();
  ASSERT_TRUE(push_state_becomes("contacts", contact, "pushed"));
  second.stop();
  EXPECT_EQ(contact_in_psa(psa_contact)["jobTitle"], "Through The Outage");
  EXPECT_EQ(sim->server().requests().writes("PATCH", "/v2/crm/contacts/").size(), 1u);
  const auto before = documentation();
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(documentation(), before);
}

TEST_P(PushKaseyaV2, D16_CompleteContactIsCreatedWithItsEmailAndPhone_AndLinked) {
  auto [location, org] = linked_location();
  const std::string id = std::to_string(api->create("contacts", complete_contact("Ada", org, location)));
  EXPECT_EQ(attributes("contacts", id)["psa-push-state"], "pending");
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  json a = attributes("contacts", id);
  ASSERT_EQ(a["psa-push-state"], "pushed") << a.dump();
  ASSERT_TRUE(a["psa-id"].is_string()) << a.dump();
  json c = contact_in_psa(a["psa-id"].get<std::string>());
  EXPECT_EQ(c["firstName"], "Ada");
  EXPECT_EQ(std::to_string(c["accountId"].get<std::int64_t>()), psa_id_of("organization", org));
  EXPECT_EQ(std::to_string(c["locationId"].get<std::int64_t>()), psa_id_of("location", location));
  ASSERT_EQ(c["emails"].size(), 1u);
  EXPECT_EQ(c["emails"][0]["emailAddress"], "Ada@example.test");
  EXPECT_EQ(c["emails"][0]["emailType"], "Work");
  EXPECT_EQ(c["emails"][0]["isDefault"], true);
  ASSERT_EQ(c["phones"].size(), 1u);
  EXPECT_EQ(c["phones"][0]["phone"], "+15550100");
  EXPECT_EQ(c["phones"][0]["phoneType"], "Mobile");
  EXPECT_EQ(sim->server().requests().writes("POST", "/v2/crm/contacts/summary").size(), 1u);
  // Linked: the next pull changes nothing, creates no duplicate, pushes nothing.
  const auto before = documentation();
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(documentation(), before);
  EXPECT_EQ(pusher.run_due(), 0);
  EXPECT_EQ(data_writes().size(), 1u);
}

TEST_P(PushKaseyaV2, D16_BmsContactRules_EachMissingRequirementKeepsItLocalWithTheReason) {
  if (pulseway()) GTEST_SKIP() << "BMS's own rules (§2.3); Pulseway's are the next test";
  auto [location, org] = linked_location();
  auto reason_of = [&](json attrs) {
    const std::string id = std::to_string(api->create("contacts", attrs));
    json a = attributes("contacts", id);
    EXPECT_EQ(a["psa-push-state"], "not-pushed") << a.dump();
    return a["psa-push-error"].is_string() ? a["psa-push-error"].get<std::string>() : std::string();
  };
  json no_email = complete_contact("NoEmail", org, location);
  no_email.erase("contact-emails");
  EXPECT_EQ(reason_of(no_email), "not pushed to Kaseya BMS: Kaseya BMS needs a primary email");
  json no_phone = complete_contact("NoPhone", org, location);
  no_phone.erase("contact-phones");
  EXPECT_EQ(reason_of(no_phone), "not pushed to Kaseya BMS: Kaseya BMS needs a primary phone");
  json no_location = complete_contact("NoLocation", org, location);
  no_location.erase("location-id");
  EXPECT_EQ(reason_of(no_location), "not pushed to Kaseya BMS: Kaseya BMS needs a location");
  // R16's exception: no email type chosen, no contact push at all, however complete.
  set_settings({{"two-way-email-type", ""}});
  EXPECT_EQ(reason_of(complete_contact("NoType", org, location)),
            "not pushed to Kaseya BMS: Kaseya BMS needs an email type in the two-way settings (R16)");
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 0);
  EXPECT_TRUE(data_writes().empty());
}

TEST_P(PushKaseyaV2, D16_PulsewayContactWithoutEmailTypeIsPushedWithoutItsEmails) {
  if (!pulseway()) GTEST_SKIP() << "Pulseway's rules (§2.4, R16); BMS's are the previous test";
  auto [location, org] = linked_location();
  set_settings({{"two-way-email-type", ""}, {"two-way-phone-type", ""}});
  json bare = {{"organization-id", std::stoll(org)}, {"first-name", "Bare"}, {"last-name", "Contact"}};
  const std::string plain = std::to_string(api->create("contacts", bare));
  const std::string typed = std::to_string(api->create("contacts", complete_contact("Typed", org, location)));
  json no_last = {{"organization-id", std::stoll(org)}, {"first-name", "Cher"}};
  const std::string refused = std::to_string(api->create("contacts", no_last));
  EXPECT_EQ(attributes("contacts", refused)["psa-push-error"], "not pushed to Pulseway PSA: Pulseway PSA needs a last name");
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 2);
  json p = attributes("contacts", plain);
  ASSERT_EQ(p["psa-push-state"], "pushed") << p.dump();
  EXPECT_EQ(contact_in_psa(p["psa-id"].get<std::string>())["lastName"], "Contact");
  json t = attributes("contacts", typed);
  ASSERT_EQ(t["psa-push-state"], "pushed") << t.dump();
  // R16: no type chosen, so the e-mail and phone are not sent (their labels name no type).
  EXPECT_TRUE(contact_in_psa(t["psa-id"].get<std::string>())["emails"].empty());
  EXPECT_TRUE(contact_in_psa(t["psa-id"].get<std::string>())["phones"].empty());
}

TEST_P(PushKaseyaV2, D16_OrganizationGetsItsManagerAndAMainLocation_ThenALocationGoesThroughV1) {
  json employees = sim->get("/system/lookup/Employees").body["result"];
  ASSERT_FALSE(employees.empty());
  const std::int64_t manager = employees[0]["id"].get<std::int64_t>();
  const std::string customer = text("SELECT CAST(id AS TEXT) FROM organization_types WHERE name = 'Customer'");
  const std::string active = text("SELECT CAST(id AS TEXT) FROM organization_statuses WHERE name = 'Active'");
  json attrs = {{"name", "Made In Cairn Ltd"}, {"short-name", "MICL"}, {"organization-type-id", std::stoll(customer)},
                {"organization-status-id", std::stoll(active)}};
  const std::string without = std::to_string(api->create("organizations", attrs));
  EXPECT_EQ(attributes("organizations", without)["psa-push-error"],
            "not pushed to " + product() + ": " + product() + " needs a default account manager in the integration's two-way settings");
  set_settings({{"default-account-manager", std::to_string(manager)}});
  attrs["name"] = "Managed In Cairn Ltd";
  const std::string org = std::to_string(api->create("organizations", attrs));
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  json o = attributes("organizations", org);
  ASSERT_EQ(o["psa-push-state"], "pushed") << o.dump();
  const std::string account = o["psa-id"].get<std::string>();
  json a = sim->get("/crm/accounts/summary/" + account).body["result"];
  EXPECT_EQ(a["accountName"], "Managed In Cairn Ltd");
  EXPECT_EQ(a["accountCode"], "MICL");
  EXPECT_EQ(a["accountType"], "Customer");
  EXPECT_EQ(a["accountManagerId"], manager);
  EXPECT_EQ(a["isActive"], true);
  ASSERT_EQ(a["locations"].size(), 1u);
  EXPECT_EQ(a["locations"][0]["locationName"], "Main");
  // A location made in Cairn for it goes through V1, under the account.
  const std::string location = std::to_string(api->create(
      "locations", {{"organization-id", std::stoll(org)}, {"name", "Branch"}, {"city", "Leeds"}, {"address-1", "2 Lane"}}));
  EXPECT_EQ(pusher.run_due(), 1);
  json l = attributes("locations", location);
  ASSERT_EQ(l["psa-push-state"], "pushed") << l.dump();
  json in_psa = sim->get("/crm/accounts/" + account + "/locations/" + l["psa-id"].get<std::string>()).body["result"];
  EXPECT_EQ(in_psa["locationName"], "Branch");
  EXPECT_EQ(in_psa["addresses"][0]["city"], "Leeds");
  EXPECT_EQ(sim->server().requests().writes("POST", "/api/crm/locations").size(), 1u);
}

TEST_P(PushKaseyaV2, D15_TwoWayOff_MappedFieldsAreReadOnly_CairnOnlyFieldsStayEditable) {
  set_settings({{"two-way", false}});
  const std::string contact = linked_contact();
  auto r = patch("contacts", contact, {{"first-name", "Refused"}});
  ASSERT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["errors"][0]["source"]["pointer"], "/data/attributes/first-name");
  EXPECT_NE(r.body["errors"][0]["detail"].get<std::string>().find(product()), std::string::npos) << r.raw;
  auto [location, org] = linked_location();
  r = patch("locations", location, {{"phone", "+1 555 0111"}});
  ASSERT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["errors"][0]["source"]["pointer"], "/data/attributes/phone");
  const std::string config =
      text("SELECT CAST(MIN(local_id) AS TEXT) FROM psa_links WHERE entity = 'configuration' AND state = 'syncing'");
  ASSERT_EQ(patch("configurations", config, {{"hostname", "cairn-only"}}).status, 200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PushKaseyaV2,
                         ::testing::Combine(::testing::Values(Backend::Sqlite, Backend::Postgres),
                                            ::testing::Values(std::string("bms"), std::string("pulseway"))),
                         [](const auto& info) {
                           return test::backend_name(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
                         });

}  // namespace
