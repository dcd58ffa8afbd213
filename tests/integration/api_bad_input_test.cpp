// Bad input gets a JSON:API error naming what was wrong, and writes nothing: each case reads
// the whole store back afterwards and compares it with before.
#include <gtest/gtest.h>

#include "support/api_harness.h"
#include "support/raw_http.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

class ApiBadInput : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    api = std::make_unique<test::ApiHarness>(GetParam());
    server = api->create("configuration_types", {{"name", "Server"}});
    org = api->create("organizations", {{"name", "Acme"}});
    cfg = api->create("configurations", {{"organization_id", org}, {"name", "srv"}, {"configuration_type_id", server}});
  }
  // Sends the request and checks the answer's status, pointer and that the store is unchanged.
  json expect_refused(const std::string& method, const std::string& path, const std::string& body, int status,
                      const std::string& pointer = "", const std::string& content_type = "application/vnd.api+json") {
    auto before = api->snapshot();
    auto r = api->call(method, path, body, api->admin_key, content_type);
    EXPECT_EQ(r.status, status) << r.raw;
    EXPECT_TRUE(r.body.is_object() && r.body.contains("errors")) << r.raw;
    if (r.body.is_object() && r.body.contains("errors")) {
      const auto& e = r.body["errors"][0];
      EXPECT_EQ(e["status"], status);
      EXPECT_TRUE(e.contains("title") && e.contains("detail")) << r.raw;
      if (!pointer.empty()) {
        EXPECT_EQ(e["source"]["pointer"], pointer) << r.raw;
      }
    }
    EXPECT_EQ(api->snapshot(), before) << "the store changed after a refused " << method << " " << path;
    return r.body;
  }
  std::string cfg_path() { return "/configurations/" + std::to_string(cfg); }
  static std::string doc(const std::string& type, const json& attributes) {
    return json{{"data", {{"type", type}, {"attributes", attributes}}}}.dump();
  }

  std::unique_ptr<test::ApiHarness> api;
  std::int64_t server = 0, org = 0, cfg = 0;
};

TEST_P(ApiBadInput, MalformedJson_Is400) {
  expect_refused("POST", "/organizations", "{\"data\": {\"type\": ", 400);
  expect_refused("PATCH", cfg_path(), "not json at all", 400);
  expect_refused("POST", "/organizations", "{\"nodata\": 1}", 400);
}

TEST_P(ApiBadInput, WrongJsonType_Is422WithPointer) {
  expect_refused("POST", "/organizations", doc("organizations", {{"name", 42}}), 422, "/data/attributes/name");
  expect_refused("PATCH", cfg_path(), doc("configurations", {{"archived", "sometimes"}}), 422, "/data/attributes/archived");
  expect_refused("PATCH", cfg_path(), doc("configurations", {{"configuration-type-id", "abc"}}), 422,
                 "/data/attributes/configuration-type-id");
  expect_refused("POST", "/organizations", doc("configurations", {{"name", "x"}}), 422, "/data/type");
  expect_refused("POST", "/organizations", json{{"data", {{"type", "organizations"}, {"attributes", "x"}}}}.dump(), 422,
                 "/data/attributes");
}

TEST_P(ApiBadInput, UnknownAttribute_Is422NamingIt) {
  auto body = expect_refused("PATCH", cfg_path(), doc("configurations", {{"name", "ok"}, {"colour", "red"}}), 422,
                             "/data/attributes/colour");
  EXPECT_NE(body["errors"][0]["detail"].get<std::string>().find("colour"), std::string::npos);
}

TEST_P(ApiBadInput, MissingRequiredField_Is422) {
  expect_refused("POST", "/configurations", doc("configurations", {{"organization_id", org}, {"name", "x"}}), 422,
                 "/data/attributes/configuration-type-id");
  expect_refused("POST", "/organizations", doc("organizations", {{"short_name", "x"}}), 422, "/data/attributes/name");
  expect_refused("PATCH", cfg_path(), doc("configurations", {{"name", nullptr}}), 422, "/data/attributes/name");
  expect_refused("PATCH", cfg_path(), doc("configurations", {{"name", ""}}), 422, "/data/attributes/name");
}

TEST_P(ApiBadInput, MacAddressOver17Characters_Is422) {
  auto body = expect_refused("PATCH", cfg_path(), doc("configurations", {{"mac_address", "00:11:22:33:44:55:66"}}), 422,
                             "/data/attributes/mac-address");
  EXPECT_NE(body["errors"][0]["detail"].get<std::string>().find("17"), std::string::npos);
}

