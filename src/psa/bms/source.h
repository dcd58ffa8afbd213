#pragma once
// Kaseya BMS, and Pulseway PSA on the same V2 platform (the Platform says which), as a sync source: accounts (with their locations inside), contacts and hardware
// assets through the mapping table. Accounts and contacts pull incrementally with
// Filter.ModifiedOnFrom; assets have no change filter and a slim list row, so every pull lists
// them all and reads each full record by id (D28, simplified: see docs/sync.md), within D19's
// 1,500 calls per hour on that endpoint.
#include <memory>

#include "psa/bms/client.h"
#include "psa/bms/push_body.h"
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
  // Two-way (psa-apis.md §3.3): accounts and contacts by V2 JSON Patch of the changed members
  // only; a contact's e-mails and phones through PATCH crm/contacts/{id}/emails and /phones;
  // hardware assets by PUT (V2 has no PATCH for them: the record is read, the changes laid over
  // it); locations through V1 (V2 cannot write them), read and PUT whole likewise. Creates POST
  // the record; a new account gets the tenant's default business type, `owner` as its account
  // manager and one main location, as the platform requires. Names become ids from picklists
  // read once. Every call counts against D19's per-endpoint budget.
  core::PsaRecord update(const core::PsaRecord& changes, const std::string& company) override;
  core::PsaRecord create(const core::PsaRecord& record, const std::string& company, const std::string& owner) override;
  // R16: the integration's email and phone types, for e-mails and phones whose label is no type of the PSA's.
  void set_contact_types(ContactTypes types) { contact_types_ = std::move(types); }
  std::int64_t requests() const override { return static_cast<std::int64_t>(http_->requests_sent()); }
  Client& client() { return *client_; }
  const Client& client() const { return *client_; }

 private:
  // Name → id of a picklist (kAccountTypes or a system/lookup table), read on first use.
  struct Picklist {
    std::map<std::string, std::int64_t> ids;
    std::int64_t default_id = 0;  // the row marked default, else the first active one
  };
  const Picklist& picklist(const std::string& table);
  std::optional<std::int64_t> id_of(const std::string& table, const std::string& name);
  nlohmann::json members_of(const core::PsaRecord& changes);
  const std::string& product() const { return product_; }

  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Client> client_;
  std::string product_;
  ContactTypes contact_types_;
  std::map<std::string, Picklist> picklists_;
};

// One V2 record (an account, a location with "accountId", a contact, a full hardware asset) as a
// PsaRecord. Pure.
core::PsaRecord to_record(core::SyncEntity e, nlohmann::json wire);

}  // namespace cairn::psa::bms
