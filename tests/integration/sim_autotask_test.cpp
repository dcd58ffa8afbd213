// The Autotask emulator over real HTTP: zone lookup, header auth, JSON queries and cursor
// paging, reads and writes with Autotask's rules and error bodies, the request and thread
// thresholds, signed webhooks, and the public npm client `@apigrate/autotask-restapi`
// (tests/fidelity/autotask/) driving it unmodified.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "sim/autotask/emulator.h"
#include "sim/registry.h"
#include "sim_harness.h"
#include "support/npm_fidelity.h"

using namespace cairn;
using nlohmann::json;
using test::AtSim;
using test::SimReply;

namespace {

// Percent-encodes a query parameter value (the JSON of ?search=).
std::string encode(const std::string& s) {
  static const char* hexd = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hexd[c >> 4];
      out += hexd[c & 15];
    }
  }
  return out;
}

const json kAll = {{"filter", json::array({{{"op", "exist"}, {"field", "id"}}})}};

std::vector<std::int64_t> ids_of(const json& items) {
  std::vector<std::int64_t> ids;
  for (const auto& r : items) ids.push_back(r["id"].get<std::int64_t>());
  return ids;
}

json new_company(const std::string& name) {
  return {{"companyName", name}, {"companyType", 1}, {"phone", "555-0100"}, {"ownerResourceID", 1}};
}

}  // namespace

TEST(AutotaskSimZone, ZoneInformationNeedsNoAuthAndPointsAtTheEmulator) {
  AtSim sim;
  auto r = sim.raw("GET", "/atservicesrest/v1.0/zoneInformation?user=" + sim.options().username, "", {});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["url"], sim.base_url() + "/atservicesrest/");
  EXPECT_TRUE(r.body["zoneName"].is_string());
  EXPECT_TRUE(r.body["webUrl"].is_string());
  EXPECT_TRUE(r.body["ci"].is_number_integer());
  auto unknown = sim.raw("GET", "/atservicesrest/v1.0/zoneInformation?user=nobody@example.com", "", {});
  EXPECT_EQ(unknown.status, 500);
  EXPECT_TRUE(unknown.body["errors"].is_array());
}

TEST(AutotaskSimAuth, WrongSecretOrNoHeadersGet401WithErrorsBody) {
  AtSim sim;
  httplib::Headers wrong = {{"ApiIntegrationCode", sim.options().integration_code},
                            {"UserName", sim.options().username},
                            {"Secret", "nope"}};
  auto r = sim.raw("GET", "/atservicesrest/v1.0/Companies/1", "", wrong);
  EXPECT_EQ(r.status, 401);
  ASSERT_TRUE(r.body["errors"].is_array()) << r.raw;
  EXPECT_EQ(r.body["errors"].size(), 1u);
  EXPECT_EQ(sim.raw("GET", "/atservicesrest/v1.0/Companies/1", "", {}).status, 401);
}

TEST(AutotaskSimAuth, UnknownUserOrIntegrationCodeGet500AsAutotaskDoes) {
  AtSim sim;
  httplib::Headers user = {{"ApiIntegrationCode", sim.options().integration_code},
                           {"UserName", "someone@else.example"},
                           {"Secret", sim.options().secret}};
  EXPECT_EQ(sim.raw("GET", "/atservicesrest/v1.0/Companies/1", "", user).status, 500);
  httplib::Headers code = {{"ApiIntegrationCode", "WRONG"}, {"UserName", sim.options().username}, {"Secret", sim.options().secret}};
  auto r = sim.raw("GET", "/atservicesrest/v1.0/Companies/1", "", code);
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(r.body["errors"].is_array());
}

TEST(AutotaskSimAuth, PathsAndHeaderNamesAreCaseInsensitive) {
  AtSim sim;
  httplib::Headers h = {{"apiintegrationcode", sim.options().integration_code},
                        {"username", sim.options().username},
                        {"secret", sim.options().secret}};
  auto r = sim.raw("GET", "/ATServicesRest/V1.0/companies/1", "", h);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["item"]["id"], 1);
}

