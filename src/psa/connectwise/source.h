#pragma once
// ConnectWise Manage as a sync source: companies, sites, contacts and configurations through the
// mapping table, asking only for the mapped fields.
#include <nlohmann/json_fwd.hpp>

#include <map>
#include <memory>

#include "psa/connectwise/client.h"
#include "psa/json_codec.h"
#include "psa/owned_pull.h"
#include "psa/source.h"

namespace cairn::psa::connectwise {

// Site lists in flight at once. ConnectWise has no list of all sites: a sync asks each company
// for its own, 20,000 small requests at 20,000 companies, each mostly waiting on the server.
inline constexpr size_t kSiteLists = 4;

class Source : public psa::Source, public psa::OwnedPull {
 public:
  Source(std::string site, Credentials c, net::HttpClientOptions http = {});
  void pull(core::SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
            const std::function<void(const core::PsaRecord&)>& each) override;
  void pull_owned(core::SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
                  const std::function<void(core::PsaRecord&&)>& take) override;
  std::optional<core::PsaRecord> fetch(core::SyncEntity e, const std::string& psa_id, const std::string& company) override;
  std::map<std::string, std::vector<std::string>> catalogue() override;
  // Two-way: PATCH with JSON Patch "replace" operations, POST of the entity; references Cairn
  // knows by name (status, type, manufacturer, country) are sent by ConnectWise's id.
  core::PsaRecord update(const core::PsaRecord& changes, const std::string& company) override;
  core::PsaRecord create(const core::PsaRecord& record, const std::string& company, const std::string& owner) override;
  std::int64_t requests() const override;
  Client& client() { return *client_; }

 private:
  // The members of a change set, with every name-only reference replaced by its id.
  nlohmann::json members_for(const core::PsaRecord& changes);
  std::int64_t id_of(core::SyncEntity e, const std::string& member, const std::string& name);
  core::PsaRecord decoded(core::SyncEntity e, const nlohmann::json& wire, const std::string& company);
  std::map<std::string, std::map<std::string, std::int64_t>> ids_;  // list path → name → id, read once
  // Sites are listed per company: `conditions` ("" or changed since), each company's pages read
  // in company order, a few companies asked for at once.
  void pull_sites(const std::string& conditions, const std::vector<std::string>& companies,
                  const std::function<std::optional<size_t>(const std::string& body, const std::string& company)>& read);
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Client> client_;
  // The site lists' own connections (kSiteLists), made with the source so requests() can count
  // them from another thread; each paced at kSiteLists x the minimum interval, so together they
  // keep to the configured rate (D19).
  std::vector<std::unique_ptr<net::HttpClient>> site_http_;
  std::vector<std::unique_ptr<Client>> site_clients_;
  PageDecoder decoder_;  // pages are parsed with simdjson (json_codec.h)
};

// The `fields` parameter that asks for exactly what the mapping reads of an entity.
std::string fields_for(core::SyncEntity e);

}  // namespace cairn::psa::connectwise
