#pragma once
// What every PSA emulator implements. The framework (SimServer) owns the HTTP server, the admin
// path, the request log and fault injection; an Emulator answers its PSA's REST API and knows
// that PSA's error bodies, credentials and record shapes.
#include <cstdint>
#include <string>

#include "sim/sim_time.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace cairn::sim {

// An admin operation's answer: HTTP status and a JSON body ("" for none).
struct AdminResult {
  int status = 200;
  std::string body;
};

class Emulator {
 public:
  virtual ~Emulator() = default;

  // "connectwise", "autotask", ...
  virtual std::string kind() const = 0;
  // Called once the server is bound, before the first request: links and discovery answers
  // (ConnectWise's companyinfo, Autotask's zoneInformation) point at this URL.
  virtual void set_base_url(const std::string& base_url) = 0;
  // One JSON object for `cairn psa-sim`'s ready line: the kind, the base URL clients should use
  // and the credentials that work.
  virtual std::string ready_json() const = 0;

  // The PSA's REST API: every request outside the admin path.
  virtual void handle(const httplib::Request& req, httplib::Response& res) = 0;
  // The PSA's own answers for a throttled request and for an injected server failure.
  virtual void write_throttled(httplib::Response& res, int retry_after_seconds) = 0;
  virtual void write_server_error(httplib::Response& res) = 0;

  // Changes made "as a PSA user" through the admin path: they bump the record's last-updated
  // time and fire webhooks like a change in the PSA's own UI would. `entity` is the PSA's own
  // collection name (ConnectWise: companies, configurations, contacts, sites, ...); `body` is
  // a JSON object in the PSA's wire format (for update: only the fields that change).
  virtual AdminResult admin_create(const std::string& entity, const std::string& body) = 0;
  virtual AdminResult admin_update(const std::string& entity, std::int64_t id, const std::string& body) = 0;
  virtual AdminResult admin_delete(const std::string& entity, std::int64_t id) = 0;
  // Record counts per entity and other PSA-specific state, as a JSON object.
  virtual std::string admin_status() const = 0;
  // PSA-specific admin routes under the admin path (e.g. webhook deliveries); `sub_path` is the
  // part after the admin prefix. Returns false when the route is not the emulator's.
  virtual bool admin_extra(const std::string& sub_path, const httplib::Request& req, httplib::Response& res) = 0;

  // Stops background work (webhook delivery) before the server goes away.
  virtual void shutdown() {}

  SimClock& clock() { return clock_; }
  const SimClock& clock() const { return clock_; }

 private:
  SimClock clock_;
};

}  // namespace cairn::sim