TEST(AutotaskSimQuery, PostQueryAppliesNestedOrAndFiltersOrderedById) {
  AtSim sim;
  // Companies in Buffalo or Toronto, and active.
  json q = {{"filter",
             {{{"op", "or"},
               {"items",
                {{{"op", "eq"}, {"field", "city"}, {"value", "Buffalo"}},
                 {{"op", "beginsWith"}, {"field", "companyName"}, {"value", "contoso"}}}}},
              {{"op", "eq"}, {"field", "isActive"}, {"value", true}}}}};
  auto r = sim.post("/Companies/query", q);
  ASSERT_EQ(r.status, 200) << r.raw;
  std::vector<std::int64_t> expected;
  for (const auto& c : sim.world().companies) {
    const bool inactive = c.deleted || c.status_id == 2;
    if ((c.address.city == "Buffalo" || c.name.rfind("Contoso", 0) == 0) && !inactive) expected.push_back(c.id);
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(ids_of(r.body["items"]), expected);
  EXPECT_EQ(r.body["pageDetails"]["count"], expected.size());
  EXPECT_TRUE(r.body["pageDetails"]["nextPageUrl"].is_null());

  json in = {{"filter", {{{"op", "in"}, {"field", "id"}, {"value", {2, 4, 6}}}, {{"op", "noteq"}, {"field", "id"}, {"value", 4}}}}};
  EXPECT_EQ(ids_of(sim.post("/Companies/query", in).body["items"]), (std::vector<std::int64_t>{2, 6}));
}

TEST(AutotaskSimQuery, GetQueryTakesTheSearchParameterAndIncludeFields) {
  AtSim sim;
  json q = {{"IncludeFields", {"companyName"}}, {"filter", {{{"op", "lt"}, {"field", "id"}, {"value", 3}}}}};
  auto r = sim.get("/Companies/query?search=" + encode(q.dump()));
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["items"].size(), 3u);  // ids 0 (the MSP itself, T16), 1 and 2
  for (const auto& item : r.body["items"]) {
    EXPECT_EQ(item.size(), 2u) << item;  // id is always kept
    EXPECT_TRUE(item.contains("companyName"));
  }
}

TEST(AutotaskSimQuery, BadQueriesAnswer500WithErrors) {
  AtSim sim;
  auto unknown = sim.post("/Companies/query", {{"filter", {{{"op", "eq"}, {"field", "nosuch"}, {"value", 1}}}}});
  EXPECT_EQ(unknown.status, 500);
  EXPECT_TRUE(unknown.body["errors"].is_array()) << unknown.raw;
  auto big = sim.post("/Companies/query", {{"MaxRecords", 501}, {"filter", kAll["filter"]}});
  EXPECT_EQ(big.status, 500);
  EXPECT_EQ(sim.get("/Companies/query").status, 500);
}

TEST(AutotaskSimQuery, CountAnswersQueryCount) {
  AtSim sim;
  auto r = sim.post("/Contacts/query/count", kAll);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["queryCount"], sim.world().contacts.size());
  auto g = sim.get("/Contacts/query/count?search=" +
                   encode(json{{"filter", {{{"op", "eq"}, {"field", "isActive"}, {"value", 0}}}}}.dump()));
  std::size_t inactive = 0;
  for (const auto& c : sim.world().contacts) inactive += c.inactive;
  EXPECT_EQ(g.body["queryCount"], inactive);
}

TEST(AutotaskSimPaging, PostStartedQueryContinuesByPostToTheEnd) {
  AtSim sim({}, sim::make_scale_world(120, 7));
  json q = {{"MaxRecords", 50}, {"filter", kAll["filter"]}};
  auto r = sim.post("/ConfigurationItems/query", q);
  ASSERT_EQ(r.status, 200) << r.raw;
  std::vector<std::int64_t> all = ids_of(r.body["items"]);
  EXPECT_EQ(r.body["pageDetails"]["requestCount"], 50);
  EXPECT_TRUE(r.body["pageDetails"]["prevPageUrl"].is_null());
  int pages = 1;
  std::string next = r.body["pageDetails"]["nextPageUrl"].is_string() ? r.body["pageDetails"]["nextPageUrl"].get<std::string>() : "";
  ASSERT_NE(next.find("/ConfigurationItems/query/next?paging="), std::string::npos) << next;
  EXPECT_NE(next.find("&search="), std::string::npos);
  // The same URL by GET is refused: POST-started cursors continue by POST.
  EXPECT_EQ(sim.follow("GET", next).status, 405);
  while (!next.empty()) {
    auto p = sim.follow("POST", next, q.dump());
    ASSERT_EQ(p.status, 200) << p.raw;
    EXPECT_TRUE(p.body["pageDetails"]["prevPageUrl"].is_string());
    for (auto id : ids_of(p.body["items"])) all.push_back(id);
    ++pages;
    next = p.body["pageDetails"]["nextPageUrl"].is_string() ? p.body["pageDetails"]["nextPageUrl"].get<std::string>() : "";
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(all.size(), 120u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), 120u);
}

