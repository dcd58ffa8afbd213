#pragma once
// A Tigerpaw emulator served in-process on a free port, with a client that signs its requests
// the way a Tigerpaw client does (the emulator's own TSI helpers: these tests check the emulator,
// and the sync tests read what it serves to compare with what Cairn wrote).
#include <chrono>
#include <memory>
#include <string>

#include "sim/tigerpaw/emulator.h"
#include "sim/tigerpaw/tsi_signature.h"
#include "sim_harness.h"

namespace cairn::test {

inline sim::Timestamp wall_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class TpSim {
 public:
  explicit TpSim(sim::World world = sim::make_demo_world(1), sim::tigerpaw::Options tp = {}) : tp_(tp), world_(world) {
    sim::SimServerOptions options;
    options.http.port = 0;
    server_ = std::make_unique<sim::SimServer>(std::make_unique<sim::tigerpaw::TigerpawEmulator>(std::move(world), tp),
                                               options);
    base_ = server_->start();
    client_ = std::make_unique<httplib::Client>(base_);
    client_->set_read_timeout(60);
  }

  // The headers a Tigerpaw client sends for method + path (path without the query string).
  httplib::Headers signed_headers(const std::string& method, const std::string& path, sim::Timestamp when = 0,
                                  const std::string& private_key = "") const {
    const std::string stamp = sim::tigerpaw::format_rfc1123(when ? when : wall_now());
    const std::string sig =
        sim::tigerpaw::tsi_signature(private_key.empty() ? tp_.private_key : private_key, method, path, stamp);
    return {{"Authorization", sim::tigerpaw::tsi_authorization(tp_.public_key, sig)}, {"X-TSI-Date", stamp}};
  }
  // path is relative to /api ("/accounts/1"); query strings are not signed.
  SimReply call(const std::string& method, const std::string& path, const std::string& body = "") {
    const std::string full = "/api" + path;
    return raw(method, full, body, signed_headers(method, full.substr(0, full.find('?'))));
  }
  SimReply get(const std::string& path) { return call("GET", path); }
  SimReply post(const std::string& path, const nlohmann::json& body) { return call("POST", path, body.dump()); }
  SimReply put(const std::string& path, const nlohmann::json& body) { return call("PUT", path, body.dump()); }
  SimReply del(const std::string& path) { return call("DELETE", path); }
  SimReply raw(const std::string& method, const std::string& path, const std::string& body, const httplib::Headers& h) {
    if (method == "GET") return test::to_reply(client_->Get(path, h));
    if (method == "DELETE") return test::to_reply(client_->Delete(path, h, body, "application/json"));
    if (method == "POST") return test::to_reply(client_->Post(path, h, body, "application/json"));
    if (method == "PUT") return test::to_reply(client_->Put(path, h, body, "application/json"));
    ADD_FAILURE() << "unsupported method " << method;
    return {};
  }
  SimReply admin(const std::string& method, const std::string& path, const std::string& body = "") {
    return raw(method == "PATCH" ? "PUT" : method, "/__sim" + path, body, {});
  }

  const sim::World& world() const { return world_; }
  const sim::tigerpaw::Options& options() const { return tp_; }
  const std::string& base_url() const { return base_; }

 private:
  sim::tigerpaw::Options tp_;
  sim::World world_;
  std::unique_ptr<sim::SimServer> server_;
  std::string base_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace cairn::test
