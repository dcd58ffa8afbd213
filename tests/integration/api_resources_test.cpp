// Every documentation resource through the IT Glue-shaped API, on SQLite and PostgreSQL:
// create, read, update, delete, paging to the last page, filters, sort, nested routes, bulk.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <functional>
#include <set>

#include "support/api_harness.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

class ApiResources : public ::testing::TestWithParam<Backend> {
 public:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    api = std::make_unique<test::ApiHarness>(GetParam());
    customer = api->create("organization_types", {{"name", "Customer"}});
    prospect = api->create("organization_types", {{"name", "Prospect"}});
    active = api->create("organization_statuses", {{"name", "Active"}});
    server = api->create("configuration_types", {{"name", "Server"}});
    cfg_active = api->create("configuration_statuses", {{"name", "Active"}});
    approver = api->create("contact_types", {{"name", "Approver"}});
    dell = api->create("manufacturers", {{"name", "Dell"}});
    country = api->create("countries", {{"name", "Canada"}, {"iso", "CA"}});
    region = api->create("regions", {{"name", "Ontario"}, {"country_id", country}});
    org_a = api->create("organizations", {{"name", "Acme"}, {"organization_type_id", customer}, {"organization_status_id", active}});
    org_b = api->create("organizations", {{"name", "Beta"}, {"organization_type_id", prospect}});
  }
  static std::string id_of(const json& resource) { return resource["id"].get<std::string>(); }
  // Walks a collection from `path` by following links.next, returning every record's id.
  std::vector<std::string> walk(std::string path, int* requests = nullptr) {
    std::vector<std::string> ids;
    int n = 0;
    while (true) {
      auto r = api->get(path);
      EXPECT_EQ(r.status, 200) << path << " " << r.raw;
      if (r.status != 200) break;
      for (const auto& d : r.body["data"]) ids.push_back(id_of(d));
      ++n;
      if (!r.body["links"].contains("next")) break;
      std::string next = r.body["links"]["next"];
      EXPECT_EQ(next.rfind(api->base_url(), 0), 0u) << next;
      path = next.substr(api->base_url().size());
      if (n > 10000) break;
    }
    if (requests) *requests = n;
    return ids;
  }
  std::vector<std::string> names(const std::string& path, const char* attr = "name") {
    auto r = api->get(path);
    EXPECT_EQ(r.status, 200) << path << " " << r.raw;
    std::vector<std::string> out;
    for (const auto& d : r.body["data"]) out.push_back(d["attributes"][attr].is_null() ? "" : d["attributes"][attr].get<std::string>());
    return out;
  }

  std::unique_ptr<test::ApiHarness> api;
  std::int64_t customer, prospect, active, server, cfg_active, approver, dell, country, region, org_a, org_b;
};

struct ResourceCase {
  std::string type;
  std::function<json(ApiResources&, int)> attributes;  // valid attributes for the n-th record
  std::string patch_attribute;
  json patch_value;
};