TEST(AutotaskSimPaging, GetStartedQueryContinuesByGetAndRefusesPost) {
  AtSim sim({}, sim::make_scale_world(60, 3));
  json q = {{"MaxRecords", 25}, {"filter", kAll["filter"]}};
  auto r = sim.get("/ConfigurationItems/query?search=" + encode(q.dump()));
  ASSERT_EQ(r.status, 200) << r.raw;
  std::size_t total = r.body["items"].size();
  std::string next = r.body["pageDetails"]["nextPageUrl"];
  EXPECT_EQ(sim.follow("POST", next, q.dump()).status, 405);
  auto second = sim.follow("GET", next);
  ASSERT_EQ(second.status, 200) << second.raw;
  const auto first_of_second = second.body["items"][0]["id"].get<std::int64_t>();
  const auto last_of_first = r.body["items"][24]["id"].get<std::int64_t>();
  EXPECT_EQ(first_of_second, last_of_first + 1);
  // The previous-page link leads back to the first page.
  auto back = sim.follow("GET", second.body["pageDetails"]["prevPageUrl"]);
  EXPECT_EQ(ids_of(back.body["items"]), ids_of(r.body["items"]));
  total += second.body["items"].size();
  auto third = sim.follow("GET", second.body["pageDetails"]["nextPageUrl"]);
  total += third.body["items"].size();
  EXPECT_TRUE(third.body["pageDetails"]["nextPageUrl"].is_null());
  EXPECT_EQ(total, 60u);
}

TEST(AutotaskSimRead, GetOneAnswersItemOrItemNull) {
  AtSim sim;
  auto r = sim.get("/Companies/1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["item"]["companyName"], sim.world().companies[0].name);
  EXPECT_TRUE(r.body["item"]["isActive"].is_boolean());
  EXPECT_TRUE(r.body["item"]["companyType"].is_number_integer());
  auto missing = sim.get("/Companies/999999");
  EXPECT_EQ(missing.status, 200);
  EXPECT_TRUE(missing.body.contains("item"));
  EXPECT_TRUE(missing.body["item"].is_null());
  auto contact = sim.get("/Contacts/1");
  EXPECT_TRUE(contact.body["item"]["isActive"].is_number_integer());  // 1/0 on contacts
}

TEST(AutotaskSimRead, CompanyFieldInfoListsPicklistsFromTheWorld) {
  AtSim sim;
  auto r = sim.get("/Companies/entityInformation/fields");
  ASSERT_EQ(r.status, 200) << r.raw;
  bool type_seen = false, class_seen = false;
  for (const auto& f : r.body["fields"]) {
    if (f["name"] == "companyType") {
      type_seen = true;
      EXPECT_TRUE(f["isPickList"].get<bool>());
      ASSERT_EQ(f["picklistValues"].size(), sim.world().company_types.size());
      EXPECT_EQ(f["picklistValues"][0]["label"], sim.world().company_types[0].name);
      EXPECT_EQ(f["picklistValues"][0]["value"], "1");
    }
    if (f["name"] == "classification") {
      class_seen = true;
      EXPECT_EQ(f["picklistValues"].size(), sim.world().company_statuses.size());
    }
  }
  EXPECT_TRUE(type_seen && class_seen);
}

TEST(AutotaskSimWrite, CreateAnswersItemIdAndPatchChangesOnlyGivenFieldsAndBumpsLastActivity) {
  AtSim sim;
  auto created = sim.post("/Companies", new_company("New Co"));
  ASSERT_EQ(created.status, 200) << created.raw;
  const auto id = created.body["itemId"].get<std::int64_t>();
  auto before = sim.get("/Companies/" + std::to_string(id)).body["item"];
  EXPECT_EQ(before["companyName"], "New Co");
  EXPECT_EQ(before["isActive"], true);
  EXPECT_TRUE(before["lastActivityDate"].is_string());

  sim.admin("POST", "/clock", R"({"advance_seconds": 120})");
  auto patched = sim.patch("/Companies", {{"id", id}, {"city", "Springfield"}});
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body["itemId"], id);
  auto after = sim.get("/Companies/" + std::to_string(id)).body["item"];
  EXPECT_EQ(after["city"], "Springfield");
  EXPECT_EQ(after["companyName"], "New Co");
  EXPECT_GT(after["lastActivityDate"].get<std::string>(), before["lastActivityDate"].get<std::string>());
  EXPECT_EQ(after["lastTrackedModifiedDateTime"], after["lastActivityDate"]);

  // An incremental query sees it.
  json since = {{"filter", {{{"op", "gt"}, {"field", "lastActivityDate"}, {"value", before["lastActivityDate"]}}}}};
  EXPECT_EQ(ids_of(sim.post("/Companies/query", since).body["items"]), std::vector<std::int64_t>{id});
}

