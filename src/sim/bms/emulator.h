#pragma once
// The Kaseya V2 platform emulator (psa-apis.md §3, §6): bearer-token login, accounts with their
// locations, contacts, hardware assets and picklists under /v2, paged lists with Filter.X
// parameters, the envelope and error bodies, the hourly budget per endpoint, and the V1 location
// writes under /api. Kaseya BMS runs it with the default Profile; Pulseway PSA with its own
// (src/sim/pulseway/).
#include <memory>
#include <string>

#include "sim/bms/options.h"
#include "sim/emulator.h"
#include "sim/world.h"

namespace cairn::sim::bms {

class BmsEmulator : public Emulator {
 public:
  BmsEmulator(World world, Options options);
  ~BmsEmulator() override;

  std::string kind() const override { return options_.profile.kind; }
  void set_base_url(const std::string& base_url) override;
  std::string ready_json() const override;
  void handle(const httplib::Request& req, httplib::Response& res) override;
  void write_throttled(httplib::Response& res, int retry_after_seconds) override;
  void write_server_error(httplib::Response& res) override;
  // Entities: accounts, locations, contacts, hardwareassets (bodies in the wire view's fields).
  AdminResult admin_create(const std::string& entity, const std::string& body) override;
  AdminResult admin_update(const std::string& entity, std::int64_t id, const std::string& body) override;
  AdminResult admin_delete(const std::string& entity, std::int64_t id) override;
  std::string admin_status() const override;
  bool admin_extra(const std::string& sub_path, const httplib::Request& req, httplib::Response& res) override;

  const Options& options() const { return options_; }

  struct Impl;

 private:
  Options options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::sim::bms
