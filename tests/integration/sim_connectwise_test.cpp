// The ConnectWise emulator over real HTTP: auth, discovery, paging, the query language, CRUD,
// errors, callbacks, the request log, fault injection and TLS.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "sim/connectwise/callbacks.h"
#include "sim_harness.h"

using namespace cairn;
using nlohmann::json;
using test::CwSim;
using test::SimReply;

namespace {

std::vector<std::int64_t> ids_of(const json& list) {
  std::vector<std::int64_t> ids;
  for (const auto& r : list) ids.push_back(r["id"].get<std::int64_t>());
  return ids;
}

// rel -> URL from a Link header.
std::map<std::string, std::string> links(const std::string& header) {
  std::map<std::string, std::string> out;
  static const std::regex re(R"re(<([^>]*)>;\s*rel="([a-z]+)")re");
  for (auto it = std::sregex_iterator(header.begin(), header.end(), re); it != std::sregex_iterator(); ++it)
    out[(*it)[2]] = (*it)[1];
  return out;
}

// The part of a link after the API root, to request it again.
std::string relative(const CwSim& sim, const std::string& url) {
  const std::string root = sim.base_url() + sim.api_prefix();
  EXPECT_EQ(url.rfind(root, 0), 0u) << url;
  return url.substr(root.size());
}

}  // namespace

TEST(ConnectWiseSimAuth, WrongKeysGet401WithConnectWiseBody) {
  CwSim sim;
  sim::connectwise::Options wrong = sim.options();
  httplib::Headers h = {{"Authorization", "Basic " + sim::base64(wrong.company_id + "+" + wrong.public_key + ":nope")},
                        {"clientId", wrong.client_id}};
  auto r = sim.raw("GET", sim.api_prefix() + "/company/companies", "", h);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body["code"], "Unauthorized");
  EXPECT_TRUE(r.body["message"].is_string());
  auto none = sim.call("GET", "/company/companies", "", {}, /*auth=*/false);
  EXPECT_EQ(none.status, 401);
}

TEST(ConnectWiseSimAuth, MissingOrUnknownClientIdIsRefused) {
  CwSim sim;
  auto r = sim.call("GET", "/company/companies", "", {}, true, /*client_id=*/false);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find("clientId"), std::string::npos) << r.raw;
  httplib::Headers other = {{"clientId", "00000000-0000-0000-0000-000000000000"}};
  auto o = sim.call("GET", "/company/companies", "", other, true, false);
  EXPECT_EQ(o.status, 400);
}

TEST(ConnectWiseSimAuth, RightCredentialsListCompaniesWithVersionHeader) {
  CwSim sim;
  auto r = sim.get("/company/companies");
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_TRUE(r.body.is_array());
  EXPECT_EQ(r.body.size(), 11u);
  EXPECT_EQ(r.header("api-current-version"), "2025.1");
  EXPECT_FALSE(r.header("x-cw-request-id").empty());
}

TEST(ConnectWiseSimDiscovery, CompanyInfoAnswersCodebaseAndOwnSite) {
  CwSim sim;
  auto r = sim.raw("GET", "/login/companyinfo/" + sim.options().company_id, "", {});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["Codebase"], "v4_6_release/");
  EXPECT_EQ(r.body["CompanyID"], sim.options().company_id);
  EXPECT_EQ("http://" + r.body["SiteUrl"].get<std::string>(), sim.base_url());
  auto unknown = sim.raw("GET", "/login/companyinfo/nosuchco", "", {});
  EXPECT_EQ(unknown.status, 200);
  EXPECT_EQ(unknown.raw, "null");
}