TEST(AutotaskSimWrite, PutReplacesTheWholeRecord) {
  AtSim sim;
  const auto id = sim.post("/Companies", new_company("Put Co")).body["itemId"].get<std::int64_t>();
  ASSERT_EQ(sim.patch("/Companies", {{"id", id}, {"city", "Springfield"}}).status, 200);
  json whole = new_company("Put Co 2");
  whole["id"] = id;
  ASSERT_EQ(sim.put("/Companies", whole).status, 200);
  auto item = sim.get("/Companies/" + std::to_string(id)).body["item"];
  EXPECT_EQ(item["companyName"], "Put Co 2");
  EXPECT_TRUE(item["city"].is_null());
}

TEST(AutotaskSimWrite, ValidationFailuresAnswer500WithErrors) {
  AtSim sim;
  auto missing = sim.post("/Companies", {{"companyName", "No Type"}, {"phone", "1"}, {"ownerResourceID", 1}});
  EXPECT_EQ(missing.status, 500);
  ASSERT_TRUE(missing.body["errors"].is_array()) << missing.raw;
  EXPECT_NE(missing.body["errors"][0].get<std::string>().find("companyType"), std::string::npos);
  json bad_pick = new_company("Bad");
  bad_pick["companyType"] = 99;
  EXPECT_EQ(sim.post("/Companies", bad_pick).status, 500);
  json bad_type = new_company("Bad");
  bad_type["isActive"] = "yes";
  EXPECT_EQ(sim.post("/Companies", bad_type).status, 500);
  EXPECT_EQ(sim.patch("/Companies", {{"city", "No id"}}).status, 500);
  auto no_match = sim.patch("/Companies", {{"id", 999999}, {"city", "X"}});
  EXPECT_EQ(no_match.status, 500);
  json ci = {{"companyID", 1}, {"productID", 999999}, {"isActive", true}};
  EXPECT_EQ(sim.post("/ConfigurationItems", ci).status, 500);
}

TEST(AutotaskSimWrite, ContactsAreWrittenThroughTheCompanyAndDeletedWithItemId) {
  AtSim sim;
  json contact = {{"firstName", "Ann"}, {"lastName", "Lee"}, {"isActive", 1}};
  EXPECT_EQ(sim.post("/Contacts", contact).status, 405);
  auto created = sim.post("/Companies/2/Contacts", contact);
  ASSERT_EQ(created.status, 200) << created.raw;
  const auto id = created.body["itemId"].get<std::int64_t>();
  EXPECT_EQ(sim.get("/Contacts/" + std::to_string(id)).body["item"]["companyID"], 2);
  ASSERT_EQ(sim.patch("/Companies/2/Contacts", {{"id", id}, {"title", "CTO"}}).status, 200);
  EXPECT_EQ(sim.get("/Companies/2/Contacts/" + std::to_string(id)).body["item"]["title"], "CTO");
  // Through another company it is not found.
  EXPECT_EQ(sim.patch("/Companies/3/Contacts", {{"id", id}, {"title", "X"}}).status, 500);
  auto deleted = sim.del("/Companies/2/Contacts/" + std::to_string(id));
  ASSERT_EQ(deleted.status, 200) << deleted.raw;
  EXPECT_EQ(deleted.body["itemId"], id);
  EXPECT_TRUE(sim.get("/Contacts/" + std::to_string(id)).body["item"].is_null());
  auto again = sim.del("/Companies/2/Contacts/" + std::to_string(id));
  EXPECT_EQ(again.status, 500);
  EXPECT_NE(again.raw.find("No matching records found"), std::string::npos) << again.raw;
}

