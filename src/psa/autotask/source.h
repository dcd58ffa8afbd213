#pragma once
// Autotask as a sync source: companies, company locations, contacts and configuration items
// through the mapping table, asking only for the mapped fields, with Autotask's id lookups
// (company type picklist, CI types, products, resources) read once per run (D27).
#include <map>
#include <memory>

#include "psa/autotask/client.h"
#include "psa/owned_pull.h"
#include "psa/source.h"

namespace cairn::psa::autotask {

class Source : public psa::Source, public psa::OwnedPull {
 public:
  // zone_url "" asks the zone look-up at lookup_url.
  Source(std::string zone_url, Credentials c, net::HttpClientOptions http = {}, std::string lookup_url = kZoneLookupUrl);
  void pull(core::SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
            const std::function<void(const core::PsaRecord&)>& each) override;
  void pull_owned(core::SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
                  const std::function<void(core::PsaRecord&&)>& take) override;
  std::optional<core::PsaRecord> fetch(core::SyncEntity e, const std::string& psa_id, const std::string& company) override;
  std::map<std::string, std::vector<std::string>> catalogue() override;
  // Two-way: PATCH of {"id", changed fields}, POST of the entity; Contacts and CompanyLocations
  // through their company's URL. Names Cairn keeps (company type, CI type, product, resource)
  // are sent as Autotask's ids, from the same tables pulls read.
  core::PsaRecord update(const core::PsaRecord& changes, const std::string& company) override;
  core::PsaRecord create(const core::PsaRecord& record, const std::string& company, const std::string& owner) override;
  std::optional<long> budget_left() override { return client_->budget_left(); }
  void renew_budget() override { client_->renew_budget(); }
  std::int64_t requests() const override { return static_cast<std::int64_t>(http_->requests_sent()); }
  Client& client() { return *client_; }

 private:
  // Id → the value a "~" member carries, per Autotask id field; read on first use.
  using Table = std::map<std::string, nlohmann::json>;
  const Table& lookup(const std::string& id_field);
  void resolve(nlohmann::json& wire);
  core::PsaRecord to_record(core::SyncEntity e, nlohmann::json wire);
  // The members of a change set with every "~" member replaced by its id field.
  nlohmann::json members_for(const core::PsaRecord& changes);
  std::string id_for(const std::string& id_field, const std::function<bool(const nlohmann::json&)>& match,
                     const std::string& what);
  std::string write_path(core::SyncEntity e, const std::string& company);
  core::PsaRecord written(core::SyncEntity e, const std::string& psa_id, const std::string& company);

  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Client> client_;
  std::map<std::string, Table> tables_;
};

}  // namespace cairn::psa::autotask