TEST(ConnectWiseSimRoutes, UnknownEndpointGetsConnectWiseApiError) {
  CwSim sim;
  auto r = sim.get("/company/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["code"], "ConnectWiseApi");
  EXPECT_EQ(r.body["message"], "The endpoint does not exist.");
}

TEST(ConnectWiseSimShapes, RecordsUseConnectWiseFieldNamesAndNesting) {
  CwSim sim;
  auto c = sim.get("/company/configurations/1");
  ASSERT_EQ(c.status, 200) << c.raw;
  EXPECT_TRUE(c.body["type"]["id"].is_number());
  EXPECT_TRUE(c.body["type"]["name"].is_string());
  EXPECT_TRUE(c.body["company"]["identifier"].is_string());
  EXPECT_TRUE(c.body["_info"]["lastUpdated"].is_string());
  // The demo's first configuration carries two MACs in one field: longer than 17 characters.
  EXPECT_GT(c.body["macAddress"].get<std::string>().size(), 17u);
  auto status = sim.get("/company/configurations/statuses/1");
  EXPECT_TRUE(status.body["description"].is_string()) << status.raw;
  auto contact = sim.get("/company/contacts/1");
  ASSERT_TRUE(contact.body["communicationItems"].is_array());
  bool email = false;
  for (const auto& item : contact.body["communicationItems"])
    email = email || (item["communicationType"] == "Email" && item["domain"].is_string());
  EXPECT_TRUE(email) << contact.raw;
  auto site = sim.get("/company/companies/1/sites/1");
  ASSERT_EQ(site.status, 200) << site.raw;
  EXPECT_TRUE(site.body["phoneNumber"].is_string());
  EXPECT_TRUE(site.body["faxNumber"].is_string());
  EXPECT_TRUE(site.body["stateReference"]["identifier"].is_string());
  EXPECT_EQ(sim.get("/company/companies/2/sites/1").status, 404);  // site 1 is company 1's
}

TEST(ConnectWiseSimPaging, PageSizeWalksToTheLastPageByLinkHeader) {
  CwSim sim;
  auto first = sim.get("/company/companies?pageSize=4&orderBy=id%20asc");
  ASSERT_EQ(first.status, 200);
  auto l = links(first.header("Link"));
  ASSERT_TRUE(l.count("next") && l.count("last")) << first.header("Link");
  EXPECT_NE(l["last"].find("page=3"), std::string::npos) << l["last"];
  std::vector<std::int64_t> all = ids_of(first.body);
  std::string next = l["next"];
  int pages = 1;
  while (!next.empty()) {
    auto r = sim.get(relative(sim, next));
    ASSERT_EQ(r.status, 200);
    for (auto id : ids_of(r.body)) all.push_back(id);
    auto ll = links(r.header("Link"));
    EXPECT_TRUE(ll.count("first") && ll.count("prev"));
    next = ll.count("next") ? ll["next"] : "";
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(all.size(), 11u);
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), 11u);
  EXPECT_EQ(sim.get("/company/companies/count").body["count"], 11);
  auto beyond = sim.get("/company/companies?pageSize=4&page=9");
  EXPECT_EQ(beyond.status, 200);
  EXPECT_TRUE(beyond.body.empty());
}

TEST(ConnectWiseSimPaging, PageSizeIsCappedAtOneThousand) {
  CwSim sim(sim::make_scale_world(2500, 7));
  auto r = sim.get("/company/configurations?pageSize=5000");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.size(), 1000u);
  auto l = links(r.header("Link"));
  EXPECT_NE(l["last"].find("page=3"), std::string::npos) << r.header("Link");
  auto defaults = sim.get("/company/configurations");
  EXPECT_EQ(defaults.body.size(), 25u);  // the default page size
}