TEST(AutotaskSimWrite, CompaniesAndConfigurationItemsCannotBeDeleted) {
  AtSim sim;
  auto c = sim.del("/Companies/1");
  EXPECT_EQ(c.status, 405);
  EXPECT_TRUE(c.body["errors"].is_array());
  EXPECT_EQ(sim.del("/ConfigurationItems/1").status, 405);
  EXPECT_FALSE(sim.get("/Companies/1").body["item"].is_null());
}

TEST(AutotaskSimWrite, ConfigurationItemNamesFallBackToTheProduct) {
  AtSim sim;
  auto r = sim.get("/ConfigurationItems/10");
  ASSERT_TRUE(r.body["item"].is_object()) << r.raw;
  EXPECT_TRUE(r.body["item"]["referenceTitle"].is_null());
  auto product = sim.get("/Products/" + std::to_string(r.body["item"]["productID"].get<std::int64_t>()));
  EXPECT_TRUE(product.body["item"]["name"].is_string());
  EXPECT_TRUE(product.body["item"].contains("manufacturerName"));
  EXPECT_TRUE(sim.get("/ConfigurationItems/1").body["item"]["referenceTitle"].is_string());
}

TEST(AutotaskSimLimits, ThresholdInformationCountsRequestsAnd429AfterTheHourlyBudget) {
  sim::autotask::Options o;
  o.hourly_request_limit = 5;
  o.threshold_latency_ms = 0;  // the latency near the threshold has its own test
  AtSim sim(o);
  sim.get("/Companies/1");
  sim.get("/Companies/2");
  auto t = sim.get("/ThresholdInformation");
  ASSERT_EQ(t.status, 200) << t.raw;
  EXPECT_EQ(t.body["externalRequestThreshold"], 5);
  EXPECT_EQ(t.body["requestThresholdTimeframe"], 60);
  EXPECT_EQ(t.body["currentTimeframeRequestCount"], 3);
  sim.get("/Companies/3");
  sim.get("/Companies/4");
  auto over = sim.get("/Companies/5");
  EXPECT_EQ(over.status, 429);
  ASSERT_TRUE(over.body["errors"].is_array()) << over.raw;
  // The window is rolling: an hour later the budget is back.
  sim.admin("POST", "/clock", R"({"advance_seconds": 3601})");
  EXPECT_EQ(sim.get("/Companies/5").status, 200);
}

TEST(AutotaskSimLimits, LimitsCanBeChangedThroughTheAdminPath) {
  AtSim sim;
  auto r = sim.admin("PATCH", "/limits", R"({"hourly_request_limit": 1, "threshold_latency_ms": 0})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(sim.get("/Companies/1").status, 200);
  EXPECT_EQ(sim.get("/Companies/1").status, 429);
  EXPECT_EQ(sim.admin("PATCH", "/limits", R"({"thread_limit": "x"})").status, 400);
}

TEST(AutotaskSimLimits, FourthConcurrentRequestOnAnEndpointGetsThreadThresholdExceeded) {
  sim::autotask::Options o;
  o.request_delay_ms = 800;
  AtSim sim(o);
  std::array<SimReply, 4> replies;
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      httplib::Client c(sim.base_url());
      c.set_read_timeout(30);
      std::this_thread::sleep_for(std::chrono::milliseconds(k == 3 ? 300 : 0));  // three first, then one more
      replies[static_cast<std::size_t>(k)] = test::to_reply(c.Get("/atservicesrest/v1.0/Companies/1", sim.auth()));
    });
  // Meanwhile another endpoint has its own three threads.
  SimReply other;
  threads.emplace_back([&] {
    httplib::Client c(sim.base_url());
    c.set_read_timeout(30);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    other = test::to_reply(c.Get("/atservicesrest/v1.0/Contacts/1", sim.auth()));
  });
  for (auto& t : threads) t.join();
  for (int k = 0; k < 3; ++k) EXPECT_EQ(replies[static_cast<std::size_t>(k)].status, 200) << k;
  EXPECT_EQ(replies[3].status, 429);
  EXPECT_NE(replies[3].raw.find("Thread Threshold Exceeded"), std::string::npos) << replies[3].raw;
  EXPECT_EQ(other.status, 200) << other.raw;
}

