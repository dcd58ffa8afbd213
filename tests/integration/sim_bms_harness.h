#pragma once
// A Kaseya V2 platform emulator (BMS or Pulseway PSA) served in-process on a free port, with a
// client that logs in as a V2 integration does (form login, then Bearer) and helpers to read the
// envelope.
#include <memory>
#include <string>

#include "sim/bms/emulator.h"
#include "sim/pulseway/emulator.h"
#include "sim_harness.h"

namespace cairn::test {

class KaseyaSim {
 public:
  explicit KaseyaSim(sim::bms::Options options = {}, sim::World world = sim::make_demo_world(1))
      : options_(options), world_(world) {
    sim::SimServerOptions so;
    so.http.port = 0;
    std::unique_ptr<sim::Emulator> e;
    if (options.profile.kind == "pulseway") e = std::make_unique<sim::pulseway::PulsewayEmulator>(std::move(world), options);
    else e = std::make_unique<sim::bms::BmsEmulator>(std::move(world), options);
    server_ = std::make_unique<sim::SimServer>(std::move(e), so);
    base_ = server_->start();
    client_ = std::make_unique<httplib::Client>(base_);
    client_->set_read_timeout(60);
  }

  // POST /v2/security/authenticate as a form; the reply as is.
  SimReply authenticate(const std::string& user, const std::string& password, const std::string& tenant) {
    httplib::Params form = {{"GrantType", "password"}, {"UserName", user}, {"Password", password}, {"Tenant", tenant}};
    return to_reply(client_->Post("/v2/security/authenticate", form));
  }
  // Logs in with the configured credentials and keeps the token for call().
  void login() {
    auto r = authenticate(options_.username, options_.password, options_.tenant);
    ASSERT_EQ(r.status, 200) << r.raw;
    token_ = r.body["result"]["accessToken"];
    refresh_ = r.body["result"]["refreshToken"];
  }

  // path below /v2 ("/crm/accounts/summary?PageNumber=2").
  SimReply call(const std::string& method, const std::string& path, const std::string& body = "") {
    return raw(method, "/v2" + path, body, bearer());
  }
  SimReply get(const std::string& path) { return call("GET", path); }
  SimReply post(const std::string& path, const nlohmann::json& body) { return call("POST", path, body.dump()); }
  SimReply put(const std::string& path, const nlohmann::json& body) { return call("PUT", path, body.dump()); }
  SimReply patch(const std::string& path, const nlohmann::json& ops) { return call("PATCH", path, ops.dump()); }
  SimReply del(const std::string& path) { return call("DELETE", path); }
  SimReply admin(const std::string& method, const std::string& path, const std::string& body = "") {
    return raw(method, "/__sim" + path, body, {});
  }
  SimReply raw(const std::string& method, const std::string& path, const std::string& body, const httplib::Headers& h) {
    if (method == "GET") return to_reply(client_->Get(path, h));
    if (method == "DELETE") return to_reply(client_->Delete(path, h, body, "application/json"));
    if (method == "POST") return to_reply(client_->Post(path, h, body, "application/json"));
    if (method == "PUT") return to_reply(client_->Put(path, h, body, "application/json"));
    if (method == "PATCH") return to_reply(client_->Patch(path, h, body, "application/json"));
    ADD_FAILURE() << "unsupported method " << method;
    return {};
  }
  SimReply post_form(const std::string& path, const httplib::Params& form) { return to_reply(client_->Post(path, form)); }

  httplib::Headers bearer() const { return {{"Authorization", "Bearer " + token_}}; }
  const std::string& token() const { return token_; }
  const std::string& refresh_token() const { return refresh_; }
  void set_token(std::string t) { token_ = std::move(t); }
  const sim::bms::Options& options() const { return options_; }
  const sim::World& world() const { return world_; }
  const std::string& base_url() const { return base_; }
  sim::SimServer& server() { return *server_; }
  // The world's id as the emulator serves it (Pulseway offsets record ids).
  std::int64_t id(std::int64_t world_id) const { return world_id + options_.profile.id_offset; }

 private:
  sim::bms::Options options_;
  sim::World world_;
  std::unique_ptr<sim::SimServer> server_;
  std::string base_;
  std::unique_ptr<httplib::Client> client_;
  std::string token_, refresh_;
};

// The envelope's error, for assertions: {"code":…,"message":…}.
inline void expect_failure(const SimReply& r, int status) {
  EXPECT_EQ(r.status, status) << r.raw;
  ASSERT_TRUE(r.body.is_object()) << r.raw;
  EXPECT_EQ(r.body["success"], false) << r.raw;
  EXPECT_TRUE(r.body["result"].is_null());
  EXPECT_TRUE(r.body["error"]["message"].is_string()) << r.raw;
}

inline std::vector<std::int64_t> result_ids(const SimReply& r) {
  std::vector<std::int64_t> ids;
  for (const auto& row : r.body["result"]) ids.push_back(row["id"].get<std::int64_t>());
  return ids;
}

}  // namespace cairn::test