TEST(ConnectWiseSimPaging, ForwardOnlyPagingFollowsPageIdToTheEnd) {
  CwSim sim(sim::make_scale_world(2500, 7));
  httplib::Headers fo = {{"pagination-type", "forward-only"}};
  std::vector<std::int64_t> all;
  std::string path = "/company/configurations?pageSize=1000";
  int requests = 0;
  while (!path.empty() && requests < 10) {
    auto r = sim.get(path, fo);
    ASSERT_EQ(r.status, 200) << r.raw;
    ++requests;
    for (auto id : ids_of(r.body)) all.push_back(id);
    auto l = links(r.header("Link"));
    EXPECT_EQ(l.count("last"), 0u);
    if (l.count("next")) {
      EXPECT_NE(l["next"].find("pageId=" + std::to_string(all.back())), std::string::npos) << l["next"];
      path = relative(sim, l["next"]);
    } else {
      path.clear();
    }
  }
  EXPECT_EQ(requests, 3);
  ASSERT_EQ(all.size(), 2500u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  // pageId alone acts as id > pageId.
  auto after = sim.get("/company/configurations?pageId=2490&pageSize=1000");
  EXPECT_EQ(ids_of(after.body), (std::vector<std::int64_t>{2491, 2492, 2493, 2494, 2495, 2496, 2497, 2498, 2499, 2500}));
}

// A company's sites are answered from an index by company (as a PSA's database would), not by a
// scan of every site: the same answers in every paging and order, and new sites seen at once.
TEST(ConnectWiseSimSites, ACompanysList_HoldsItsSitesAlone_InEveryPagingAndOrder_AndSeesChanges) {
  const sim::World world = sim::make_scale_world(500, 7);  // 10 companies, 20 sites, interleaved by id
  CwSim sim(world);
  auto list = [&](std::int64_t company, const std::string& query = "pageSize=1000", httplib::Headers h = {}) {
    auto r = sim.get("/company/companies/" + std::to_string(company) + "/sites?" + query, std::move(h));
    EXPECT_EQ(r.status, 200) << r.raw;
    for (const auto& site : r.body) EXPECT_EQ(site["company"]["id"], company) << site.dump();
    return ids_of(r.body);
  };
  std::set<std::int64_t> every;
  for (const auto& c : world.companies) {
    auto ids = list(c.id);
    EXPECT_FALSE(ids.empty()) << "company " << c.id;
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    every.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(every.size(), world.sites.size());  // each site in its company's list, once
  EXPECT_TRUE(list(99999).empty());              // no such company: an empty list, as before

  const std::int64_t company = world.companies[2].id;
  for (int i = 0; i < 3; ++i) {
    auto made = sim.post("/company/companies/" + std::to_string(company) + "/sites",
                         {{"name", "Annex " + std::to_string(i)}, {"addressLine1", "1 Road"}});
    ASSERT_EQ(made.status, 201) << made.raw;
  }
  const auto all = list(company);
  ASSERT_GE(all.size(), 5u);  // two of the world's and the three just made
  EXPECT_EQ(sim.get("/company/companies/" + std::to_string(company) + "/sites/count").body["count"], all.size());

  std::vector<std::int64_t> paged;  // two at a time, by page number
  for (int page = 1; page <= 4; ++page) {
    auto ids = list(company, "pageSize=2&page=" + std::to_string(page));
    paged.insert(paged.end(), ids.begin(), ids.end());
  }
  EXPECT_EQ(paged, all);
  std::vector<std::int64_t> forward;  // two at a time, forward-only by pageId
  std::string query = "pageSize=2";
  for (int i = 0; i < 5 && !query.empty(); ++i) {
    auto ids = list(company, query, {{"pagination-type", "forward-only"}});
    forward.insert(forward.end(), ids.begin(), ids.end());
    query = ids.size() == 2 ? "pageSize=2&pageId=" + std::to_string(ids.back()) : "";
  }
  EXPECT_EQ(forward, all);
  auto descending = list(company, "pageSize=1000&orderBy=" + httplib::detail::encode_query_param("id desc"));
  EXPECT_EQ(descending, std::vector<std::int64_t>(all.rbegin(), all.rend()));
  auto annexes = list(company, "pageSize=1000&conditions=" + httplib::detail::encode_query_param("name like \"Annex*\""));
  EXPECT_EQ(annexes, std::vector<std::int64_t>(all.end() - 3, all.end()));

  ASSERT_EQ(sim.del("/company/companies/" + std::to_string(company) + "/sites/" + std::to_string(all.back())).status, 204);
  EXPECT_EQ(list(company), std::vector<std::int64_t>(all.begin(), all.end() - 1));
}

TEST(ConnectWiseSimQuery, ConditionsOrderByAndFieldsWorkOnRealEndpoints) {
  CwSim sim;
  auto acme = sim.get("/company/configurations?conditions=" + httplib::detail::encode_query_param("company/id=1"));
  ASSERT_EQ(acme.status, 200) << acme.raw;
  ASSERT_EQ(acme.body.size(), 3u);
  for (const auto& c : acme.body) EXPECT_EQ(c["company"]["id"], 1);

  auto like = sim.get("/company/companies?conditions=" + httplib::detail::encode_query_param("name like \"Acme*\"") +
                      "&orderBy=" + httplib::detail::encode_query_param("name desc"));
  ASSERT_EQ(like.body.size(), 2u);
  EXPECT_EQ(like.body[0]["name"], "Acme, Inc.");  // "," sorts after " "
  EXPECT_EQ(like.body[1]["name"], "Acme Inc");

  auto fields = sim.get("/company/companies?fields=id,name,_info/lastUpdated&pageSize=2");
  ASSERT_EQ(fields.body.size(), 2u);
  for (const auto& c : fields.body) {
    EXPECT_EQ(c.size(), 3u) << c.dump();
    EXPECT_TRUE(c["_info"]["lastUpdated"].is_string());
  }
  auto child = sim.get("/company/contacts?childConditions=" +
                       httplib::detail::encode_query_param("communicationItems/value like \"*@acme.example\""));
  ASSERT_EQ(child.status, 200) << child.raw;
  EXPECT_EQ(child.body.size(), 3u);
  auto prospects = sim.get("/company/companies/count?conditions=" + httplib::detail::encode_query_param("types/id=2"));
  EXPECT_EQ(prospects.body["count"], 1);
}

TEST(ConnectWiseSimQuery, LastUpdatedConditionSeesChangesAfterAGivenInstant) {
  CwSim sim;
  sim.admin("POST", "/clock", R"({"advance_seconds": 3600})");
  auto clock = sim.admin("GET", "/clock");
  const std::string since = clock.body["now"];
  sim.admin("POST", "/clock", R"({"advance_seconds": 5})");
  ASSERT_EQ(sim.patch("/company/companies/3", json::array({{{"op", "replace"}, {"path", "name"}, {"value", "Northwind Traders Ltd"}}})).status, 200);
  auto changed = sim.get("/company/companies?conditions=" + httplib::detail::encode_query_param("lastUpdated>[" + since + "]"));
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(ids_of(changed.body), (std::vector<std::int64_t>{3}));
}

TEST(ConnectWiseSimQuery, FastPathAgreesWithTheFullEvaluator) {
  // Wrapping a condition in parentheses hides it from the fast path, so both must agree.
  CwSim sim(sim::make_scale_world(600, 3));
  const char* conditions[] = {
      "id > 100 and id <= 250",
      "type/id in (1,2) and status/id != 2",
      "company/id = 4 and activeFlag = true",
      "lastUpdated >= [2025-06-01T00:00:00Z] and contact/id not in (1,2,3)",
      "_info/lastUpdated < [2025-03-01T00:00:00Z]",
      "site/id = 0",
      "manufacturer/id=1 and name like \"SRV*\"",
  };
  for (const char* c : conditions) {
    const std::string q = httplib::detail::encode_query_param(c);
    const std::string wrapped = httplib::detail::encode_query_param(std::string("(") + c + ")");
    auto fast = sim.get("/company/configurations?pageSize=1000&conditions=" + q);
    auto full = sim.get("/company/configurations?pageSize=1000&conditions=" + wrapped);
    ASSERT_EQ(fast.status, 200) << c << fast.raw;
    EXPECT_EQ(ids_of(fast.body), ids_of(full.body)) << c;
  }
}

TEST(ConnectWiseSimQuery, RepeatedFilteredPagesSeeChangesMadeBetweenRequests) {
  CwSim sim;
  const std::string q = "?conditions=" + httplib::detail::encode_query_param("company/id=1") + "&pageSize=2";
  auto page1 = sim.get("/company/configurations" + q + "&page=1");
  ASSERT_EQ(ids_of(page1.body), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(ids_of(sim.get("/company/configurations" + q + "&page=2").body), (std::vector<std::int64_t>{3}));
  // Move configuration 2 to another company: the same query must not answer from before.
  ASSERT_EQ(sim.patch("/company/configurations/2", json::array({{{"op", "replace"}, {"path", "company"}, {"value", {{"id", 2}}}},
                                                                {{"op", "replace"}, {"path", "site"}, {"value", {{"id", 2}}}}})).status,
            200);
  EXPECT_EQ(ids_of(sim.get("/company/configurations" + q + "&page=1").body), (std::vector<std::int64_t>{1, 3}));
  EXPECT_TRUE(sim.get("/company/configurations" + q + "&page=2").body.empty());
  EXPECT_EQ(sim.get("/company/configurations/count" + q).body["count"], 2);
}

TEST(ConnectWiseSimQuery, BadQueriesGetInvalidObjectNotACrash) {
  CwSim sim;
  for (const std::string& q : {"conditions=" + httplib::detail::encode_query_param("name = "),
                              "conditions=" + httplib::detail::encode_query_param("((id=1)"),
                              std::string("orderBy=%2C%2C"), std::string("page=0"), std::string("pageSize=abc"),
                              std::string("fields=%2F")}) {
    auto r = sim.get("/company/companies?" + q);
    EXPECT_EQ(r.status, 400) << q << " " << r.raw;
    EXPECT_EQ(r.body["code"], "InvalidObject") << q;
    EXPECT_TRUE(r.body["message"].is_string());
  }
}

TEST(ConnectWiseSimCrud, CreateGetPatchPutDeleteConfiguration) {
  CwSim sim;
  json body = {{"name", "SRV-NEW-01"},
               {"type", {{"id", 1}}},
               {"company", {{"id", 1}}},
               {"serialNumber", "ABC123"},
               {"macAddress", "00:11:22:33:44:55"}};
  auto created = sim.post("/company/configurations", body);
  ASSERT_EQ(created.status, 201) << created.raw;
  const auto id = created.body["id"].get<std::int64_t>();
  EXPECT_EQ(created.body["status"]["name"], "Active");  // the default status
  EXPECT_EQ(created.body["company"]["identifier"], "ACME");
  const std::string entered = created.body["_info"]["lastUpdated"];
  const std::string path = "/company/configurations/" + std::to_string(id);
  EXPECT_EQ(sim.get(path).body["serialNumber"], "ABC123");

  sim.admin("POST", "/clock", R"({"advance_seconds": 120})");
  auto patched = sim.patch(path, json::array({{{"op", "replace"}, {"path", "name"}, {"value", "SRV-NEW-02"}},
                                              {{"op", "replace"}, {"path", "/status"}, {"value", {{"id", 2}}}},
                                              {{"op", "replace"}, {"path", "tagNumber"}, {"value", "T-9"}}}));
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body["name"], "SRV-NEW-02");
  EXPECT_EQ(patched.body["status"]["id"], 2);
  EXPECT_EQ(patched.body["serialNumber"], "ABC123");  // untouched fields stay
  EXPECT_GT(patched.body["_info"]["lastUpdated"].get<std::string>(), entered);

  json full = sim.get(path).body;
  full["notes"] = "replaced";
  full.erase("serialNumber");
  auto put = sim.put(path, full);
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_EQ(put.body["notes"], "replaced");
  EXPECT_FALSE(put.body.contains("serialNumber"));  // PUT replaces the whole record

  auto deleted = sim.del(path);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.raw.empty());
  auto gone = sim.get(path);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.body["code"], "NotFound");
  EXPECT_EQ(gone.body["message"], "Configuration " + std::to_string(id) + " not found");
}