TEST(AutotaskSimWebhooks, AdminPathChangesFireAsAPsaUserWithoutSubscriptionsNothingFires) {
  AtSim sim;
  // A webhook without Fields records never fires (T14); the admin change still lands.
  auto hook = sim.post("/ContactWebhooks", {{"isActive", true},
                                            {"name", "No fields"},
                                            {"webhookUrl", "http://127.0.0.1:1/hook"},
                                            {"secretKey", "k"},
                                            {"isSubscribedToUpdateEvents", true}});
  ASSERT_EQ(hook.status, 200) << hook.raw;
  auto r = sim.admin("PATCH", "/records/Contacts/1", R"({"title":"Boss"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(sim.get("/Contacts/1").body["item"]["title"], "Boss");
  auto deliveries = sim.admin("GET", "/webhooks/deliveries?wait_ms=200");
  EXPECT_TRUE(deliveries.body["deliveries"].empty()) << deliveries.raw;
}

TEST(AutotaskSimWebhooks, CompanyChangeIsPostedWithAVerifiableSignature) {
  AtSim sim;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<std::string, std::string>> received;  // body, signature
  httplib::Server receiver;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    received.emplace_back(req.body, req.get_header_value("X-Hook-Signature"));
    cv.notify_all();
    res.status = 200;
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread serve([&] { receiver.listen_after_bind(); });

  const std::string secret = "s3cr3t-key";
  auto hook = sim.post("/CompanyWebhooks", {{"isActive", true},
                                            {"name", "Cairn"},
                                            {"webhookUrl", "http://127.0.0.1:" + std::to_string(port) + "/hook"},
                                            {"secretKey", secret},
                                            {"isSubscribedToCreateEvents", true},
                                            {"isSubscribedToUpdateEvents", true},
                                            {"isSubscribedToDeleteEvents", false}});
  ASSERT_EQ(hook.status, 200) << hook.raw;
  const auto hook_id = hook.body["itemId"].get<std::int64_t>();
  const int name_field = sim::autotask::AutotaskEmulator::webhook_field_id("Companies", "companyName");
  ASSERT_GT(name_field, 0);
  auto field = sim.post("/CompanyWebhooks/" + std::to_string(hook_id) + "/Fields",
                        {{"fieldID", name_field}, {"isSubscribedField", true}, {"isDisplayAlwaysField", false}});
  ASSERT_EQ(field.status, 200) << field.raw;

  // A change to an unsubscribed field fires nothing; the name change (with characters Autotask
  // escapes) fires an Update.
  ASSERT_EQ(sim.patch("/Companies", {{"id", 1}, {"city", "Elsewhere"}}).status, 200);
  ASSERT_EQ(sim.patch("/Companies", {{"id", 1}, {"companyName", "Acme & Sons <Zürich>"}}).status, 200);
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return !received.empty(); }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  receiver.stop();
  serve.join();
  ASSERT_EQ(received.size(), 1u);
  const auto& [body, signature] = received[0];
  EXPECT_EQ(signature, "sha1=" + sim::base64(sim::hmac_sha1(secret, body)));
  EXPECT_EQ(body.find('&'), std::string::npos) << body;  // escaped as \u0026 before signing
  auto payload = json::parse(body);
  EXPECT_EQ(payload["Action"], "Update");
  EXPECT_EQ(payload["EntityType"], "Company");
  EXPECT_EQ(payload["Id"], 1);
  EXPECT_EQ(payload["Fields"]["companyName"], "Acme & Sons <Zürich>");
  EXPECT_FALSE(payload["Fields"].contains("city"));
  EXPECT_TRUE(payload["SequenceNumber"].is_number_integer());
}

TEST(AutotaskSimLimits, FromHalfTheHourlyBudgetRequestsAreSlowedMoreAsUsageRises) {
  sim::autotask::Options o;
  o.hourly_request_limit = 10;
  o.threshold_latency_ms = 400;
  AtSim sim(o);
  auto latency = [&] { return sim.admin("GET", "/limits").body["last_threshold_latency_ms"].get<int>(); };
  for (int k = 0; k < 4; ++k) ASSERT_EQ(sim.get("/Companies/1").status, 200);
  EXPECT_EQ(latency(), 0);  // 40 %
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(sim.get("/Companies/1").status, 200);  // 50 %
  const auto held = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_EQ(latency(), 200);
  EXPECT_GE(held.count(), 200);  // the request really waited (a lower bound only)
  for (int k = 0; k < 3; ++k) sim.get("/Companies/1");
  EXPECT_EQ(latency(), 320);  // 80 %
  // Turned off through the admin path: no more delay.
  ASSERT_EQ(sim.admin("PATCH", "/limits", R"({"threshold_latency_ms": 0})").status, 200);
  sim.get("/Companies/1");
  EXPECT_EQ(latency(), 0);
  EXPECT_EQ(sim.admin("GET", "/limits").body["threshold_latency_ms"], 0);
}

