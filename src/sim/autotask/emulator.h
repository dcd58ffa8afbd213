#pragma once
// The Autotask REST API v1.0 emulator: zoneInformation, header auth, the entities Cairn syncs
// (psa-apis.md §2.3, §2.9), JSON queries with cursor paging (§2.4-2.5), the request and thread
// thresholds (§2.6), Autotask's error bodies (§2.7) and signed webhooks (§2.8).
#include <memory>
#include <string>

#include "sim/autotask/options.h"
#include "sim/emulator.h"
#include "sim/world.h"

namespace cairn::sim::autotask {

class AutotaskEmulator final : public Emulator {
 public:
  AutotaskEmulator(World world, Options options);
  ~AutotaskEmulator() override;

  std::string kind() const override { return "autotask"; }
  void set_base_url(const std::string& base_url) override;
  std::string ready_json() const override;
  void handle(const httplib::Request& req, httplib::Response& res) override;
  void write_throttled(httplib::Response& res, int retry_after_seconds) override;
  void write_server_error(httplib::Response& res) override;
  AdminResult admin_create(const std::string& entity, const std::string& body) override;
  AdminResult admin_update(const std::string& entity, std::int64_t id, const std::string& body) override;
  AdminResult admin_delete(const std::string& entity, std::int64_t id) override;
  std::string admin_status() const override;
  bool admin_extra(const std::string& sub_path, const httplib::Request& req, httplib::Response& res) override;
  void shutdown() override;

  const Options& options() const { return options_; }
  // What zoneInformation answers as "url": {base}/atservicesrest/
  std::string zone_url() const;
  // The fieldID a webhook Fields record names `field` of `entity` ("Companies") with: its
  // 1-based position in /{entity}/entityInformation/fields. 0 when unknown.
  static int webhook_field_id(const std::string& entity, const std::string& field);

  struct Impl;

 private:
  Options options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::sim::autotask
