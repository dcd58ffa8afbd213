#include "support/api_harness.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>

#include "api/directory_source_routes.h"
#include "api/integration_routes.h"
#include "api/sync_routes.h"
#include "core/schema.h"
#include "store/api_keys.h"

namespace cairn::test {

ApiHarness::ApiHarness(Backend b) : tdb_(std::make_unique<TestDatabase>(b)) {
  {
    soci::session s(tdb_->db().pool());
    admin_key = store::create_api_key(s, "admin", store::Role::Admin).secret;
    editor_key = store::create_api_key(s, "editor", store::Role::Editor).secret;
    reader_key = store::create_api_key(s, "reader", store::Role::Reader).secret;
  }
  api::AppOptions options;
  options.key_cache = std::chrono::milliseconds(0);  // tests revoke keys and expect it at once
  app_ = std::make_unique<api::App>(tdb_->db(), options);
  api::add_integration_routes(*app_);
  api::add_directory_source_routes(*app_);
  api::add_sync_routes(*app_, nullptr);
  api::HttpOptions o;
  o.port = 0;
  o.threads = 4;
  server_ = std::make_unique<api::ApiServer>(*app_, o);
  server_->bind();
  base_url_ = server_->base_url();
  thread_ = std::thread([this] { server_->serve(); });
  client_ = std::make_unique<httplib::Client>(base_url_);
  client_->set_read_timeout(60, 0);
}

ApiHarness::~ApiHarness() {
  client_.reset();
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

Reply ApiHarness::call(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& key, const std::string& content_type) {
  httplib::Headers h;
  if (!key.empty()) h.emplace("x-api-key", key);
  httplib::Result r(nullptr, httplib::Error::Unknown);
  if (method == "GET") r = client_->Get(path, h);
  else if (method == "POST") r = client_->Post(path, h, body, content_type);
  else if (method == "PATCH") r = client_->Patch(path, h, body, content_type);
  else if (method == "PUT") r = client_->Put(path, h, body, content_type);
  else if (method == "DELETE") r = body.empty() ? client_->Delete(path, h) : client_->Delete(path, h, body, content_type);
  Reply out;
  if (!r) {
    ADD_FAILURE() << method << " " << path << ": " << httplib::to_string(r.error());
    return out;
  }
  out.status = r->status;
  out.raw = r->body;
  if (!r->body.empty()) out.body = nlohmann::json::parse(r->body, nullptr, false);
  if (out.body.is_discarded()) out.body = nullptr;
  return out;
}

std::int64_t ApiHarness::create(const std::string& type, const nlohmann::json& attributes) {
  auto r = post("/" + type, {{"data", {{"type", type}, {"attributes", attributes}}}});
  EXPECT_EQ(r.status, 201) << "creating " << type << ": " << r.raw;
  if (r.status != 201) return 0;
  return std::stoll(r.body["data"]["id"].get<std::string>());
}

nlohmann::json ApiHarness::attributes(const std::string& type, const std::string& id) {
  auto r = get("/" + type + "/" + id);
  EXPECT_EQ(r.status, 200) << r.raw;
  return r.body["data"]["attributes"];
}

bool ApiHarness::push_state_becomes(const std::string& type, const std::string& id, const std::string& state) {
  for (int i = 0; i < 200; ++i) {
    if (attributes(type, id)["psa-push-state"] == state) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string ApiHarness::snapshot() {
  soci::session s(tdb_->db().pool());
  std::string out;
  std::vector<std::string> tables;
  for (const auto* e : core::all_entities()) tables.push_back(e->table);
  for (const char* t : {"contact_emails", "contact_phones", "audit_events", "psa_links", "outbox"}) tables.push_back(t);
  for (const auto& t : tables) {
    out += "== " + t + "\n";
    soci::rowset<soci::row> rs = (s.prepare << "SELECT * FROM " + t + " ORDER BY id");
    for (const auto& row : rs) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (row.get_indicator(i) == soci::i_null) {
          out += "NULL|";
          continue;
        }
        switch (row.get_properties(i).get_data_type()) {
          case soci::dt_string: out += row.get<std::string>(i); break;
          case soci::dt_integer: out += std::to_string(row.get<int>(i)); break;
          case soci::dt_long_long: out += std::to_string(row.get<long long>(i)); break;
          case soci::dt_unsigned_long_long: out += std::to_string(row.get<unsigned long long>(i)); break;
          case soci::dt_double: out += std::to_string(row.get<double>(i)); break;
          default: out += "?"; break;
        }
        out += "|";
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace cairn::test