TEST(AutotaskSimRead, CompanyZeroIsTheMspsOwnCompany) {
  AtSim sim;
  auto r = sim.get("/Companies/0");
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_TRUE(r.body["item"].is_object()) << r.raw;
  EXPECT_EQ(r.body["item"]["id"], 0);
  EXPECT_EQ(r.body["item"]["companyName"], sim.options().own_company_name);
  EXPECT_EQ(r.body["item"]["isActive"], true);
  // It is in queries that start at id 0, and contacts can be written under it.
  auto q = sim.post("/Companies/query", {{"filter", {{{"op", "eq"}, {"field", "id"}, {"value", 0}}}}});
  EXPECT_EQ(ids_of(q.body["items"]), std::vector<std::int64_t>{0});
  auto c = sim.post("/Companies/0/Contacts", {{"firstName", "Own"}, {"lastName", "Tech"}, {"isActive", 1}});
  EXPECT_EQ(c.status, 200) << c.raw;
}

TEST(AutotaskSimWebhooks, UdfFieldsAndExcludedResourcesAreChildEntitiesOfAWebhook) {
  AtSim sim;
  auto hook = sim.post("/ContactWebhooks", {{"isActive", true},
                                            {"name", "Children"},
                                            {"webhookUrl", "http://127.0.0.1:1/hook"},
                                            {"isSubscribedToUpdateEvents", true}});
  ASSERT_EQ(hook.status, 200) << hook.raw;
  const std::string base = "/ContactWebhooks/" + std::to_string(hook.body["itemId"].get<std::int64_t>());
  auto udf = sim.post(base + "/UdfFields", {{"udfFieldID", 29682}, {"isSubscribedField", true}});
  ASSERT_EQ(udf.status, 200) << udf.raw;
  auto excluded = sim.post(base + "/ExcludedResources", {{"resourceID", 1}});
  ASSERT_EQ(excluded.status, 200) << excluded.raw;
  EXPECT_EQ(sim.post(base + "/ExcludedResources", {{"resourceID", 999999}}).status, 500);  // no such resource
  EXPECT_EQ(sim.get(base + "/UdfFields").body["items"].size(), 1u);
  auto listed = sim.get(base + "/ExcludedResources");
  ASSERT_EQ(listed.body["items"].size(), 1u);
  EXPECT_EQ(listed.body["items"][0]["resourceID"], 1);
  auto q = sim.post("/ContactWebhookExcludedResources/query", {{"filter", {{{"op", "exist"}, {"field", "id"}}}}});
  EXPECT_EQ(q.body["items"].size(), 1u) << q.raw;
  // Deleting the webhook takes its children with it.
  ASSERT_EQ(sim.del(base).status, 200);
  EXPECT_TRUE(sim.post("/ContactWebhookExcludedResources/query", {{"filter", {{{"op", "exist"}, {"field", "id"}}}}})
                  .body["items"]
                  .empty());
  EXPECT_TRUE(sim.post("/ContactWebhookUdfFields/query", {{"filter", {{{"op", "exist"}, {"field", "id"}}}}}).body["items"].empty());
}