TEST(ConnectWiseSimCrud, InvalidBodiesGetFieldErrors) {
  CwSim sim;
  auto r = sim.post("/company/configurations", {{"type", {{"id", 1}}}, {"company", {{"id", 999}}}});
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.body["code"], "InvalidObject");
  EXPECT_EQ(r.body["message"], "configuration object is invalid");
  std::set<std::string> fields;
  for (const auto& e : r.body["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_TRUE(fields.count("name") && fields.count("company")) << r.raw;
  auto contact = sim.post("/company/contacts", {{"lastName", "Only"}});
  EXPECT_EQ(contact.status, 400);
  EXPECT_EQ(contact.body["errors"][0]["code"], "MissingRequiredField");
  EXPECT_EQ(contact.body["errors"][0]["field"], "firstName");
  auto bad_patch = sim.patch("/company/companies/1", json{{"name", "not an array"}});
  EXPECT_EQ(bad_patch.status, 400);
  auto bad_json = sim.call("POST", "/company/companies", "{not json");
  EXPECT_EQ(bad_json.status, 400);
}

TEST(ConnectWiseSimCrud, CompanyCreateGetsASiteAndDeleteOnlyMarksIt) {
  CwSim sim;
  auto c = sim.post("/company/companies", {{"identifier", "NEWCO"}, {"name", "New Co"}, {"addressLine1", "1 Road"}});
  ASSERT_EQ(c.status, 201) << c.raw;
  const auto id = c.body["id"].get<std::int64_t>();
  EXPECT_TRUE(c.body["site"]["id"].is_number());
  EXPECT_EQ(c.body["types"][0]["name"], "Customer");
  auto dup = sim.post("/company/companies", {{"identifier", "newco"}, {"name", "Other"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(sim.del("/company/companies/" + std::to_string(id)).status, 204);
  auto still = sim.get("/company/companies/" + std::to_string(id));
  EXPECT_EQ(still.status, 200);
  EXPECT_EQ(still.body["deletedFlag"], true);
}

namespace {

// Receives callbacks on a free port.
struct Receiver {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> posts;  // body, signature
  Receiver() {
    server.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu);
      posts.emplace_back(req.body, req.get_header_value("x-content-signature"));
      res.status = 204;
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~Receiver() {
    server.stop();
    thread.join();
  }
  // Waits until n posts arrived or timeout_ms passed; returns what arrived.
  std::vector<std::pair<std::string, std::string>> wait_for(std::size_t n, int timeout_ms = 5000) {
    for (int i = 0; i < timeout_ms / 25; ++i) {
      {
        std::lock_guard lock(mu);
        if (posts.size() >= n) return posts;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    std::lock_guard lock(mu);
    return posts;
  }
};

}  // namespace

TEST(ConnectWiseSimCallbacks, ChangesAreDeliveredSignedWithTheServedKey) {
  CwSim sim;
  Receiver rx;
  auto reg = sim.post("/system/callbacks", {{"url", "http://127.0.0.1:" + std::to_string(rx.port) + "/hook"},
                                            {"objectId", 1},
                                            {"type", "company"},
                                            {"level", "owner"},
                                            {"description", "cairn"},
                                            {"payloadVersion", "3.0.0"}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  EXPECT_TRUE(reg.body["memberId"].is_number());
  EXPECT_FALSE(reg.body.contains("signing_key"));
  // A change through the API and one made by a PSA user through the admin path.
  ASSERT_EQ(sim.patch("/company/companies/2", json::array({{{"op", "replace"}, {"path", "name"}, {"value", "Acme Incorporated"}}})).status, 200);
  ASSERT_EQ(sim.admin("PATCH", "/records/companies/4", R"({"phoneNumber":"+1 214 555 0000"})").status, 200);
  // Configurations are not companies: no delivery for this one.
  ASSERT_EQ(sim.patch("/company/configurations/1", json::array({{{"op", "replace"}, {"path", "notes"}, {"value", "x"}}})).status, 200);
  auto posts = rx.wait_for(2);
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(rx.wait_for(3, 300).size(), 2u);  // and nothing more
  std::set<std::int64_t> seen;
  for (const auto& [body, signature] : posts) {
    auto j = json::parse(body);
    EXPECT_EQ(j["Action"], "updated");
    EXPECT_EQ(j["Type"], "company");
    EXPECT_EQ(j["CompanyId"], sim.options().company_id);
    EXPECT_EQ(j["CallbackObjectRecId"], reg.body["id"]);
    ASSERT_TRUE(j["Entity"].is_string());  // the record as a JSON string
    auto entity = json::parse(j["Entity"].get<std::string>());
    EXPECT_EQ(entity["id"], j["ID"]);
    seen.insert(j["ID"].get<std::int64_t>());
    // Verify as a receiver does: fetch the key from Metadata.key_url, then
    // base64(HMAC-SHA256(SHA256(key), body)) must equal x-content-signature.
    const std::string key_url = j["Metadata"]["key_url"];
    ASSERT_EQ(key_url.rfind(sim.base_url(), 0), 0u) << key_url;
    auto key = sim.raw("GET", key_url.substr(sim.base_url().size()), "", {{"clientId", sim.options().client_id}});
    ASSERT_EQ(key.status, 200) << key_url << " " << key.raw;
    const std::string signing_key = key.body["signing_key"];
    EXPECT_EQ(signature, sim::base64(sim::hmac_sha256(sim::sha256(signing_key), body)));
    EXPECT_NE(signature, sim::base64(sim::hmac_sha256(sim::sha256(signing_key + "x"), body)));
  }
  EXPECT_EQ(seen, (std::set<std::int64_t>{2, 4}));
}

TEST(ConnectWiseSimCallbacks, SelfSuppressedRegistrationIgnoresTheApiMembersOwnChanges) {
  CwSim sim;
  Receiver rx;
  auto reg = sim.post("/system/callbacks", {{"url", "http://127.0.0.1:" + std::to_string(rx.port) + "/hook"},
                                            {"objectId", 1}, {"type", "contact"}, {"level", "owner"},
                                            {"isSelfSuppressedFlag", true}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  ASSERT_EQ(sim.patch("/company/contacts/1", json::array({{{"op", "replace"}, {"path", "title"}, {"value", "CIO"}}})).status, 200);
  ASSERT_EQ(sim.admin("DELETE", "/records/contacts/2").status, 204);
  ASSERT_EQ(rx.wait_for(1).size(), 1u);
  auto posts = rx.wait_for(2, 300);  // and nothing more
  ASSERT_EQ(posts.size(), 1u);
  auto j = json::parse(posts[0].first);
  EXPECT_EQ(j["Action"], "deleted");
  EXPECT_EQ(j["ID"], 2);
  EXPECT_TRUE(j["Entity"].is_null());
}

TEST(ConnectWiseSimCallbacks, BadRegistrationsAreRefusedByField) {
  CwSim sim;
  auto r = sim.post("/system/callbacks", {{"url", "not a url"}, {"objectId", 1}, {"type", "company"}, {"level", "galaxy"}});
  ASSERT_EQ(r.status, 400);
  std::set<std::string> fields;
  for (const auto& e : r.body["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"url", "level"}));
}

TEST(ConnectWiseSimAdmin, RequestLogCountsPerMethodAndPathAndResets) {
  CwSim sim;
  sim.get("/company/companies?page=1");
  sim.get("/company/companies?page=1");
  sim.get("/company/companies?page=2");
  sim.get("/company/contacts");
  auto log = sim.admin("GET", "/requests");
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(log.body["total"], 4);
  int page1 = 0;
  for (const auto& e : log.body["requests"])
    if (e["path"] == sim.api_prefix() + "/company/companies" && e["query"] == "page=1" && e["method"] == "GET")
      page1 = e["count"];
  EXPECT_EQ(page1, 2);
  auto companies = sim.admin("GET", "/requests?path=" + httplib::detail::encode_query_param(sim.api_prefix() + "/company/companies"));
  EXPECT_EQ(companies.body["total"], 3);
  EXPECT_EQ(sim.admin("DELETE", "/requests").status, 204);
  EXPECT_EQ(sim.admin("GET", "/requests").body["total"], 0);
}

TEST(ConnectWiseSimAdmin, RecordsChangedAsAPsaUserBumpLastUpdated) {
  CwSim sim;
  const std::string before = sim.get("/company/contacts/3").body["_info"]["lastUpdated"];
  auto created = sim.admin("POST", "/records/contacts", R"({"firstName":"Zoe","lastName":"Admin","company":{"id":2}})");
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(json::parse(created.raw)["_info"]["updatedBy"], "PsaUser");
  auto changed = sim.admin("PATCH", "/records/contacts/3", R"({"inactiveFlag":true})");
  ASSERT_EQ(changed.status, 200) << changed.raw;
  auto after = sim.get("/company/contacts/3").body;
  EXPECT_EQ(after["inactiveFlag"], true);
  EXPECT_GT(after["_info"]["lastUpdated"].get<std::string>(), before);
  EXPECT_EQ(sim.admin("PATCH", "/records/nothing/1", "{}").status, 404);
  EXPECT_EQ(sim.admin("DELETE", "/records/contacts/999").status, 404);
}

TEST(ConnectWiseSimFaults, InjectedFailuresUseConnectWiseShapes) {
  CwSim sim;
  ASSERT_EQ(sim.admin("PUT", "/faults", R"({"fail_rate": 1})").status, 200);
  auto failed = sim.get("/company/companies");
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.body["code"], "UnexpectedError");

  ASSERT_EQ(sim.admin("PUT", "/faults", R"({"malformed_rate": 1})").status, 200);
  auto malformed = sim.get("/company/companies");
  EXPECT_EQ(malformed.status, 200);
  EXPECT_TRUE(malformed.body.is_null()) << "body should not parse: " << malformed.raw.substr(0, 80);

  ASSERT_EQ(sim.admin("PUT", "/faults", R"({"drop_rate": 1})").status, 200);
  auto dropped = sim.get("/company/companies");
  EXPECT_EQ(dropped.status, 0);  // no complete answer

  ASSERT_EQ(sim.admin("PUT", "/faults", R"({"latency_ms": 150})").status, 200);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(sim.get("/company/companies").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(150));

  ASSERT_EQ(sim.admin("PUT", "/faults", R"({"throttle": "2/60"})").status, 200);
  EXPECT_EQ(sim.get("/company/companies").status, 200);
  EXPECT_EQ(sim.get("/company/companies").status, 200);
  auto throttled = sim.get("/company/companies");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.body["code"], "TooManyRequests");
  const int retry_after = std::stoi(throttled.header("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);

  EXPECT_EQ(sim.admin("PUT", "/faults", R"({"fail_rate": 3})").status, 400);
  ASSERT_EQ(sim.admin("PUT", "/faults", "{}").status, 200);
  EXPECT_EQ(sim.get("/company/companies").status, 200);
  // The admin path is never throttled or failed.
  EXPECT_EQ(sim.admin("GET", "").status, 200);
}

TEST(ConnectWiseSimTls, ServesHttpsWithACertificateFromATestCa) {
  auto dir = test::fresh_temp_dir("cairn-sim-tls");
  test::TestCertificates certs;
  ASSERT_TRUE(test::make_test_certificates(dir, certs));
  sim::SimServerOptions opts;
  opts.http.tls_cert = certs.cert;
  opts.http.tls_key = certs.key;
  CwSim sim(sim::make_demo_world(1), opts);
  ASSERT_EQ(sim.base_url().rfind("https://127.0.0.1:", 0), 0u) << sim.base_url();
  httplib::Client verified(sim.base_url());
  verified.set_ca_cert_path(certs.ca_cert.c_str());
  verified.enable_server_certificate_verification(true);
  auto r = verified.Get("/login/companyinfo/" + sim.options().company_id);
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("v4_6_release/"), std::string::npos);
  auto api = sim.get("/company/companies/1");
  EXPECT_EQ(api.status, 200);
  std::filesystem::remove_all(dir);
}