TEST_P(ApiBadInput, MalformedValues_Are422) {
  expect_refused("PATCH", cfg_path(), doc("configurations", {{"primary_ip", "10.0.0.300"}}), 422, "/data/attributes/primary-ip");
  expect_refused("PATCH", cfg_path(), doc("configurations", {{"installed_at", "2024-02-30"}}), 422, "/data/attributes/installed-at");
  expect_refused("POST", "/contacts",
                 doc("contacts", {{"organization_id", org}, {"contact_emails", json::array({{{"value", "not-an-email"}}})}}), 422,
                 "/data/attributes/contact-emails/0/value");
  expect_refused("POST", "/contacts",
                 doc("contacts", {{"organization_id", org}, {"contact_phones", json::array({{{"value", "1"}, {"label_type", "pager"}}})}}),
                 422, "/data/attributes/contact-phones/0/label-type");
}

TEST_P(ApiBadInput, ReferenceToMissingTypeOrOrganization_Is422) {
  expect_refused("PATCH", cfg_path(), doc("configurations", {{"configuration_type_id", 424242}}), 422,
                 "/data/attributes/configuration-type-id");
  expect_refused("POST", "/configurations",
                 doc("configurations", {{"organization_id", 99999}, {"name", "x"}, {"configuration_type_id", server}}), 422,
                 "/data/attributes/organization-id");
  expect_refused("POST", "/organizations/99999/relationships/contacts", doc("contacts", {{"first_name", "x"}}), 404);
}

TEST_P(ApiBadInput, BadPagingAndFilters_Are400) {
  expect_refused("GET", "/organizations?page[size]=1001", "", 400);
  expect_refused("GET", "/organizations?page[size]=0", "", 400);
  expect_refused("GET", "/organizations?page[number]=two", "", 400);
  expect_refused("GET", "/organizations?filter[colour]=red", "", 400);
  expect_refused("GET", "/organizations?filter[organization_type_id]=abc", "", 400);
  expect_refused("GET", "/organizations?filter[created_at]=yesterday,*", "", 400);
}

TEST_P(ApiBadInput, BodyOver10MiB_Is413) {
  std::string huge = doc("organizations", {{"name", "x"}, {"description", std::string(11 * 1024 * 1024, 'a')}});
  expect_refused("POST", "/organizations", huge, 413);
}

TEST_P(ApiBadInput, UnknownRouteAndMethod_AreJsonErrors) {
  expect_refused("GET", "/nothing-here", "", 404);
  expect_refused("GET", "/organizations/abc", "", 404);
  expect_refused("GET", "/organizations/123456", "", 404);
  expect_refused("PUT", "/organizations/1", doc("organizations", {{"name", "x"}}), 405);
}

// What `curl -X POST URL` sends: no body and no Content-Length. Such a request has no body
// (RFC 9112, 6.3) and is served at once; httplib alone waited 5 s for one, then answered 400.
TEST_P(ApiBadInput, PostWithoutContentLength_IsServedAtOnce_AsAnEmptyBody) {
  if (GetParam() != Backend::Sqlite) GTEST_SKIP() << "no database is involved; once is enough";
  auto raw = [&](const std::string& method, const std::string& path) {
    test::RawConnection c(api->base_url());
    c.send(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " + api->admin_key +
           "\r\nConnection: close\r\n\r\n");
    return c.receive_all(2);  // under httplib's 5 s wait: a request left waiting for a body fails here
  };
  // An action without a body is answered as with Content-Length: 0.
  auto action = raw("POST", cfg_path() + "/actions/retry-push");
  EXPECT_EQ(action.rfind("HTTP/1.1 409", 0), 0u) << action;
  EXPECT_NE(action.find("has no failed push to retry"), std::string::npos) << action;
  // A create without a body is malformed JSON, as an empty body is, and writes nothing.
  auto before = api->snapshot();
  auto create = raw("POST", "/organizations");
  EXPECT_EQ(create.rfind("HTTP/1.1 400", 0), 0u) << create;
  EXPECT_EQ(api->snapshot(), before);
}

TEST_P(ApiBadInput, WrongContentType_Is415) {
  expect_refused("POST", "/organizations", doc("organizations", {{"name", "x"}}), 415, "", "text/plain");
}

TEST_P(ApiBadInput, SecondItemOfABulkCreateBad_NothingWritten) {
  json data = json::array({{{"type", "organizations"}, {"attributes", {{"name", "fine"}}}},
                           {{"type", "organizations"}, {"attributes", {{"name", 7}}}}});
  expect_refused("POST", "/organizations", json{{"data", data}}.dump(), 422, "/data/1/attributes/name");
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiBadInput, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