TEST(AutotaskSimWebhooks, ChangesByAnExcludedResourceFireNoCallout) {
  AtSim sim;
  std::mutex mu;
  std::vector<json> received;
  httplib::Server receiver;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu);
    received.push_back(json::parse(req.body, nullptr, false));
    res.status = 200;
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread serve([&] { receiver.listen_after_bind(); });

  // The API user's own Resource: its writes are the echoes a sync wants suppressed.
  auto me = sim.post("/Resources/query", {{"filter", {{{"op", "eq"}, {"field", "userName"}, {"value", sim.options().username}}}}});
  ASSERT_EQ(me.body["items"].size(), 1u) << me.raw;
  const auto api_resource = me.body["items"][0]["id"].get<std::int64_t>();
  auto hook = sim.post("/CompanyWebhooks", {{"isActive", true},
                                            {"name", "Cairn"},
                                            {"webhookUrl", "http://127.0.0.1:" + std::to_string(port) + "/hook"},
                                            {"secretKey", "k"},
                                            {"isSubscribedToUpdateEvents", true}});
  ASSERT_EQ(hook.status, 200) << hook.raw;
  const std::string base = "/CompanyWebhooks/" + std::to_string(hook.body["itemId"].get<std::int64_t>());
  ASSERT_EQ(sim.post(base + "/Fields", {{"fieldID", sim::autotask::AutotaskEmulator::webhook_field_id("Companies", "city")},
                                        {"isSubscribedField", true}})
                .status,
            200);
  ASSERT_EQ(sim.post(base + "/ExcludedResources", {{"resourceID", api_resource}}).status, 200);

  ASSERT_EQ(sim.patch("/Companies", {{"id", 1}, {"city", "By The API"}}).status, 200);  // excluded: no callout
  ASSERT_EQ(sim.admin("PATCH", "/records/Companies/2", R"({"city":"By A Person"})").status, 200);  // fires
  auto deliveries = sim.admin("GET", "/webhooks/deliveries?wait_ms=3000");
  receiver.stop();
  serve.join();
  ASSERT_EQ(deliveries.body["deliveries"].size(), 1u) << deliveries.raw;
  std::lock_guard lock(mu);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0]["Id"], 2);
  EXPECT_EQ(received[0]["Fields"]["city"], "By A Person");
}

TEST(AutotaskSimRegistry, AutotaskKindIsAvailableWithCredentialFlags) {
  sim::Settings s = {{"username", "u@x.example"}, {"secret", "S"}, {"integration-code", "IC"}};
  auto made = sim::make_emulator("autotask", sim::make_demo_world(1), s);
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<sim::Emulator>>(made)) << std::get<std::string>(made);
  auto& e = *std::get<std::unique_ptr<sim::Emulator>>(made);
  e.set_base_url("http://127.0.0.1:1");
  auto ready = json::parse(e.ready_json());
  EXPECT_EQ(ready["kind"], "autotask");
  EXPECT_EQ(ready["username"], "u@x.example");
  EXPECT_EQ(ready["integration_code"], "IC");
  auto bad = sim::make_emulator("autotask", sim::make_demo_world(1), {{"thread-limit", "three"}});
  EXPECT_TRUE(std::holds_alternative<std::string>(bad));
  auto off = sim::make_emulator("autotask", sim::make_demo_world(1), {{"threshold-latency-ms", "0"}});
  EXPECT_TRUE(std::holds_alternative<std::unique_ptr<sim::Emulator>>(off));
  EXPECT_TRUE(std::holds_alternative<std::string>(
      sim::make_emulator("autotask", sim::make_demo_world(1), {{"threshold-latency-ms", "-5"}})));
}

// --- fidelity: the public npm client, unmodified ----------------------------------------------

TEST(AutotaskFidelity, PublicApigrateClientPagesGetsCreatesAndUpdatesCompanies) {
  CAIRN_NEED_NODE();
  std::string out;
  const std::string work = cairn::test::prepare_fidelity_project("autotask", "@apigrate/autotask-restapi", out);
  ASSERT_FALSE(work.empty()) << out;

  AtSim sim;
  const int rc = cairn::test::run_shell("cd " + cairn::test::shell_quote(work) + " && node fidelity.js " +
                                             cairn::test::shell_quote(sim.server().emulator().ready_json()),
                                         out);
  ASSERT_EQ(rc, 0) << out;
  auto result = json::parse(out.substr(out.find('{')), nullptr, false);
  ASSERT_TRUE(result.is_object()) << out;
  EXPECT_EQ(result["paged"], sim.world().companies.size() + 1);  // + company 0 (T16)
  EXPECT_EQ(result["pages"], 3);
  EXPECT_EQ(result["got"], sim.options().own_company_name);  // the first id is 0, the MSP itself (T16)
  EXPECT_EQ(result["renamed"], "Fidelity Renamed Co");
  EXPECT_EQ(result["zone"], sim.base_url() + "/atservicesrest/");
  EXPECT_EQ(result["refused"]["status"], 500);  // validation, as Autotask answers it
  EXPECT_TRUE(result["refused"]["errors"].is_array());
  // The client really went through the zone lookup and the emulator's query pages.
  EXPECT_EQ(sim.server().requests().count("GET", "/atservicesrest/v1.0/zoneInformation"), 1u);
  EXPECT_EQ(sim.server().requests().count("POST", "/atservicesrest/V1.0/Companies/query"), 3u);
  EXPECT_EQ(sim.server().requests().count("PATCH", "/atservicesrest/V1.0/Companies"), 1u);
}