TEST_P(ApiResources, EveryResource_CreateReadUpdatePageAndDelete) {
  auto loc = api->create("locations", {{"organization_id", org_a}, {"name", "HQ"}});
  auto cfg = api->create("configurations", {{"organization_id", org_a}, {"name", "srv"}, {"configuration_type_id", server}});
  std::vector<ResourceCase> cases = {
      {"organization_types", [](auto&, int n) { return json{{"name", "Type " + std::to_string(n)}}; }, "name", "Renamed"},
      {"organization_statuses", [](auto&, int n) { return json{{"name", "Status " + std::to_string(n)}}; }, "name", "Renamed"},
      {"configuration_types", [](auto&, int n) { return json{{"name", "CT " + std::to_string(n)}}; }, "name", "Renamed"},
      {"configuration_statuses", [](auto&, int n) { return json{{"name", "CS " + std::to_string(n)}}; }, "name", "Renamed"},
      {"contact_types", [](auto&, int n) { return json{{"name", "K " + std::to_string(n)}}; }, "name", "Renamed"},
      {"manufacturers", [](auto&, int n) { return json{{"name", "M " + std::to_string(n)}}; }, "name", "Renamed"},
      {"operating_systems", [](auto&, int n) { return json{{"name", "OS " + std::to_string(n)}}; }, "name", "Renamed"},
      {"countries", [](auto&, int n) { return json{{"name", "C " + std::to_string(n)}}; }, "iso", "XX"},
      {"regions", [](auto& t, int n) { return json{{"name", "R " + std::to_string(n)}, {"country_id", t.country}}; }, "iso", "RR"},
      {"models", [](auto& t, int n) { return json{{"name", "Model " + std::to_string(n)}, {"manufacturer_id", t.dell}}; }, "name", "Renamed"},
      {"organizations", [](auto& t, int n) { return json{{"name", "Org " + std::to_string(n)}, {"organization_type_id", t.customer}}; },
       "quick-notes", "call first"},
      {"locations", [](auto& t, int n) { return json{{"organization_id", t.org_a}, {"name", "Site " + std::to_string(n)}, {"region_id", t.region}}; },
       "city", "Toronto"},
      {"contacts",
       [](auto& t, int n) {
         return json{{"organization_id", t.org_a}, {"first_name", "Ann"}, {"last_name", "Lee " + std::to_string(n)},
                     {"contact_emails", json::array({{{"value", "ann" + std::to_string(n) + "@a.example"}, {"label_name", "Work"}, {"primary", true}}})}};
       },
       "title", "CFO"},
      {"configurations",
       [loc](auto& t, int n) {
         return json{{"organization_id", t.org_a}, {"name", "PC " + std::to_string(n)}, {"configuration_type_id", t.server},
                     {"configuration_status_id", t.cfg_active}, {"location_id", loc}, {"mac_address", "00:11:22:33:44:55"}};
       },
       "serial-number", "SN-1"},
  };
  for (const auto& rc : cases) {
    SCOPED_TRACE(rc.type);
    std::vector<std::int64_t> ids;
    for (int n = 0; n < 3; ++n) ids.push_back(api->create(rc.type, rc.attributes(*this, n)));
    auto got = api->get("/" + rc.type + "/" + std::to_string(ids[1]));
    ASSERT_EQ(got.status, 200) << got.raw;
    EXPECT_EQ(got.body["data"]["type"], rc.type);
    EXPECT_TRUE(got.body["data"]["attributes"].contains("created-at"));
    const json sent = rc.attributes(*this, 1);
    for (const auto& [k, v] : sent.items()) {
      std::string kebab = k;
      std::replace(kebab.begin(), kebab.end(), '_', '-');
      if (!v.is_array()) {
        EXPECT_EQ(got.body["data"]["attributes"][kebab], v) << kebab;
      }
    }
    auto patched = api->patch("/" + rc.type + "/" + std::to_string(ids[1]),
                              {{"data", {{"type", rc.type}, {"attributes", {{rc.patch_attribute, rc.patch_value}}}}}});
    ASSERT_EQ(patched.status, 200) << patched.raw;
    EXPECT_EQ(patched.body["data"]["attributes"][rc.patch_attribute], rc.patch_value);
    EXPECT_EQ(api->get("/" + rc.type + "/" + std::to_string(ids[1])).body["data"]["attributes"][rc.patch_attribute], rc.patch_value);

    auto all = walk("/" + rc.type + "?page[size]=1");
    auto first = api->get("/" + rc.type + "?page[size]=1");
    EXPECT_EQ(static_cast<std::int64_t>(all.size()), first.body["meta"]["total-count"].get<std::int64_t>());
    EXPECT_EQ(first.body["meta"]["total-pages"], first.body["meta"]["total-count"]);
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
    auto last = api->get("/" + rc.type + "?page[size]=1&page[number]=" + std::to_string(all.size()));
    EXPECT_TRUE(last.body["meta"]["next-page"].is_null());
    EXPECT_FALSE(last.body["links"].contains("next"));

    auto del = api->del("/" + rc.type + "/" + std::to_string(ids[2]));
    EXPECT_EQ(del.status, 204) << del.raw;
    EXPECT_EQ(api->get("/" + rc.type + "/" + std::to_string(ids[2])).status, 404);
  }
  // Interfaces live under their configuration.
  auto ifaces = "/configurations/" + std::to_string(cfg) + "/relationships/configuration_interfaces";
  auto r = api->post(ifaces, {{"data", {{"type", "configuration_interfaces"}, {"attributes", {{"name", "eth0"}, {"ip_address", "10.0.0.5"}, {"primary", true}}}}}});
  ASSERT_EQ(r.status, 201) << r.raw;
  auto iface = id_of(r.body["data"]);
  EXPECT_EQ(r.body["data"]["attributes"]["configuration-id"], cfg);
  EXPECT_EQ(api->get(ifaces).body["data"].size(), 1u);
  EXPECT_EQ(api->patch("/configuration_interfaces/" + iface, {{"data", {{"type", "configuration_interfaces"}, {"attributes", {{"name", "eth1"}}}}}}).status, 200);
  EXPECT_EQ(api->get(ifaces + "/" + iface).body["data"]["attributes"]["name"], "eth1");
  EXPECT_EQ(api->del("/configuration_interfaces/" + iface).status, 204);
}

