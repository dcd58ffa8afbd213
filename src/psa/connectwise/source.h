#pragma once
// ConnectWise Manage as a sync source: companies, sites, contacts and configurations through the
// mapping table, asking only for the mapped fields.
#include <memory>

#include "psa/connectwise/client.h"
#include "psa/json_codec.h"
#include "psa/source.h"

namespace cairn::psa::connectwise {

class Source : public psa::Source {
 public:
  Source(std::string site, Credentials c, net::HttpClientOptions http = {});
  void pull(core::SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
            const std::function<void(const core::PsaRecord&)>& each) override;
  std::optional<core::PsaRecord> fetch(core::SyncEntity e, const std::string& psa_id, const std::string& company) override;
  std::map<std::string, std::vector<std::string>> catalogue() override;
  std::int64_t requests() const override { return static_cast<std::int64_t>(http_->requests_sent()); }
  Client& client() { return *client_; }

 private:
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Client> client_;
  PageDecoder decoder_;  // pages are parsed with simdjson (json_codec.h)
};

// The `fields` parameter that asks for exactly what the mapping reads of an entity.
std::string fields_for(core::SyncEntity e);

}  // namespace cairn::psa::connectwise
