#pragma once
// Cairn's API served in-process on a free port over a fresh test database, with one key per role.
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <thread>

#include "api/app.h"
#include "support/test_database.h"

namespace cairn::test {

struct Reply {
  int status = 0;
  nlohmann::json body;  // null when the body is empty or not JSON
  std::string raw;
};

class ApiHarness {
 public:
  explicit ApiHarness(Backend b);
  ~ApiHarness();

  Reply get(const std::string& path) { return call("GET", path, "", admin_key); }
  Reply post(const std::string& path, const nlohmann::json& body) { return call("POST", path, body.dump(), admin_key); }
  Reply patch(const std::string& path, const nlohmann::json& body) { return call("PATCH", path, body.dump(), admin_key); }
  Reply del(const std::string& path, const std::string& body = "") { return call("DELETE", path, body, admin_key); }
  Reply call(const std::string& method, const std::string& path, const std::string& body, const std::string& key,
             const std::string& content_type = "application/vnd.api+json");

  // Creates a resource and returns its id; fails the test when the API refuses.
  std::int64_t create(const std::string& type, const nlohmann::json& attributes);
  // A resource's attributes; fails the test unless the API answers 200.
  nlohmann::json attributes(const std::string& type, const std::string& id);
  // Waits (at most 10 s) until the record's psa-push-state is `state`; false when it never is.
  bool push_state_becomes(const std::string& type, const std::string& id, const std::string& state);

  // Every row of every documentation table and the audit trail, as text: equal before and
  // after a refused request means nothing was written.
  std::string snapshot();

  store::Database& db() { return tdb_->db(); }
  const std::string& base_url() const { return base_url_; }
  std::string admin_key, editor_key, reader_key;

 private:
  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<api::App> app_;
  std::unique_ptr<api::ApiServer> server_;
  std::thread thread_;
  std::string base_url_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace cairn::test
