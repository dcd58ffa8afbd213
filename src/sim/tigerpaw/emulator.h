#pragma once
// The Tigerpaw One REST API emulator (psa-apis.md §5): the TSI request signature, accounts and
// contacts with their phone numbers and e-mail addresses, the master tables Cairn reads, POST
// advanced searches paged by StartRow / NextRow, and ASP.NET-style error bodies. Tigerpaw has no
// webhooks and no modified dates: a Cairn sync reads everything and compares values.
#include <memory>
#include <string>

#include "sim/emulator.h"
#include "sim/tigerpaw/options.h"
#include "sim/world.h"

namespace cairn::sim::tigerpaw {

class TigerpawEmulator final : public Emulator {
 public:
  TigerpawEmulator(World world, Options options);
  ~TigerpawEmulator() override;

  std::string kind() const override { return "tigerpaw"; }
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

  const Options& options() const { return options_; }

  struct Impl;

 private:
  Options options_;
  std::string base_url_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::sim::tigerpaw