TEST_P(ApiResources, Filters_EachDocumentedFilterSelectsExactly) {
  auto loc = api->create("locations", {{"organization_id", org_a}, {"name", "HQ"}, {"city", "Ottawa"}, {"region_id", region}, {"country_id", country}});
  api->create("locations", {{"organization_id", org_b}, {"name", "Depot"}, {"city", "Kingston"}});
  auto ann = api->create("contacts", {{"organization_id", org_a}, {"first_name", "Ann"}, {"last_name", "Lee"}, {"title", "CEO"},
                                      {"contact_type_id", approver}, {"important", true},
                                      {"contact_emails", json::array({{{"value", "ann@acme.example"}, {"primary", true}}})}});
  api->create("contacts", {{"organization_id", org_b}, {"first_name", "Bob"}, {"last_name", "Ray"}});
  api->create("configurations", {{"organization_id", org_a}, {"name", "srv1"}, {"configuration_type_id", server},
                                 {"configuration_status_id", cfg_active}, {"contact_id", ann}, {"serial_number", "S1"},
                                 {"mac_address", "AA:BB:CC:DD:EE:FF"}, {"asset_tag", "T1"}, {"archived", true}});
  api->create("configurations", {{"organization_id", org_b}, {"name", "srv2"}, {"configuration_type_id", server}});
  (void)loc;
  using V = std::vector<std::string>;
  const std::string a = std::to_string(org_a);
  struct Case { std::string path; V expected; const char* attr = "name"; };
  std::vector<Case> cases = {
      {"/organizations?filter[name]=Acme", {"Acme"}},
      {"/organizations?filter[id]=" + std::to_string(org_b), {"Beta"}},
      {"/organizations?filter[organization_type_id]=" + std::to_string(prospect), {"Beta"}},
      {"/organizations?filter[organization_status_id]=" + std::to_string(active), {"Acme"}},
      {"/organizations?filter[name]=Acme,Beta&sort=name", {"Acme", "Beta"}},
      {"/organizations?filter[exclude][name]=Acme", {"Beta"}},
      {"/organizations?filter[primary]=false&sort=name", {"Acme", "Beta"}},
      {"/organizations?filter[created_at]=2000-01-01T00:00:00Z,*&sort=name", {"Acme", "Beta"}},
      {"/organizations?filter[updated_at]=*,2000-01-01T00:00:00Z", {}},
      {"/organization_types?filter[name]=Prospect", {"Prospect"}},
      {"/locations?filter[city]=Ottawa", {"HQ"}},
      {"/locations?filter[organization_id]=" + std::to_string(org_b), {"Depot"}},
      {"/locations?filter[region_id]=" + std::to_string(region), {"HQ"}},
      {"/locations?filter[country_id]=" + std::to_string(country), {"HQ"}},
      {"/locations?filter[name]=Depot", {"Depot"}},
      {"/contacts?filter[first_name]=Ann", {"Ann Lee"}},
      {"/contacts?filter[last_name]=Ray", {"Bob Ray"}},
      {"/contacts?filter[title]=CEO", {"Ann Lee"}},
      {"/contacts?filter[contact_type_id]=" + std::to_string(approver), {"Ann Lee"}},
      {"/contacts?filter[important]=true", {"Ann Lee"}},
      {"/contacts?filter[primary_email]=ann@acme.example", {"Ann Lee"}},
      {"/contacts?filter[organization_id]=" + std::to_string(org_b), {"Bob Ray"}},
      {"/configurations?filter[name]=srv2", {"srv2"}},
      {"/configurations?filter[organization_id]=" + a, {"srv1"}},
      {"/configurations?filter[configuration_type_id]=" + std::to_string(server) + "&sort=name", {"srv1", "srv2"}},
      {"/configurations?filter[configuration_status_id]=" + std::to_string(cfg_active), {"srv1"}},
      {"/configurations?filter[contact_id]=" + std::to_string(ann), {"srv1"}},
      {"/configurations?filter[serial_number]=S1", {"srv1"}},
      {"/configurations?filter[mac_address]=AA:BB:CC:DD:EE:FF", {"srv1"}},
      {"/configurations?filter[asset_tag]=T1", {"srv1"}},
      {"/configurations?filter[archived]=false", {"srv2"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    EXPECT_EQ(names(c.path), c.expected);
  }
}

TEST_P(ApiResources, Sort_AscendingDescendingAndByName) {
  api->create("organizations", {{"name", "Cobalt"}, {"organization_type_id", customer}});
  EXPECT_EQ(names("/organizations?sort=name"), (std::vector<std::string>{"Acme", "Beta", "Cobalt"}));
  EXPECT_EQ(names("/organizations?sort=-name"), (std::vector<std::string>{"Cobalt", "Beta", "Acme"}));
  EXPECT_EQ(names("/organizations?sort=-id"), (std::vector<std::string>{"Cobalt", "Beta", "Acme"}));
  EXPECT_EQ(names("/organizations?sort=organization_type_name,name"), (std::vector<std::string>{"Acme", "Cobalt", "Beta"}));
  EXPECT_EQ(names("/organizations?sort=-created_at,-id").front(), "Cobalt");
  auto bad = api->get("/organizations?sort=quick_notes");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["errors"][0]["source"]["parameter"], "sort");
}

TEST_P(ApiResources, NestedRoutes_ScopeToTheOrganization) {
  const std::string a = "/organizations/" + std::to_string(org_a) + "/relationships/";
  auto r = api->post(a + "contacts", {{"data", json::array({{{"type", "contacts"}, {"attributes", {{"first_name", "X"}}}},
                                                            {{"type", "contacts"}, {"attributes", {{"first_name", "Y"}}}}})}});
  ASSERT_EQ(r.status, 201) << r.raw;
  ASSERT_EQ(r.body["data"].size(), 2u);
  EXPECT_EQ(r.body["data"][0]["attributes"]["organization-id"], org_a);
  api->create("contacts", {{"organization_id", org_b}, {"first_name", "Z"}});
  EXPECT_EQ(api->get(a + "contacts").body["data"].size(), 2u);
  auto other = api->create("locations", {{"organization_id", org_b}, {"name", "B site"}});
  EXPECT_EQ(api->get(a + "locations/" + std::to_string(other)).status, 404);
  EXPECT_EQ(api->get("/organizations/99999/relationships/contacts").status, 404);
  auto wrong = api->post(a + "locations", {{"data", {{"type", "locations"}, {"attributes", {{"name", "x"}, {"organization_id", org_b}}}}}});
  EXPECT_EQ(wrong.status, 422);
}

TEST_P(ApiResources, BulkPatchAndBulkDelete_AllOrNothing) {
  auto c = api->create("organizations", {{"name", "Cobalt"}});
  auto r = api->patch("/organizations", {{"data", json::array({{{"type", "organizations"}, {"attributes", {{"id", org_a}, {"alert", "VIP"}}}},
                                                               {{"type", "organizations"}, {"attributes", {{"id", c}, {"alert", "VIP"}}}}})}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(names("/organizations?sort=name&filter[id]=" + std::to_string(org_a) + "," + std::to_string(c), "alert"),
            (std::vector<std::string>{"VIP", "VIP"}));
  // One bad item and nothing is changed.
  auto before = api->snapshot();
  r = api->patch("/organizations", {{"data", json::array({{{"type", "organizations"}, {"attributes", {{"id", org_b}, {"alert", "x"}}}},
                                                          {{"type", "organizations"}, {"attributes", {{"id", 99999}, {"alert", "x"}}}}})}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(api->snapshot(), before);

  r = api->del("/organizations", json{{"data", json::array({{{"type", "organizations"}, {"attributes", {{"id", c}}}}})}}.dump());
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(api->get("/organizations/" + std::to_string(c)).status, 404);
  r = api->del("/organizations?filter[name]=Beta");
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(names("/organizations"), (std::vector<std::string>{"Acme"}));
  EXPECT_EQ(api->del("/organizations").status, 400);  // neither body nor filter: refuse to delete everything
}

TEST_P(ApiResources, PagingLoop_FollowingLinksNextVisitsEveryOrganizationOnce) {
  const int n = 2345;
  for (int start = 0; start < n; start += 500) {
    json data = json::array();
    for (int i = start; i < std::min(n, start + 500); ++i)
      data.push_back({{"type", "organizations"}, {"attributes", {{"name", "Org " + std::to_string(i)}}}});
    ASSERT_EQ(api->post("/organizations", {{"data", data}}).status, 201);
  }
  int requests = 0;
  auto ids = walk("/organizations?page[size]=1000", &requests);
  EXPECT_EQ(ids.size(), static_cast<size_t>(n + 2));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(requests, 3);
  auto first = api->get("/organizations?page[size]=1000");
  EXPECT_EQ(first.body["meta"]["total-count"], n + 2);
  EXPECT_EQ(first.body["meta"]["total-pages"], 3);
  EXPECT_EQ(first.body["meta"]["next-page"], 2);
  EXPECT_TRUE(first.body["meta"]["prev-page"].is_null());
}

TEST_P(ApiResources, PsaFilter_NeedsBothParametersAndFindsTheLinkedRecord) {
  {
    soci::session s(api->db().pool());
    s << "INSERT INTO integrations (kind, name, created_at, updated_at) VALUES ('connectwise', 'cw', 'x', 'x')";
    s << "INSERT INTO psa_links (integration_id, entity, local_id, psa_id, created_at, updated_at) "
         "VALUES ((SELECT MAX(id) FROM integrations), 'organization', :id, '250', 'x', 'x')",
        soci::use(org_b);
  }
  EXPECT_EQ(names("/organizations?filter[psa_id]=250&filter[psa_integration_type]=manage"), (std::vector<std::string>{"Beta"}));
  EXPECT_TRUE(names("/organizations?filter[psa_id]=250&filter[psa_integration_type]=autotask").empty());
  auto r = api->get("/organizations/" + std::to_string(org_b));
  EXPECT_EQ(r.body["data"]["attributes"]["psa-integration"], "manage");
  EXPECT_EQ(r.body["data"]["attributes"]["psa-sync-state"], "syncing");
  EXPECT_EQ(api->get("/organizations?filter[psa_id]=250").status, 400);
  // A synced record cannot be deleted until its sync is disabled (D18).
  EXPECT_EQ(api->del("/organizations/" + std::to_string(org_b)).status, 409);
}

TEST_P(ApiResources, Keys_NoKeyWrongKeyAndReaderWritesAreRefused) {
  auto none = api->call("GET", "/organizations", "", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body["errors"][0]["status"], 401);
  EXPECT_EQ(api->call("GET", "/organizations", "", "cairn_wrong").status, 401);
  EXPECT_EQ(api->call("GET", "/organizations", "", api->reader_key).status, 200);
  std::string body = R"({"data":{"type":"organizations","attributes":{"name":"x"}}})";
  auto before = api->snapshot();
  auto forbidden = api->call("POST", "/organizations", body, api->reader_key);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(forbidden.body["errors"][0]["title"], "Forbidden");
  EXPECT_EQ(api->snapshot(), before);
  EXPECT_EQ(api->call("POST", "/organizations", body, api->editor_key).status, 201);
  {
    soci::session s(api->db().pool());
    s << "UPDATE api_keys SET revoked_at = 'now' WHERE name = 'editor'";
  }
  EXPECT_EQ(api->call("GET", "/organizations", "", api->editor_key).status, 401);
  auto r = api->get("/organizations");
  EXPECT_EQ(r.status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiResources, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
