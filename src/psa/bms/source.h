#pragma once
// Kaseya BMS, and Pulseway PSA on the same V2 platform (the Platform says which), as a sync source: accounts (with their locations inside), contacts and hardware
// assets through the mapping table. Accounts and contacts pull incrementally with
// Filter.ModifiedOnFrom; assets have no change filter and a slim list row, so every pull lists
// them all and reads each full record by id (D28, simplified: see docs/sync.md), within D19's
// 1,500 calls per hour on that endpoint.
#include <memory>

#include "psa/bms/client.h"
#include "psa/source.h"

namespace cairn::psa::bms {

class Source : public psa::Source {
 public:
  Source(const Platform& platform, std::string base_url, Credentials c, net::HttpClientOptions http = {},
         int hourly_calls_per_endpoint = kHourlyCallsPerEndpoint);
  void pull(core::SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
            const std::function<void(const core::PsaRecord&)>& each) override;
  std::optional<core::PsaRecord> fetch(core::SyncEntity e, const std::string& psa_id, const std::string& company) override;
  std::map<std::string, std::vector<std::string>> catalogue() override;
  std::int64_t requests() const override { return static_cast<std::int64_t>(http_->requests_sent()); }
  Client& client() { return *client_; }
  const Client& client() const { return *client_; }

 private:
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Client> client_;
};

// One V2 record (an account, a location with "accountId", a contact, a full hardware asset) as a
// PsaRecord. Pure.
core::PsaRecord to_record(core::SyncEntity e, nlohmann::json wire);

}  // namespace cairn::psa::bms
