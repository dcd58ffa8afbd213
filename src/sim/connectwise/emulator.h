#pragma once
// The ConnectWise Manage emulator: /login/companyinfo, /{codebase}apis/3.0/... with Basic auth
// and clientId, the collections Cairn syncs (psa-apis.md §1.3), the query language and paging
// (§1.4-1.5), ConnectWise's error bodies (§1.6) and signed callbacks (§1.7).
#include <memory>
#include <string>

#include "sim/connectwise/options.h"
#include "sim/emulator.h"
#include "sim/world.h"

namespace cairn::sim::connectwise {

class ConnectWiseEmulator final : public Emulator {
 public:
  ConnectWiseEmulator(World world, Options options);
  ~ConnectWiseEmulator() override;

  std::string kind() const override { return "connectwise"; }
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
  // The API root clients are configured with: {base}/{codebase}apis/3.0
  std::string api_root() const;

  struct Impl;

 private:
  Options options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::sim::connectwise
